import { list, paragraph, snippet, steps } from "@/lib/fixes/blocks";
import { consoleLink } from "@/lib/fixes/console-link";
import { curlScript, decodeTokenScript, kcadmScript } from "@/lib/fixes/scripts";
import type { FixDefinition } from "@/lib/fixes/types";

const TYPES_403 =
  '["USER_INFO_REQUEST_ERROR", "INTROSPECT_TOKEN_ERROR", "REFRESH_TOKEN_ERROR", "PERMISSION_TOKEN_ERROR"]';
const ENABLE_EVENTS = `'.eventsEnabled = true | .enabledEventTypes = ((.enabledEventTypes // []) + ${TYPES_403} | unique)'`;

export const unknown: FixDefinition = {
  cause: "unknown",
  concepts: ["event-saving", "admin-roles"],
  versionNotes: ["log-quotes", "events-api"],
  signals: [
    {
      where: "user-event",
      note: "A failure whose type, error and reason match no rule. realmwatch keeps the raw event: its error, reason and details are the evidence.",
    },
    {
      where: "http",
      status: 403,
      note: "A denial seen only in an access log or reported by a resource server, with too little detail to classify.",
    },
  ],
  content: (v) => ({
    meaning: [
      paragraph(
        "No rule explains this failure yet. Narrow it down with the questions below; most denials end up as one of the known causes once the right evidence is saved.",
      ),
      list(
        "Who answered? Keycloak (a /realms/... or /admin/realms/... URL, Keycloak's error JSON), a reverse proxy (its own error page, Server: nginx) or your API (its own body).",
        "401 or 403? 401 means not authenticated (missing, expired, invalid token); 403 means authenticated and not allowed. Some APIs answer 403 for expired tokens.",
        "Does curl with the same token work where the browser fails? Then it is CORS.",
      ),
    ],
    confirm: [
      decodeTokenScript(["iss", "aud", "azp", "exp", "scope", "realm_access", "resource_access"]),
      steps(
        {
          text: "Open the raw event and read error, the reason detail and the other details.",
          path: ["Events", "User events"],
          link: consoleLink(v, "Open user events", ["events"]),
        },
        {
          text: "Paste the failing token into realmwatch's token analyser: it checks expiry, issuer, audience, scope and roles.",
        },
      ),
      snippet(
        "bash",
        [
          "# DEBUG for services and authorization, plus the HTTP access log (the only place admin REST 403s appear)",
          "KC_LOG_LEVEL=INFO,org.keycloak.services:DEBUG,org.keycloak.authorization:DEBUG \\",
          "  bin/kc.sh start --http-access-log-enabled=true",
        ].join("\n"),
        "Deeper server-side evidence",
      ),
    ],
    console: [
      steps(
        {
          text: "Save events, and add USER_INFO_REQUEST_ERROR, INTROSPECT_TOKEN_ERROR, REFRESH_TOKEN_ERROR and PERMISSION_TOKEN_ERROR to the saved types (they are not saved by default).",
          path: ["Realm settings", "Events", "User events settings"],
          link: consoleLink(v, "Open event settings", ["realm-settings", "events"]),
        },
        {
          text: "Save admin events too, with Include representation, so configuration changes can be lined up with failures.",
          path: ["Realm settings", "Events", "Admin events settings"],
        },
      ),
    ],
    kcadm: [
      kcadmScript(
        v,
        {},
        [
          `kcadm.sh get events/config -r "$REALM" | jq ${ENABLE_EVENTS} \\`,
          '| kcadm.sh update events/config -r "$REALM" -f -',
          'kcadm.sh get events -r "$REALM" -q type=LOGIN_ERROR -q max=20',
        ],
        "Save the 403-relevant event types, then read recent failures",
      ),
    ],
    curl: [
      curlScript(
        v,
        {},
        [
          `curl -s -H "$AUTH" "$KC/admin/realms/$REALM/events/config" | jq ${ENABLE_EVENTS} \\`,
          '| curl -s -X PUT -H "$AUTH" -H \'Content-Type: application/json\' --data-binary @- "$KC/admin/realms/$REALM/events/config"',
          "# GET, change, PUT the whole object: a PUT without eventsEnabled turns saving off",
        ],
        "Save the 403-relevant event types",
      ),
    ],
    verify: [
      list(
        "New failures arrive with their type, error and reason, and realmwatch classifies them.",
        "realmwatch's live check Events configuration turns to pass.",
      ),
    ],
  }),
};
