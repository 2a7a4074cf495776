import { shellQuote } from "@/lib/fixes/shell-quote";
import type { FixBlock, FixContext, FixValues } from "@/lib/fixes/types";

/**
 * Shell scripts for the kcadm.sh and curl sections. Every name from the context is assigned once to a shell
 * variable with `shellQuote`, and the commands only ever use `"$VARIABLE"`: an expanded variable is never
 * parsed again, so a realm called `x'; rm -rf ~ #` stays a string.
 */

/** What a script must look up before its commands run. */
export interface ScriptNeeds {
  client?: boolean;
  user?: boolean;
  serviceAccount?: boolean;
  roleClient?: boolean;
  /** Plain variables to define, by name. */
  vars?: (keyof typeof PLAIN_VARS)[];
}

const PLAIN_VARS = {
  ROLE: "role",
  AUDIENCE: "audience",
  SCOPE: "scope",
  ORIGIN: "origin",
  REDIRECT_URI: "redirectUri",
  ISSUER: "issuer",
} as const satisfies Record<string, keyof FixContext>;

/** curl puts these in URL paths, so known values are percent-encoded (placeholders stay readable). */
const PATH_VARS = new Set(["REALM", "ROLE"]);

function assign(v: FixValues, name: string, field: keyof FixContext, pathEncoded: boolean): string {
  const known = v.known(field);
  const value = v[field];
  return `${name}=${shellQuote(known && pathEncoded ? encodeURIComponent(value) : value)}`;
}

function plainVars(v: FixValues, needs: ScriptNeeds, curl: boolean): string[] {
  return (needs.vars ?? []).map((name) => {
    const field = PLAIN_VARS[name];
    if (field === "role" && !v.known("role")) return `${name}=${shellQuote(v.role)}`;
    return assign(v, name, field, curl && PATH_VARS.has(name));
  });
}

function roleClientAssign(v: FixValues): string {
  return `ROLE_CLIENT_ID=${shellQuote(v.roleClientId)}`;
}

export function kcadmScript(v: FixValues, needs: ScriptNeeds, body: string[], title?: string): FixBlock {
  const lines = [
    "# Log in once; kcadm.sh keeps the session in ~/.keycloak/kcadm.config",
    `kcadm.sh config credentials --server ${shellQuote(v.keycloakUrl)} --realm master --user "$KC_ADMIN_USER"`,
    assign(v, "REALM", "realm", false),
    ...plainVars(v, needs, false),
  ];
  if (needs.client || needs.serviceAccount) {
    lines.push(assign(v, "CLIENT_ID", "clientId", false));
    lines.push(
      v.known("clientUuid")
        ? assign(v, "CLIENT_UUID", "clientUuid", false)
        : 'CLIENT_UUID=$(kcadm.sh get clients -r "$REALM" -q clientId="$CLIENT_ID" --fields id --format csv --noquotes)',
    );
  }
  if (needs.serviceAccount) {
    lines.push(
      'SA_USER_ID=$(kcadm.sh get "clients/$CLIENT_UUID/service-account-user" -r "$REALM" --fields id --format csv --noquotes)',
    );
  }
  if (needs.user) {
    if (v.known("userId")) lines.push(assign(v, "USER_ID", "userId", false));
    else {
      lines.push(assign(v, "USERNAME", "username", false));
      lines.push(
        'USER_ID=$(kcadm.sh get users -r "$REALM" -q username="$USERNAME" -q exact=true --fields id --format csv --noquotes)',
      );
    }
  }
  if (needs.roleClient) {
    lines.push(roleClientAssign(v));
    lines.push(
      'ROLE_CLIENT_UUID=$(kcadm.sh get clients -r "$REALM" -q clientId="$ROLE_CLIENT_ID" --fields id --format csv --noquotes)',
    );
  }
  return { kind: "code", code: { language: "bash", title, text: [...lines, "", ...body].join("\n") } };
}

export function curlScript(v: FixValues, needs: ScriptNeeds, body: string[], title?: string): FixBlock {
  const lines = [
    "# Names used in URL paths are percent-encoded; jq reads the JSON answers",
    assign(v, "KC", "keycloakUrl", false),
    assign(v, "REALM", "realm", true),
    ...plainVars(v, needs, true),
    'TOKEN=$(curl -s "$KC/realms/master/protocol/openid-connect/token" -d grant_type=password -d client_id=admin-cli \\',
    '  --data-urlencode username="$KC_ADMIN_USER" --data-urlencode password="$KC_ADMIN_PASSWORD" | jq -r .access_token)',
    'AUTH="Authorization: Bearer $TOKEN"',
  ];
  if (needs.client || needs.serviceAccount) {
    lines.push(assign(v, "CLIENT_ID", "clientId", false));
    lines.push(
      v.known("clientUuid")
        ? assign(v, "CLIENT_UUID", "clientUuid", true)
        : `CLIENT_UUID=$(curl -s -G -H "$AUTH" "$KC/admin/realms/$REALM/clients" --data-urlencode clientId="$CLIENT_ID" | jq -r '.[0].id')`,
    );
  }
  if (needs.serviceAccount) {
    lines.push(
      `SA_USER_ID=$(curl -s -H "$AUTH" "$KC/admin/realms/$REALM/clients/$CLIENT_UUID/service-account-user" | jq -r '.id | @uri')`,
    );
  }
  if (needs.user) {
    if (v.known("userId")) lines.push(assign(v, "USER_ID", "userId", true));
    else {
      lines.push(assign(v, "USERNAME", "username", false));
      lines.push(
        `USER_ID=$(curl -s -G -H "$AUTH" "$KC/admin/realms/$REALM/users" --data-urlencode username="$USERNAME" -d exact=true | jq -r '.[0].id | @uri')`,
      );
    }
  }
  if (needs.roleClient) {
    lines.push(roleClientAssign(v));
    lines.push(
      `ROLE_CLIENT_UUID=$(curl -s -G -H "$AUTH" "$KC/admin/realms/$REALM/clients" --data-urlencode clientId="$ROLE_CLIENT_ID" | jq -r '.[0].id')`,
    );
  }
  return { kind: "code", code: { language: "bash", title, text: [...lines, "", ...body].join("\n") } };
}

/** Decodes a JWT's payload in the shell (base64url, unpadded) and prints the named claims. */
export function decodeTokenScript(claims: string[]): FixBlock {
  const code = {
    language: "bash" as const,
    title: "Read the claims of the access token (nothing leaves your machine)",
    text: [
      "jwt_payload() {",
      "  local p; p=$(printf '%s' \"$1\" | cut -d. -f2 | tr '_-' '/+')",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: shell parameter expansion, not a template
      '  while [ $(( ${#p} % 4 )) -ne 0 ]; do p="$p="; done',
      "  printf '%s' \"$p\" | base64 -d",
      "}",
      `jwt_payload "$ACCESS_TOKEN" | jq '{${claims.join(", ")}}'`,
    ].join("\n"),
  };
  return { kind: "code", code };
}

/** `KC` and `REALM` for a standalone snippet that calls the realm's public endpoints. */
export function realmEndpointVars(v: FixValues): string[] {
  return [assign(v, "KC", "keycloakUrl", false), assign(v, "REALM", "realm", true)];
}
