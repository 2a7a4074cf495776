import { shellQuote } from "@/lib/fixes/shell-quote";

/**
 * The commands and configurations that point a Keycloak realm, or a log shipper, at a push source. Secrets never
 * appear in them: they read $WEBHOOK_SECRET and $PUSH_TOKEN, which an admin copies from the Sources page.
 *
 * - Phase Two's webhook REST resource is /realms/<realm>/webhooks (p2-inc/keycloak-events README, "Managing
 *   webhook subscriptions"; view-events and manage-events needed), not under /admin: kcadm.sh takes an absolute
 *   URL as is (HttpUtil.composeResourceUrl in keycloak's admin CLI), with its admin token.
 * - The listener must also be on the realm's event listeners (RealmEventsConfigRepresentation.eventsListeners,
 *   PUT /admin/realms/<realm>/events/config), which replaces the whole list: keep the listeners already there.
 * - Bearer JWT mode: the webhook's authType "bearer" and audience (WebhookSenderEventListenerProvider.send,
 *   WebhookJwtSigner.sign); the realm signs with its active RS256 key.
 */
export interface PushEndpoints {
  webhookUrl: string;
  logsUrl: string;
}

export function pushEndpoints(origin: string, sourceId: string): PushEndpoints {
  const base = origin.replace(/\/+$/, "");
  return { webhookUrl: `${base}/api/push/events/${sourceId}`, logsUrl: `${base}/api/push/logs/${sourceId}` };
}

export interface RegisterContext extends PushEndpoints {
  /** The Keycloak base URL, when the source knows it (an API source); a placeholder otherwise. */
  keycloakUrl: string | null;
  /** The realm to register on: a placeholder when the source names none. */
  realm: string | null;
  jwtAudience: string | null;
}

export interface RegisterCommands {
  kcadm: string;
  curl: string;
  kcadmBearer: string;
  vector: string;
  fluentBit: string;
  curlLogs: string;
}

export function registerCommands(ctx: RegisterContext): RegisterCommands {
  const kc = ctx.keycloakUrl ? ctx.keycloakUrl.replace(/\/+$/, "") : "https://keycloak.example.com";
  const realm = ctx.realm ?? "my-realm";
  const hooks = `${kc}/realms/${encodeURIComponent(realm)}/webhooks`;
  const q = shellQuote;
  const listeners = [
    `# 1. Turn the listener on (this list replaces the realm's: keep the listeners it already has)`,
    `kcadm.sh config credentials --server ${q(kc)} --realm master --user admin`,
    `kcadm.sh update events/config -r ${q(realm)} -s 'eventsListeners=["jboss-logging","ext-event-webhook"]'`,
  ];
  const kcadm = [
    ...listeners,
    `# 2. Send every event to realmwatch, signed with the webhook secret (X-Keycloak-Signature, HmacSHA256)`,
    `kcadm.sh create ${q(hooks)} -s enabled=true -s url=${q(ctx.webhookUrl)} \\`,
    `  -s "secret=$WEBHOOK_SECRET" -s algorithm=HmacSHA256 -s 'eventTypes=["*"]'`,
  ].join("\n");
  const kcadmBearer = [
    ...listeners,
    `# 2. Send every event to realmwatch with a JWT the realm signs (verified against the realm's keys)`,
    `kcadm.sh create ${q(hooks)} -s enabled=true -s url=${q(ctx.webhookUrl)} \\`,
    `  -s authType=bearer -s algorithm=RS256 -s audience=${q(ctx.jwtAudience ?? "realmwatch")} -s 'eventTypes=["*"]'`,
  ].join("\n");
  const curl = [
    `TOKEN=$(curl -s -d grant_type=password -d client_id=admin-cli -d username=admin --data-urlencode "password=$KC_ADMIN_PASSWORD" \\`,
    `  ${q(`${kc}/realms/master/protocol/openid-connect/token`)} | sed -E 's/.*"access_token":"([^"]+)".*/\\1/')`,
    `curl -fsS -X POST ${q(hooks)} -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \\`,
    `  -d '{"enabled":true,"url":${jsonInShell(ctx.webhookUrl)},"secret":"'"$WEBHOOK_SECRET"'","algorithm":"HmacSHA256","eventTypes":["*"]}'`,
  ].join("\n");
  const vector = [
    `# vector.yaml: Keycloak's console log (plain, JSON or ECS) from its containers to realmwatch`,
    `sources:`,
    `  keycloak:`,
    `    type: docker_logs`,
    `    include_containers: ["keycloak"]`,
    `sinks:`,
    `  realmwatch:`,
    `    type: http`,
    `    inputs: ["keycloak"]`,
    `    uri: ${JSON.stringify(ctx.logsUrl)}`,
    `    method: post`,
    `    encoding:`,
    `      codec: text`,
    `    framing:`,
    `      method: newline_delimited`,
    `    auth:`,
    `      strategy: bearer`,
    `      token: "\${PUSH_TOKEN}"`,
    `    batch:`,
    `      max_bytes: 1048576`,
    `      timeout_secs: 2`,
  ].join("\n");
  const logsUrl = new URL(ctx.logsUrl);
  const tls = logsUrl.protocol === "https:";
  const fluentBit = [
    `# fluent-bit.conf: tail Keycloak's log file and post the lines to realmwatch`,
    `[INPUT]`,
    `    Name              tail`,
    `    Path              /opt/keycloak/data/log/keycloak.log`,
    `    Read_from_Head    false`,
    ``,
    `[OUTPUT]`,
    `    Name              http`,
    `    Match             *`,
    `    Host              ${logsUrl.hostname}`,
    `    Port              ${logsUrl.port || (tls ? "443" : "80")}`,
    `    URI               ${logsUrl.pathname}`,
    `    Format            json_lines`,
    `    Header            Authorization Bearer \${PUSH_TOKEN}`,
    `    tls               ${tls ? "On" : "Off"}`,
  ].join("\n");
  const curlLogs = `curl -fsS -X POST ${q(ctx.logsUrl)} -H "Authorization: Bearer $PUSH_TOKEN" --data-binary @keycloak.log`;
  return { kcadm, kcadmBearer, curl, vector, fluentBit, curlLogs };
}

/** A JSON string for inside a single-quoted shell argument (the URL has no single quote: it is ours). */
function jsonInShell(value: string): string {
  return JSON.stringify(value).replace(/'/g, "'\\''");
}
