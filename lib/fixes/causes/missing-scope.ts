import { list, paragraph, snippet, steps } from "@/lib/fixes/blocks";
import { consoleLink } from "@/lib/fixes/console-link";
import { PLACEHOLDERS } from "@/lib/fixes/fix-values";
import { curlScript, decodeTokenScript, kcadmScript, realmEndpointVars } from "@/lib/fixes/scripts";
import { shellQuote } from "@/lib/fixes/shell-quote";
import type { FixDefinition, FixValues } from "@/lib/fixes/types";

/** The scope to assign to the client: the context's first scope other than openid (openid is no client scope). */
function assignableScope(v: FixValues): string {
  const scopes = (v.ctx.scope ?? "").split(/\s+/).filter((s) => s !== "" && s !== "openid");
  return scopes[0] ?? PLACEHOLDERS.scope;
}

export const missingScope: FixDefinition = {
  cause: "missing-scope",
  concepts: ["client-scopes"],
  versionNotes: ["userinfo-openid", "basic-scope"],
  signals: [
    {
      where: "user-event",
      type: "USER_INFO_REQUEST_ERROR",
      error: "access_denied",
      reason: "Missing openid scope",
      status: 403,
      note: 'The userinfo endpoint refused an access token issued without openid; the answer carries WWW-Authenticate: Bearer error="insufficient_scope". clientId and userId are empty in this event, and the type is not saved by default.',
    },
    {
      where: "user-event",
      type: "LOGIN_ERROR",
      error: "invalid_request",
      reason: "Invalid scopes: <scope parameter>",
      status: 302,
      note: "A browser login asked for a scope the client does not have; the application gets error=invalid_scope on its redirect URI.",
    },
    {
      where: "user-event",
      type: "CLIENT_LOGIN_ERROR",
      error: "invalid_request",
      reason: "Invalid scopes: <scope parameter>",
      status: 400,
      note: "The same at the token endpoint (client_credentials; LOGIN_ERROR for password, REFRESH_TOKEN_ERROR for refresh_token), answered with invalid_scope.",
    },
    {
      where: "resource-server",
      status: 403,
      note: 'Your API refused a token whose scope claim lacks what it checks, typically with WWW-Authenticate: Bearer error="insufficient_scope". Keycloak records nothing.',
    },
  ],
  content: (v) => {
    const scope = assignableScope(v);
    const scopeVar = `SCOPE=${shellQuote(scope)}`;
    return {
      meaning: [
        paragraph(
          "The access token does not carry a scope the endpoint requires, or the client asked for a scope it is not allowed to request.",
        ),
        list(
          "The userinfo endpoint needs openid in the token's scope claim. A client that never puts openid in its authorization or token request (client-credentials callers often forget) gets 403 insufficient_scope. No realm setting adds it: the request must.",
          `A scope the client requests must be one of its Default or Optional client scopes; otherwise Keycloak refuses the request with invalid_scope ("Invalid scopes: ..."). Here that scope is ${scope}.`,
          "An API that checks a scope value (orders:read) sees it only when the client scope is Default, or Optional and requested, and has Include in token scope on.",
        ),
      ],
      confirm: [
        decodeTokenScript(["scope", "azp", "aud", "iss"]),
        paragraph(
          "If scope lacks openid, the userinfo 403 is explained. Keycloak's answer names it in the WWW-Authenticate header:",
        ),
        snippet(
          "bash",
          [
            ...realmEndpointVars(v),
            'curl -si -H "Authorization: Bearer $ACCESS_TOKEN" "$KC/realms/$REALM/protocol/openid-connect/userinfo" | grep -i ^www-authenticate',
            '# WWW-Authenticate: Bearer realm="...", error="insufficient_scope", error_description="Missing openid scope"',
          ].join("\n"),
        ),
        steps(
          {
            text: `See which scopes ${v.clientId} may request and whether each is Default or Optional (the Assigned type column).`,
            path: ["Clients", v.clientId, "Client scopes"],
            link: consoleLink(v, "Open the client's scopes", [
              "clients",
              { field: "clientUuid" },
              "clientScopes",
              "setup",
            ]),
          },
          {
            text: "Preview a token: pick a user, type the scope parameter the application sends (e.g. openid profile), and read the scope claim of the Generated access token.",
            path: ["Clients", v.clientId, "Client scopes", "Evaluate"],
          },
        ),
      ],
      console: [
        paragraph(
          "For openid: change the application, not Keycloak. Put openid in the scope of its authorization request (scope=openid profile email) or of its token request (-d scope=openid for client_credentials). Then, for any other scope:",
        ),
        steps(
          {
            text: `Open the client's scopes and look for ${scope}.`,
            path: ["Clients", v.clientId, "Client scopes"],
            link: consoleLink(v, "Open the client's scopes", [
              "clients",
              { field: "clientUuid" },
              "clientScopes",
              "setup",
            ]),
          },
          {
            text: `If it is missing: Add client scope, tick ${scope}, then Add > Optional (sent only when requested) or Default (always in the token).`,
            path: ["Clients", v.clientId, "Client scopes", "Add client scope"],
          },
          {
            text: `If no client scope ${scope} exists yet: create it with Type None, Protocol OpenID Connect and Include in token scope on, then add it to the client as above.`,
            path: ["Client scopes", "Create client scope"],
            link: consoleLink(v, "Open Client scopes", ["client-scopes"]),
          },
          {
            text: `If the scope is Optional, make the application request it (scope=openid ${scope}); Optional scopes never appear unasked.`,
          },
        ),
      ],
      kcadm: [
        kcadmScript(
          v,
          { client: true },
          [
            scopeVar,
            'SCOPE_ID=$(kcadm.sh get client-scopes -r "$REALM" | jq -r --arg n "$SCOPE" \'.[] | select(.name == $n) | .id\')',
            "# Create the client scope when the realm has none of that name",
            '[ -n "$SCOPE_ID" ] || SCOPE_ID=$(kcadm.sh create client-scopes -r "$REALM" -s name="$SCOPE" \\',
            "  -s protocol=openid-connect -s 'attributes.\"include.in.token.scope\"=true' -i)",
            "# Optional: in the token when requested (use default-client-scopes for always)",
            'kcadm.sh update "clients/$CLIENT_UUID/optional-client-scopes/$SCOPE_ID" -r "$REALM" -n  # -n: a PUT without the GET-and-merge',
            'kcadm.sh get "clients/$CLIENT_UUID/optional-client-scopes" -r "$REALM" --fields name',
          ],
          "Let the client request the scope",
        ),
        paragraph("openid needs no kcadm.sh change: it is always allowed, it only has to be requested."),
      ],
      curl: [
        curlScript(
          v,
          { client: true },
          [
            scopeVar,
            'SCOPE_ID=$(curl -s -H "$AUTH" "$KC/admin/realms/$REALM/client-scopes" | jq -r --arg n "$SCOPE" \'.[] | select(.name == $n) | .id\')',
            'curl -s -X PUT -H "$AUTH" "$KC/admin/realms/$REALM/clients/$CLIENT_UUID/optional-client-scopes/$SCOPE_ID"',
            'curl -s -H "$AUTH" "$KC/admin/realms/$REALM/clients/$CLIENT_UUID/optional-client-scopes" | jq -r \'.[].name\'',
          ],
          "Assign the scope to the client as Optional",
        ),
        snippet(
          "bash",
          [
            ...realmEndpointVars(v),
            `CLIENT_ID=${shellQuote(v.clientId)}`,
            "# A client-credentials token that carries openid (CLIENT_SECRET from the client's Credentials tab)",
            'ACCESS_TOKEN=$(curl -s "$KC/realms/$REALM/protocol/openid-connect/token" -d grant_type=client_credentials \\',
            '  --data-urlencode client_id="$CLIENT_ID" --data-urlencode client_secret="$CLIENT_SECRET" -d scope=openid | jq -r .access_token)',
          ].join("\n"),
          "Request openid",
        ),
      ],
      verify: [
        snippet(
          "bash",
          [
            ...realmEndpointVars(v),
            'curl -s -o /dev/null -w \'%{http_code}\\n\' -H "Authorization: Bearer $ACCESS_TOKEN" "$KC/realms/$REALM/protocol/openid-connect/userinfo"',
            "# 200 with a new token; a token issued before the change still fails until it is replaced",
          ].join("\n"),
        ),
        list(
          "The new token's scope claim contains openid (and the assigned scope, when requested).",
          "realmwatch's live check Client scopes turns to pass; USER_INFO_REQUEST_ERROR with Missing openid scope stops (if that type is saved).",
        ),
      ],
    };
  },
};
