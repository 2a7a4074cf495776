import { list, paragraph, steps } from "@/lib/fixes/blocks";
import { consoleLink } from "@/lib/fixes/console-link";
import { curlScript, kcadmScript } from "@/lib/fixes/scripts";
import type { FixDefinition } from "@/lib/fixes/types";

const SESSION_FIELDS =
  "revokeRefreshToken,refreshTokenMaxReuse,ssoSessionIdleTimeout,ssoSessionMaxLifespan,clientSessionIdleTimeout,clientSessionMaxLifespan";

export const sessionInvalid: FixDefinition = {
  cause: "session-invalid",
  concepts: [],
  versionNotes: ["user-session-deleted", "impersonator-details"],
  signals: [
    {
      where: "user-event",
      type: "REFRESH_TOKEN_ERROR",
      error: "invalid_token",
      reason: "Session not active",
      status: 400,
      note: 'The user session ended (logout, admin revocation, idle/max timeout, restart without persistent sessions). Also: "Offline session not active", "Client session not active".',
    },
    {
      where: "user-event",
      type: "REFRESH_TOKEN_ERROR",
      error: "invalid_token",
      reason: "Stale token",
      status: 400,
      note: 'Revoke Refresh Token is on and an already-used refresh token came back; "Maximum allowed refresh token reuse exceeded" is the same with a reuse count.',
    },
    {
      where: "user-event",
      type: "REFRESH_TOKEN_ERROR",
      error: "invalid_token",
      reason: "Invalid refresh token. Token client and authorized client don't match",
      status: 400,
      note: "A refresh token of one client was presented by another.",
    },
    {
      where: "user-event",
      type: "CODE_TO_TOKEN_ERROR",
      error: "invalid_code",
      status: 400,
      note: "The authorization code was already used or is unknown (no reason detail); expired_code when it was exchanged too late.",
    },
    {
      where: "user-event",
      type: "USER_INFO_REQUEST_ERROR",
      error: "user_session_not_found",
      status: 401,
      note: "The access token is valid but its session is gone (also session_expired); no reason detail.",
    },
  ],
  content: (v) => ({
    meaning: [
      paragraph(
        "The token or code is well-formed, but the session behind it no longer exists, or the refresh token was already used under rotation.",
      ),
      list(
        "Logout, an admin signing the user out, or session idle/max timeouts end the session and every token tied to it.",
        "With Revoke Refresh Token on, each refresh token works once (plus Refresh Token Max Reuse): two tabs or threads refreshing at the same time make one of them fail with Stale token.",
        "Authorization codes are single-use and short-lived: a double submit or a retried callback fails with invalid_code.",
      ),
    ],
    confirm: [
      steps(
        {
          text: "See the user's current sessions and the clients in them.",
          path: ["Users", v.username, "Sessions"],
          link: consoleLink(v, "Open the user's sessions", ["users", { field: "userId" }, "sessions"]),
        },
        {
          text: "Check Revoke Refresh Token and Refresh Token Max Reuse.",
          path: ["Realm settings", "Tokens", "Refresh tokens"],
          link: consoleLink(v, "Open token settings", ["realm-settings", "tokens"]),
        },
        {
          text: "Check SSO Session Idle/Max and Client session Idle/Max.",
          path: ["Realm settings", "Sessions"],
          link: consoleLink(v, "Open session settings", ["realm-settings", "sessions"]),
        },
      ),
      paragraph(
        "Admin events on users/<id>/logout or sessions right before the failures mean someone ended the sessions.",
      ),
    ],
    console: [
      steps(
        {
          text: "In the application: serialise refreshes (one in flight per session) and always store the newest refresh token.",
        },
        {
          text: "If rotation is not wanted, turn Revoke Refresh Token off, or raise Refresh Token Max Reuse for short concurrency windows.",
          path: ["Realm settings", "Tokens", "Refresh tokens", "Revoke Refresh Token"],
          link: consoleLink(v, "Open token settings", ["realm-settings", "tokens"]),
        },
        {
          text: "Lengthen SSO Session Idle if users legitimately pause longer than it; keep Client session values at or below the SSO ones.",
          path: ["Realm settings", "Sessions"],
        },
      ),
    ],
    kcadm: [
      kcadmScript(
        v,
        { user: true },
        [
          `kcadm.sh get "realms/$REALM" --fields ${SESSION_FIELDS}`,
          'kcadm.sh get "users/$USER_ID/sessions" -r "$REALM"',
          "# only if rotation causes the failures",
          'kcadm.sh update "realms/$REALM" -s revokeRefreshToken=false',
        ],
        "Inspect sessions and session settings",
      ),
    ],
    curl: [
      curlScript(
        v,
        { user: true },
        [
          `curl -s -H "$AUTH" "$KC/admin/realms/$REALM" | jq '{${SESSION_FIELDS}}'`,
          'curl -s -H "$AUTH" "$KC/admin/realms/$REALM/users/$USER_ID/sessions" | jq \'.[] | {start, lastAccess, clients}\'',
        ],
        "Inspect sessions and session settings",
      ),
    ],
    verify: [
      list(
        "REFRESH_TOKEN_ERROR with Session not active or Stale token stops for the application (enable saving of REFRESH_TOKEN_ERROR to see it).",
        "The user's session stays listed under Users > user > Sessions while they work.",
      ),
    ],
  }),
};
