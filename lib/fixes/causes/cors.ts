import { list, paragraph, snippet, steps } from "@/lib/fixes/blocks";
import { consoleLink } from "@/lib/fixes/console-link";
import { curlScript, kcadmScript, realmEndpointVars } from "@/lib/fixes/scripts";
import { shellQuote } from "@/lib/fixes/shell-quote";
import type { FixDefinition } from "@/lib/fixes/types";

const appendOrigin = "'.webOrigins = ((.webOrigins // []) + [$o] | unique)'";

export const cors: FixDefinition = {
  cause: "cors",
  concepts: ["web-origins"],
  versionNotes: ["invalid-origin"],
  signals: [
    {
      where: "http",
      status: 403,
      note: "26.6.3 and later: a token request whose Origin is not allowed is refused with 403 Invalid origin, before any event is written. Only the access log (or the browser's network tab) shows it.",
    },
    {
      where: "http",
      note: "Earlier versions answer, but without Access-Control-Allow-Origin; the browser blocks the response (\"No 'Access-Control-Allow-Origin' header is present\") and the application sees a network error.",
    },
    {
      where: "log",
      note: "At DEBUG only: Invalid CORS request: origin {0} not in allowed origins {1}.",
    },
  ],
  content: (v) => {
    const needs = { client: true, vars: ["ORIGIN" as const] };
    return {
      meaning: [
        paragraph(
          `The browser application at ${v.origin} calls Keycloak's endpoints (token, userinfo, logout) with client ${v.clientId}, and that origin is not in the client's Web origins. Keycloak withholds the CORS headers or, since 26.6.3, refuses the request outright.`,
        ),
        list(
          "curl with the same request works: CORS is enforced by browsers, which is the quickest tell.",
          "An origin is scheme://host[:port] with no path: https://app.example.com and https://app.example.com:8443 are different origins.",
          "A proxy that strips or duplicates Access-Control-* headers produces the same symptom with a correct client.",
        ),
      ],
      confirm: [
        snippet(
          "bash",
          [
            ...realmEndpointVars(v),
            `ORIGIN=${shellQuote(v.origin)}`,
            "curl -si -X OPTIONS -H \"Origin: $ORIGIN\" -H 'Access-Control-Request-Method: POST' \\",
            '  "$KC/realms/$REALM/protocol/openid-connect/token" | grep -i ^access-control-allow-origin',
            "# no line printed: the origin is not allowed for any client that could answer",
          ].join("\n"),
        ),
        steps({
          text: `Compare ${v.origin} with the list (exact match, or + for the origins of the Valid redirect URIs).`,
          path: ["Clients", v.clientId, "Settings", "Access settings", "Web origins"],
          link: consoleLink(v, "Open the client settings", ["clients", { field: "clientUuid" }, "settings"]),
        }),
      ],
      console: [
        steps(
          {
            text: `Add ${v.origin} to Web origins (or + to allow the origins of the Valid redirect URIs), then Save. Never * in production.`,
            path: ["Clients", v.clientId, "Settings", "Access settings", "Web origins"],
            link: consoleLink(v, "Open the client settings", [
              "clients",
              { field: "clientUuid" },
              "settings",
            ]),
          },
          {
            text: "If a proxy sits in front of Keycloak, make sure it passes Keycloak's CORS headers through unchanged.",
          },
        ),
      ],
      kcadm: [
        kcadmScript(
          v,
          needs,
          [
            `kcadm.sh get "clients/$CLIENT_UUID" -r "$REALM" | jq --arg o "$ORIGIN" ${appendOrigin} \\`,
            '| kcadm.sh update "clients/$CLIENT_UUID" -r "$REALM" -f -',
            'kcadm.sh get "clients/$CLIENT_UUID" -r "$REALM" --fields webOrigins',
          ],
          "Add the origin, keeping the existing ones",
        ),
      ],
      curl: [
        curlScript(
          v,
          needs,
          [
            `curl -s -H "$AUTH" "$KC/admin/realms/$REALM/clients/$CLIENT_UUID" | jq --arg o "$ORIGIN" ${appendOrigin} \\`,
            "| curl -s -X PUT -H \"$AUTH\" -H 'Content-Type: application/json' --data-binary @- \\",
            '  "$KC/admin/realms/$REALM/clients/$CLIENT_UUID"',
          ],
          "Add the origin through the Admin REST API",
        ),
      ],
      verify: [
        list(
          "The preflight above now prints Access-Control-Allow-Origin with the origin.",
          "A new access token's allowed-origins claim lists it (web-origins client scope).",
          "realmwatch's live check Web origins turns to pass; the access log stops showing 403 on the token endpoint for that Origin.",
        ),
      ],
    };
  },
};
