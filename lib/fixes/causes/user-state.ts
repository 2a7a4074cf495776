import { list, paragraph, steps } from "@/lib/fixes/blocks";
import { consoleLink } from "@/lib/fixes/console-link";
import { curlScript, kcadmScript } from "@/lib/fixes/scripts";
import type { FixDefinition } from "@/lib/fixes/types";

export const userState: FixDefinition = {
  cause: "user-state",
  concepts: [],
  versionNotes: [],
  signals: [
    {
      where: "user-event",
      type: "LOGIN_ERROR",
      error: "user_temporarily_disabled",
      note: "Locked by brute-force detection for a while; the lockout itself is a success-typed USER_DISABLED_BY_TEMPORARY_LOCKOUT event with reason brute_force_attack detected.",
    },
    {
      where: "user-event",
      type: "LOGIN_ERROR",
      error: "user_disabled",
      note: "Disabled by an administrator, or permanently locked out (USER_DISABLED_BY_PERMANENT_LOCKOUT).",
    },
    {
      where: "user-event",
      type: "LOGIN_ERROR",
      error: "resolve_required_actions",
      reason: "Account is not fully set up",
      status: 400,
      note: "A password grant for a user with pending required actions (verify e-mail, update password, configure OTP).",
    },
    {
      where: "user-event",
      type: "CLIENT_LOGIN_ERROR",
      error: "user_disabled",
      reason: "User '<name>' disabled",
      note: "The client's service account user is disabled.",
    },
  ],
  content: (v) => ({
    meaning: [
      paragraph(
        `The credentials may be right, but the account of ${v.username} cannot sign in: it is disabled, locked by brute-force detection, or has required actions a non-interactive flow cannot complete.`,
      ),
      list(
        "Temporary lockouts lift after the wait time; permanent lockouts disable the user until an administrator enables it.",
        "A burst of invalid_user_credentials before the lockout tells whether the user mistyped or someone guessed.",
      ),
    ],
    confirm: [
      steps(
        {
          text: "Look at Enabled, the temporarily locked notice, and Required user actions.",
          path: ["Users", v.username, "Details"],
          link: consoleLink(v, "Open the user", ["users", { field: "userId" }, "settings"]),
        },
        {
          text: "Read the brute-force settings (permanent or temporary lockout, max login failures, wait increment).",
          path: ["Realm settings", "Security defenses", "Brute force detection"],
          link: consoleLink(v, "Open security defenses", ["realm-settings", "security-defenses"]),
        },
      ),
      kcadmScript(
        v,
        { user: true },
        [
          'kcadm.sh get "attack-detection/brute-force/users/$USER_ID" -r "$REALM"',
          '# {"numFailures": ..., "disabled": true, "lastIPFailure": "...", "lastFailure": ...}',
        ],
        "Brute-force state of the user",
      ),
    ],
    console: [
      steps(
        {
          text: "Unlock (the switch next to the lockout notice) or turn Enabled on; remove Required user actions the user's flow cannot complete. Save.",
          path: ["Users", v.username, "Details"],
          link: consoleLink(v, "Open the user", ["users", { field: "userId" }, "settings"]),
        },
        {
          text: "If legitimate users keep locking themselves out, raise Max login failures or switch to temporary lockout.",
          path: ["Realm settings", "Security defenses", "Brute force detection"],
        },
      ),
    ],
    kcadm: [
      kcadmScript(
        v,
        { user: true },
        [
          'kcadm.sh delete "attack-detection/brute-force/users/$USER_ID" -r "$REALM"  # clear the lockout',
          'kcadm.sh update "users/$USER_ID" -r "$REALM" -s enabled=true',
          'kcadm.sh update "users/$USER_ID" -r "$REALM" -s \'requiredActions=[]\'',
        ],
        "Unlock and enable the user",
      ),
    ],
    curl: [
      curlScript(
        v,
        { user: true },
        [
          'curl -s -H "$AUTH" "$KC/admin/realms/$REALM/attack-detection/brute-force/users/$USER_ID"',
          'curl -s -X DELETE -H "$AUTH" "$KC/admin/realms/$REALM/attack-detection/brute-force/users/$USER_ID"',
          'curl -s -H "$AUTH" "$KC/admin/realms/$REALM/users/$USER_ID" | jq \'.enabled = true\' \\',
          '| curl -s -X PUT -H "$AUTH" -H \'Content-Type: application/json\' --data-binary @- "$KC/admin/realms/$REALM/users/$USER_ID"',
        ],
        "Unlock and enable the user",
      ),
    ],
    verify: [
      list(
        "The brute-force state shows disabled: false and numFailures: 0.",
        "The user's next LOGIN succeeds; realmwatch's user timeline shows the unlock as an admin event.",
      ),
    ],
  }),
};
