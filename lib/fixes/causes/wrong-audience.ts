import { list, paragraph, steps } from "@/lib/fixes/blocks";
import { consoleLink } from "@/lib/fixes/console-link";
import { curlScript, decodeTokenScript, kcadmScript } from "@/lib/fixes/scripts";
import type { FixDefinition } from "@/lib/fixes/types";

export const wrongAudience: FixDefinition = {
  cause: "wrong-audience",
  concepts: ["audience", "client-scopes"],
  versionNotes: ["standard-token-exchange"],
  signals: [
    {
      where: "resource-server",
      status: 401,
      note: 'Your API rejected a token whose aud lacks its client id (for example Spring\'s "The required audience is missing"); some APIs answer 403. Keycloak records nothing.',
    },
    {
      where: "user-event",
      type: "TOKEN_EXCHANGE_ERROR",
      error: "not_allowed",
      reason: "client is not within the token audience",
      status: 403,
      note: "Standard token exchange: the requesting client is not in the subject token's aud.",
    },
    {
      where: "user-event",
      type: "TOKEN_EXCHANGE_ERROR",
      error: "client_not_found",
      reason: "audience not found",
      status: 400,
      note: "The audience parameter names a client that does not exist in the realm (detail audience holds it).",
    },
    {
      where: "user-event",
      type: "TOKEN_EXCHANGE_ERROR",
      error: "invalid_request",
      reason: "Requested audience not available: <list>",
      status: 400,
      note: "The exchanged token would not carry the requested audience: nothing maps it into aud.",
    },
    {
      where: "http",
      status: 200,
      note: 'Introspection answers "active": true without checking aud, so an API relying on it accepts tokens meant for others until it checks aud itself.',
    },
  ],
  content: (v) => {
    const needs = { client: true, vars: ["AUDIENCE" as const] };
    const mapperJson =
      'jq -n --arg a "$AUDIENCE" \'{name: ("audience-" + $a), protocol: "openid-connect", protocolMapper: "oidc-audience-mapper",\n  config: {"included.client.audience": $a, "access.token.claim": "true", "id.token.claim": "false", "introspection.token.claim": "true"}}\'';
    return {
      meaning: [
        paragraph(
          `The token's aud does not name ${v.audience}, the API that received it. The token was issued to ${v.clientId} (its azp) but nothing made it a token for ${v.audience}.`,
        ),
        list(
          "By default aud holds only the clients on which the user has client roles (Audience Resolve, in the roles client scope), usually just account. The API's own client id is absent unless a mapper adds it.",
          `Fix it on the requesting client: an Audience mapper with Included Client Audience ${v.audience}, in its dedicated scope (always) or in a client scope it requests (per request).`,
          `Token exchange: the client calling the exchange must itself be in the subject token's aud, and a requested audience must be a client that a mapper can put in aud.`,
        ),
      ],
      confirm: [
        decodeTokenScript(["aud", "azp", "scope", "resource_access"]),
        paragraph(
          `aud should contain ${v.audience}. If azp is ${v.audience} itself, the token was issued to the API, not for it: a different client must call.`,
        ),
        steps({
          text: "Generate an example token for a user and read aud in the Generated access token; Effective protocol mappers lists any audience mapper in play.",
          path: ["Clients", v.clientId, "Client scopes", "Evaluate"],
          link: consoleLink(v, "Open Evaluate", [
            "clients",
            { field: "clientUuid" },
            "clientScopes",
            "evaluate",
          ]),
        }),
      ],
      console: [
        steps(
          {
            text: `Open the dedicated scope of ${v.clientId} (the client that requests the token).`,
            path: ["Clients", v.clientId, "Client scopes", `${v.clientId}-dedicated`],
            link: consoleLink(v, "Open the dedicated scope", [
              "clients",
              { field: "clientUuid" },
              "clientScopes",
              "dedicated",
              "mappers",
            ]),
          },
          {
            text: "Pick the Audience mapper type (on a dedicated scope without mappers the button reads Configure a new mapper).",
            path: [
              "Clients",
              v.clientId,
              "Client scopes",
              `${v.clientId}-dedicated`,
              "Add mapper",
              "By configuration",
              "Audience",
            ],
          },
          {
            text: `Name it audience-${v.audience}; Included Client Audience: ${v.audience}; Add to access token on, Add to ID token off, Add to token introspection on. Save.`,
          },
          {
            text: `Per-request instead: create a client scope ${v.audience}-audience (OpenID Connect) with the same Audience mapper, add it to ${v.clientId} as Optional, and request scope=${v.audience}-audience where the API is called.`,
            path: ["Client scopes", "Create client scope"],
          },
        ),
        paragraph(
          `Alternatively give the user a client role of ${v.audience}: Audience Resolve then adds ${v.audience} to aud by itself, as long as ${v.clientId} may carry that role (role scope).`,
        ),
      ],
      kcadm: [
        kcadmScript(
          v,
          needs,
          [
            'kcadm.sh create "clients/$CLIENT_UUID/protocol-mappers/models" -r "$REALM" \\',
            '  -s name="audience-$AUDIENCE" -s protocol=openid-connect -s protocolMapper=oidc-audience-mapper \\',
            '  -s "config.\\"included.client.audience\\"=$AUDIENCE" \\',
            "  -s 'config.\"access.token.claim\"=true' -s 'config.\"id.token.claim\"=false' \\",
            "  -s 'config.\"introspection.token.claim\"=true'",
            'kcadm.sh get "clients/$CLIENT_UUID/protocol-mappers/models" -r "$REALM" --fields name,protocolMapper,config',
          ],
          "Add an Audience mapper to the requesting client",
        ),
      ],
      curl: [
        curlScript(
          v,
          needs,
          [
            `${mapperJson} \\`,
            "| curl -s -X POST -H \"$AUTH\" -H 'Content-Type: application/json' --data-binary @- \\",
            '  "$KC/admin/realms/$REALM/clients/$CLIENT_UUID/protocol-mappers/models"',
          ],
          "Add an Audience mapper through the Admin REST API",
        ),
      ],
      verify: [
        curlScript(
          v,
          { ...needs, user: true },
          [
            'curl -s -G -H "$AUTH" "$KC/admin/realms/$REALM/clients/$CLIENT_UUID/evaluate-scopes/generate-example-access-token" \\',
            "  -d userId=\"$USER_ID\" | jq '{aud, azp}'",
          ],
          "aud of the token Keycloak would issue now",
        ),
        list(
          `aud contains ${v.audience}; tokens issued before the change do not, so the caller needs a new one.`,
          "The API accepts the new token; realmwatch's live checks Audience and Example token turn to pass.",
        ),
      ],
    };
  },
};
