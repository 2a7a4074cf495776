import { list, paragraph, steps } from "@/lib/fixes/blocks";
import { consoleLink } from "@/lib/fixes/console-link";
import { curlScript, kcadmScript } from "@/lib/fixes/scripts";
import type { FixDefinition } from "@/lib/fixes/types";

export const userCredentials: FixDefinition = {
  cause: "user-credentials",
  concepts: [],
  versionNotes: [],
  signals: [
    {
      where: "user-event",
      type: "LOGIN_ERROR",
      error: "invalid_user_credentials",
      note: "Wrong password for an existing user, once per attempt (with brute-force detection on, these count towards a lockout).",
    },
    {
      where: "user-event",
      type: "LOGIN_ERROR",
      error: "user_not_found",
      note: "No user with that username (or e-mail, when Login with email is on).",
    },
  ],
  content: (v) => ({
    meaning: [
      paragraph(
        `The user (${v.username}) could not prove who they are: unknown username or wrong password. One user failing repeatedly is usually a forgotten or changed password; many users failing from few addresses is credential stuffing.`,
      ),
      list(
        "Usernames are matched case-insensitively; e-mail login works only with Realm settings > Login > Login with email on.",
        "Users from LDAP or another federation provider authenticate against it: a provider outage looks like wrong passwords.",
      ),
    ],
    confirm: [
      steps(
        {
          text: "Find the user; check that the account exists and where it comes from (Federation link).",
          path: ["Users", v.username],
          link: consoleLink(v, "Open the user", ["users", { field: "userId" }, "settings"]),
        },
        {
          text: "See the password credential and its creation date.",
          path: ["Users", v.username, "Credentials"],
          link: consoleLink(v, "Open the credentials", ["users", { field: "userId" }, "credentials"]),
        },
        {
          text: "Compare the ipAddress of the failures: one address for many users means an attack, not a misconfiguration.",
        },
      ),
    ],
    console: [
      steps(
        {
          text: "Reset password with Temporary on, so the user picks a new one at the next login.",
          path: ["Users", v.username, "Credentials", "Reset password"],
          link: consoleLink(v, "Open the credentials", ["users", { field: "userId" }, "credentials"]),
        },
        {
          text: "Federated users: test the provider's connection and authentication.",
          path: ["User federation", "<provider>"],
        },
        {
          text: "Attacks: turn on brute-force detection and block the source upstream.",
          path: ["Realm settings", "Security defenses", "Brute force detection"],
        },
      ),
    ],
    kcadm: [
      kcadmScript(
        v,
        { user: true },
        [
          'kcadm.sh get "users/$USER_ID" -r "$REALM" --fields username,enabled,federationLink',
          "# NEW_PASSWORD from a secret store, never typed into shell history",
          'kcadm.sh set-password -r "$REALM" --userid "$USER_ID" --new-password "$NEW_PASSWORD" --temporary',
        ],
        "Inspect the user and set a temporary password",
      ),
    ],
    curl: [
      curlScript(
        v,
        { user: true },
        [
          'curl -s -H "$AUTH" "$KC/admin/realms/$REALM/users/$USER_ID" | jq \'{username, enabled, federationLink}\'',
          'jq -n --arg p "$NEW_PASSWORD" \'{type: "password", value: $p, temporary: true}\' \\',
          "| curl -s -X PUT -H \"$AUTH\" -H 'Content-Type: application/json' --data-binary @- \\",
          '  "$KC/admin/realms/$REALM/users/$USER_ID/reset-password"',
        ],
        "Inspect the user and set a temporary password",
      ),
    ],
    verify: [
      list(
        "The user logs in (a LOGIN event follows an UPDATE_PASSWORD), and the invalid_user_credentials run ends.",
      ),
    ],
  }),
};
