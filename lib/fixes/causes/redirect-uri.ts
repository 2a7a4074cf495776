import { fixPath } from "@/lib/classify/causes";
import { list, paragraph, steps } from "@/lib/fixes/blocks";
import { consoleLink } from "@/lib/fixes/console-link";
import { curlScript, kcadmScript } from "@/lib/fixes/scripts";
import type { FixDefinition } from "@/lib/fixes/types";

const appendUri = "'.redirectUris = ((.redirectUris // []) + [$u] | unique)'";

export const redirectUri: FixDefinition = {
  cause: "redirect-uri",
  concepts: [],
  versionNotes: ["redirect-wildcard-host"],
  signals: [
    {
      where: "user-event",
      type: "LOGIN_ERROR",
      error: "invalid_redirect_uri",
      status: 400,
      note: 'No reason detail; the redirect_uri detail holds what the application sent. The user sees Keycloak\'s "Invalid parameter: redirect_uri" page.',
    },
    {
      where: "user-event",
      type: "CODE_TO_TOKEN_ERROR",
      error: "invalid_redirect_uri",
      reason:
        "Parameter 'redirect_uri' did not match originally saved redirect URI used in initial OIDC request. Saved redirectUri: ..., redirectUri parameter: ...",
      status: 400,
      note: "The code exchange sent a different redirect_uri than the authorization request (answer invalid_grant Incorrect redirect_uri).",
    },
    {
      where: "user-event",
      type: "LOGOUT_ERROR",
      error: "invalid_redirect_uri",
      note: "post_logout_redirect_uri is not among the Valid post logout redirect URIs.",
    },
  ],
  content: (v) => {
    const needs = { client: true, vars: ["REDIRECT_URI" as const] };
    return {
      meaning: [
        paragraph(
          `The application asked Keycloak to send the user back to ${v.redirectUri}, which is not among ${v.clientId}'s Valid redirect URIs.`,
        ),
        list(
          "Matching is exact, except a * at the very end of an entry, which matches any remainder of the path. A * elsewhere matches literally.",
          `When the sent URI differs from a registered one only by http vs https or by a port, the registration is right and a proxy lost the scheme or port: see ${fixPath("proxy-misconfig")}.`,
          "Logout uses its own list, Valid post logout redirect URIs (+ reuses the redirect URIs).",
        ),
      ],
      confirm: [
        steps(
          {
            text: "Read the redirect_uri detail of the LOGIN_ERROR event: that is exactly what the application sent.",
            path: ["Events", "User events"],
            link: consoleLink(v, "Open user events", ["events"]),
          },
          {
            text: "Compare it character by character with the registered list (scheme, host, port, path, trailing slash).",
            path: ["Clients", v.clientId, "Settings", "Access settings", "Valid redirect URIs"],
            link: consoleLink(v, "Open the client settings", [
              "clients",
              { field: "clientUuid" },
              "settings",
            ]),
          },
        ),
      ],
      console: [
        steps(
          {
            text: `Add ${v.redirectUri} to Valid redirect URIs (a trailing * only if the path really varies), then Save.`,
            path: ["Clients", v.clientId, "Settings", "Access settings", "Valid redirect URIs"],
            link: consoleLink(v, "Open the client settings", [
              "clients",
              { field: "clientUuid" },
              "settings",
            ]),
          },
          { text: "For logout redirects, the same in Valid post logout redirect URIs." },
        ),
      ],
      kcadm: [
        kcadmScript(
          v,
          needs,
          [
            `kcadm.sh get "clients/$CLIENT_UUID" -r "$REALM" | jq --arg u "$REDIRECT_URI" ${appendUri} \\`,
            '| kcadm.sh update "clients/$CLIENT_UUID" -r "$REALM" -f -',
            'kcadm.sh get "clients/$CLIENT_UUID" -r "$REALM" --fields redirectUris',
          ],
          "Register the redirect URI, keeping the existing ones",
        ),
      ],
      curl: [
        curlScript(
          v,
          needs,
          [
            `curl -s -H "$AUTH" "$KC/admin/realms/$REALM/clients/$CLIENT_UUID" | jq --arg u "$REDIRECT_URI" ${appendUri} \\`,
            "| curl -s -X PUT -H \"$AUTH\" -H 'Content-Type: application/json' --data-binary @- \\",
            '  "$KC/admin/realms/$REALM/clients/$CLIENT_UUID"',
          ],
          "Register the redirect URI through the Admin REST API",
        ),
      ],
      verify: [
        list(
          "A new login from the application reaches its callback; no LOGIN_ERROR invalid_redirect_uri follows.",
          "realmwatch's live check Redirect URIs turns to pass for the URIs seen in failures.",
        ),
      ],
    };
  },
};
