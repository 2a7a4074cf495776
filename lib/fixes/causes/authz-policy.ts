import { list, paragraph, snippet, steps } from "@/lib/fixes/blocks";
import { consoleLink } from "@/lib/fixes/console-link";
import { curlScript, kcadmScript, realmEndpointVars } from "@/lib/fixes/scripts";
import { shellQuote } from "@/lib/fixes/shell-quote";
import type { FixDefinition } from "@/lib/fixes/types";

export const authzPolicy: FixDefinition = {
  cause: "authz-policy",
  concepts: ["event-saving"],
  versionNotes: [],
  signals: [
    {
      where: "user-event",
      type: "PERMISSION_TOKEN_ERROR",
      error: "access_denied",
      reason: "not_authorized",
      status: 403,
      note: "Authorization Services evaluated the policies and denied; reason request_submitted when a permission ticket flow submitted a request instead. Not saved by default.",
    },
    {
      where: "resource-server",
      status: 403,
      note: "A policy enforcer in front of your API denied the resource or scope; Keycloak sees only the permission request.",
    },
  ],
  content: (v) => ({
    meaning: [
      paragraph(
        `Authorization Services of resource server ${v.clientId} evaluated its permissions for the requested resource and scope and denied. Roles and tokens are fine; a policy said no.`,
      ),
      list(
        "Several policies on one permission combine by its Decision strategy: Unanimous (all must grant), Affirmative (one is enough), Consensus (majority).",
        "Policy enforcement mode Enforcing denies when no policy covers a resource; Permissive allows it; Disabled skips evaluation.",
        "If fine-grained authorization was never wanted, turning Authorization off for the client removes these denials.",
      ),
    ],
    confirm: [
      steps({
        text: "Evaluate: pick the client, the user, the resources and scopes, then Evaluate and read each permission's decision and which policy voted what.",
        path: ["Clients", v.clientId, "Authorization", "Evaluate"],
        link: consoleLink(v, "Open Authorization", ["clients", { field: "clientUuid" }, "authorization"]),
      }),
      snippet(
        "bash",
        [
          ...realmEndpointVars(v),
          `AUDIENCE=${shellQuote(v.clientId)}`,
          "# Ask for a requesting party token with the user's access token: 403 access_denied not_authorized reproduces it",
          'curl -s "$KC/realms/$REALM/protocol/openid-connect/token" -H "Authorization: Bearer $ACCESS_TOKEN" \\',
          '  -d grant_type=urn:ietf:params:oauth:grant-type:uma-ticket --data-urlencode audience="$AUDIENCE" | jq .',
        ].join("\n"),
      ),
      paragraph(
        "For the policy engine's reasoning, run Keycloak with KC_LOG_LEVEL=INFO,org.keycloak.authorization:DEBUG.",
      ),
    ],
    console: [
      steps(
        {
          text: "Fix the policy that denied (its roles, groups, users, time or JavaScript conditions), or the permission's Decision strategy.",
          path: ["Clients", v.clientId, "Authorization", "Policies"],
        },
        {
          text: "To confirm the policies are the cause, set Policy enforcement mode to Permissive briefly, then back to Enforcing.",
          path: ["Clients", v.clientId, "Authorization", "Settings"],
        },
        {
          text: "Save PERMISSION_TOKEN_ERROR events so the next denial is recorded.",
          path: ["Realm settings", "Events", "User events settings"],
          link: consoleLink(v, "Open event settings", ["realm-settings", "events"]),
        },
      ),
    ],
    kcadm: [
      kcadmScript(
        v,
        { client: true },
        [
          'kcadm.sh get "clients/$CLIENT_UUID/authz/resource-server" -r "$REALM" --fields policyEnforcementMode,decisionStrategy',
          'kcadm.sh get "clients/$CLIENT_UUID/authz/resource-server/permission" -r "$REALM" --fields name,type,decisionStrategy',
          'kcadm.sh get "clients/$CLIENT_UUID/authz/resource-server/policy" -r "$REALM" --fields name,type,logic',
          "# temporarily, to confirm the diagnosis:",
          'kcadm.sh update "clients/$CLIENT_UUID/authz/resource-server" -r "$REALM" -s policyEnforcementMode=PERMISSIVE',
        ],
        "Inspect the resource server's permissions and policies",
      ),
    ],
    curl: [
      curlScript(
        v,
        { client: true },
        [
          'curl -s -H "$AUTH" "$KC/admin/realms/$REALM/clients/$CLIENT_UUID/authz/resource-server" | jq \'{policyEnforcementMode, decisionStrategy}\'',
          'curl -s -H "$AUTH" "$KC/admin/realms/$REALM/clients/$CLIENT_UUID/authz/resource-server/permission" | jq \'.[] | {name, type, decisionStrategy}\'',
          'curl -s -H "$AUTH" "$KC/admin/realms/$REALM/clients/$CLIENT_UUID/authz/resource-server/policy" | jq \'.[] | {name, type, logic}\'',
        ],
        "Inspect the resource server's permissions and policies",
      ),
    ],
    verify: [
      list(
        "Evaluate shows PERMIT for the user, resource and scope; the uma-ticket request returns an access_token.",
        "Policy enforcement mode is back to Enforcing.",
      ),
    ],
  }),
};
