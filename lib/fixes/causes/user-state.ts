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
          text: "A brute-force lock: use the unlock switch next to the temporarily locked notice. This clears the lock only; Enabled and required actions stay as they are.",
          path: ["Users", v.username, "Details"],
          link: consoleLink(v, "Open the user", ["users", { field: "userId" }, "settings"]),
        },
        {
          text: "Only if an administrator or a permanent lockout disabled the user, and it should sign in again: turn Enabled on and Save. A separate decision from the unlock.",
          path: ["Users", v.username, "Details", "Enabled"],
        },
        {
          text: "Only if the flow cannot complete a pending required action (a password grant): remove that one action from Required user actions and Save. The others stay.",
          path: ["Users", v.username, "Details", "Required user actions"],
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
          "# 1. Read the state first: the lock, and the user's enabled flag and required actions",
          'kcadm.sh get "attack-detection/brute-force/users/$USER_ID" -r "$REALM"',
          'kcadm.sh get "users/$USER_ID" -r "$REALM" --fields enabled,requiredActions',
          "# 2. Clear the brute-force lock only (AttackDetectionResource: DELETE brute-force/users/{id})",
          'kcadm.sh delete "attack-detection/brute-force/users/$USER_ID" -r "$REALM"',
          "",
          "# Separate steps, only when step 1 shows they are the cause:",
          "# 3. the user is disabled (enabled: false) and should sign in again (undo: -s enabled=false)",
          '# kcadm.sh update "users/$USER_ID" -r "$REALM" -s enabled=true',
          "# 4. a required action the flow cannot complete: set the list to what step 1 showed, less that one action",
          '# kcadm.sh update "users/$USER_ID" -r "$REALM" -s \'requiredActions=["VERIFY_EMAIL"]\'',
        ],
        "Clear the brute-force lock",
      ),
    ],
    curl: [
      curlScript(
        v,
        { user: true },
        [
          "# 1. Read the state first: the lock, and the user's enabled flag and required actions",
          'curl -s -H "$AUTH" "$KC/admin/realms/$REALM/attack-detection/brute-force/users/$USER_ID"',
          'curl -s -H "$AUTH" "$KC/admin/realms/$REALM/users/$USER_ID" | jq \'{enabled, requiredActions}\'',
          "# 2. Clear the brute-force lock only",
          'curl -s -X DELETE -H "$AUTH" "$KC/admin/realms/$REALM/attack-detection/brute-force/users/$USER_ID"',
          "",
          "# 3. Separate step, only if step 1 shows enabled: false and the user should sign in again:",
          "#    (the whole representation goes back, changed in enabled only)",
          '# curl -s -H "$AUTH" "$KC/admin/realms/$REALM/users/$USER_ID" | jq \'.enabled = true\' \\',
          '#   | curl -s -X PUT -H "$AUTH" -H \'Content-Type: application/json\' --data-binary @- "$KC/admin/realms/$REALM/users/$USER_ID"',
        ],
        "Clear the brute-force lock",
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
