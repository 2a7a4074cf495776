import { list, paragraph, snippet, steps } from "@/lib/fixes/blocks";
import { consoleLink } from "@/lib/fixes/console-link";
import { curlScript, decodeTokenScript, kcadmScript } from "@/lib/fixes/scripts";
import type { FixDefinition } from "@/lib/fixes/types";

const LIFESPAN_FIELDS =
  "accessTokenLifespan,ssoSessionIdleTimeout,ssoSessionMaxLifespan,clientSessionIdleTimeout";

export const tokenExpired: FixDefinition = {
  cause: "token-expired",
  concepts: [],
  versionNotes: [],
  signals: [
    {
      where: "user-event",
      type: "USER_INFO_REQUEST_ERROR",
      error: "invalid_token",
      reason: "Token is not active",
      status: 401,
      note: "Expired, or used before nbf. Not saved by default.",
    },
    {
      where: "user-event",
      type: "REFRESH_TOKEN_ERROR",
      error: "invalid_token",
      reason: "Token is not active",
      status: 400,
      note: "The refresh token expired (invalid_grant): the session's idle or max lifespan passed.",
    },
    {
      where: "user-event",
      type: "INTROSPECT_TOKEN_ERROR",
      error: "invalid_token",
      reason: "Introspection access token for <azp> client: JWT check failed",
      status: 200,
      note: 'Introspection answers "active": false.',
    },
    {
      where: "resource-server",
      status: 401,
      note: 'Your API rejected an expired token ("Jwt expired at ..."); some answer 403. A fresh token rejected the same way points at clock skew.',
    },
  ],
  content: (v) => ({
    meaning: [
      paragraph(
        "The token's exp has passed, or its nbf/iat lies in the future for the party checking it. Access tokens are short-lived by design (Access Token Lifespan, 5 minutes by default); applications must refresh them before exp.",
      ),
      list(
        "Spikes at a fixed interval after logins: an application that never refreshes, or refreshes after exp.",
        "Fresh tokens rejected: the clocks of Keycloak nodes and the API differ (NTP), so a token looks expired or not yet valid.",
        "Refresh tokens expiring: SSO Session Idle (30 minutes) or SSO Session Max (10 hours) passed.",
      ),
    ],
    confirm: [
      decodeTokenScript(["iat", "nbf", "exp", "azp"]),
      snippet(
        "bash",
        [
          "date -u +%s   # compare with exp and iat, on the API host and on each Keycloak node",
          "timedatectl status | grep -i synchronized; chronyc tracking | grep -i offset",
        ].join("\n"),
      ),
      steps({
        text: "Read Access Token Lifespan, and the session idle and max times.",
        path: ["Realm settings", "Tokens"],
        link: consoleLink(v, "Open token settings", ["realm-settings", "tokens"]),
      }),
    ],
    console: [
      steps(
        {
          text: "Fix the application first: refresh when less than ~30 s remain, and on a 401 refresh once and retry once.",
        },
        {
          text: "Raise Access Token Lifespan only if the application truly cannot refresh; longer tokens stay valid longer after a revocation.",
          path: ["Realm settings", "Tokens", "Access tokens", "Access Token Lifespan"],
          link: consoleLink(v, "Open token settings", ["realm-settings", "tokens"]),
        },
        {
          text: `A per-client override exists for ${v.clientId}.`,
          path: ["Clients", v.clientId, "Advanced", "Advanced settings", "Access Token Lifespan"],
        },
        {
          text: "Refresh tokens expiring: SSO Session Idle and SSO Session Max.",
          path: ["Realm settings", "Sessions"],
          link: consoleLink(v, "Open session settings", ["realm-settings", "sessions"]),
        },
        {
          text: "Clock skew: synchronise every Keycloak node and API host with NTP; allow a small leeway (30-60 s) in the API's validator.",
        },
      ),
    ],
    kcadm: [
      kcadmScript(
        v,
        {},
        [
          `kcadm.sh get "realms/$REALM" --fields ${LIFESPAN_FIELDS}`,
          "# seconds; only if the applications cannot refresh in time",
          'kcadm.sh update "realms/$REALM" -s accessTokenLifespan=600',
        ],
        "Read and change the realm's lifespans",
      ),
    ],
    curl: [
      curlScript(
        v,
        {},
        [
          `curl -s -H "$AUTH" "$KC/admin/realms/$REALM" | jq '{${LIFESPAN_FIELDS}}'`,
          'curl -s -H "$AUTH" "$KC/admin/realms/$REALM" | jq \'.accessTokenLifespan = 600\' \\',
          '| curl -s -X PUT -H "$AUTH" -H \'Content-Type: application/json\' --data-binary @- "$KC/admin/realms/$REALM"',
        ],
        "Read and change the realm's lifespans",
      ),
    ],
    verify: [
      list(
        "exp - iat of a new token equals the lifespan you expect.",
        "The failures stop recurring at the lifespan interval; none with a fresh token.",
        "Paste a failing token into realmwatch's token analyser with the failure's time: the expiry and skew findings pass.",
      ),
    ],
  }),
};
