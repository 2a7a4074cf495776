import { list, paragraph, steps } from "@/lib/fixes/blocks";
import { consoleLink } from "@/lib/fixes/console-link";
import { curlScript, decodeTokenScript, kcadmScript } from "@/lib/fixes/scripts";
import type { FixBlock, FixDefinition, FixValues } from "@/lib/fixes/types";
import { ADMIN_ENDPOINT_ROLES, isRealmManagementRole } from "@/lib/keycloak/realm-management-roles";

type Subject = "user" | "service-account";

/** Whose roles the page fixes: the user when one is named, else the client's service account, else both. */
function subjects(v: FixValues): Subject[] {
  if (v.known("userId") || v.known("username")) return ["user"];
  if (v.known("clientId")) return ["service-account"];
  return ["user", "service-account"];
}

/** The command fragments that differ between a realm role and a client role. */
function roleShape(v: FixValues) {
  const client = v.roleClient !== undefined;
  return {
    client,
    claim: client ? `resource_access.${v.roleClientId}.roles` : "realm_access.roles",
    kcadmOption: client ? ' --cclientid "$ROLE_CLIENT_ID"' : "",
    kcadmGet: client
      ? 'kcadm.sh get "clients/$ROLE_CLIENT_UUID/roles/$ROLE" -r "$REALM"'
      : 'kcadm.sh get "roles/$ROLE" -r "$REALM"',
    curlGet: client
      ? 'curl -s -H "$AUTH" "$KC/admin/realms/$REALM/clients/$ROLE_CLIENT_UUID/roles/$ROLE"'
      : 'curl -s -H "$AUTH" "$KC/admin/realms/$REALM/roles/$ROLE"',
    mappings: client ? "role-mappings/clients/$ROLE_CLIENT_UUID" : "role-mappings/realm",
    scopeMappings: client ? "scope-mappings/clients/$ROLE_CLIENT_UUID" : "scope-mappings/realm",
  };
}

function consoleAssignSteps(v: FixValues, subject: Subject, client: boolean): FixBlock {
  const filter = client
    ? `Filter by clients, pick ${v.roleClientId} ${v.role}`
    : `Filter by realm roles, pick ${v.role}`;
  if (subject === "user") {
    return steps(
      {
        text: `Open the user's role mappings. Untick Hide inherited roles to see effective roles, including those from groups and composites.`,
        path: ["Users", v.username, "Role mapping"],
        link: consoleLink(v, "Open the user's role mapping", ["users", { field: "userId" }, "role-mapping"]),
      },
      {
        text: `Assign role, ${filter}, then Assign.`,
        path: ["Users", v.username, "Role mapping", "Assign role"],
      },
      {
        text: `Or, when everyone in one of ${v.username}'s groups needs it, assign it to that group instead (Users > ${v.username} > Groups shows them). Not to the client's service account: that account acts for the client, not for this user.`,
        path: ["Groups", "<group>", "Role mapping", "Assign role"],
      },
    );
  }
  return steps(
    {
      text: `Open the roles of ${v.clientId}'s service account. If the tab is missing, turn on Service accounts roles under Settings > Capability config first.`,
      path: ["Clients", v.clientId, "Service accounts roles"],
      link: consoleLink(v, "Open the service account roles", [
        "clients",
        { field: "clientUuid" },
        "serviceAccount",
      ]),
    },
    {
      text: `Assign role, ${filter}, then Assign.`,
      path: ["Clients", v.clientId, "Service accounts roles", "Assign role"],
    },
  );
}

export const missingRole: FixDefinition = {
  cause: "missing-role",
  concepts: ["realm-vs-client-roles", "composite-roles", "role-scope-mappings", "admin-roles"],
  versionNotes: ["org-group-roles"],
  signals: [
    {
      where: "http",
      status: 403,
      note: "An Admin REST call (/admin/realms/{realm}/...) by an account without the realm-management role it needs. Keycloak writes no event: only its HTTP access log (or your client's error) shows it.",
    },
    {
      where: "resource-server",
      status: 403,
      note: "Your API found the role missing from realm_access.roles or resource_access.<client>.roles. Keycloak records nothing.",
    },
    {
      where: "resource-server",
      status: 403,
      note: "The role is assigned, yet absent from the token: Full scope allowed is off and the role is not in the client's scope mappings, or the roles client scope was removed from the client.",
    },
  ],
  content: (v) => {
    const shape = roleShape(v);
    const who = subjects(v);
    const adminRole = isRealmManagementRole(v.role) || v.roleClient === "realm-management";
    const subjectVar = (s: Subject) => (s === "user" ? "$USER_ID" : "$SA_USER_ID");
    const needs = {
      client: true,
      user: who.includes("user"),
      serviceAccount: who.includes("service-account"),
      roleClient: shape.client,
      vars: ["ROLE" as const],
    };
    return {
      meaning: [
        paragraph(
          `The caller is authenticated but lacks the ${v.roleLabel}, or holds it without it reaching the token (read from ${shape.claim}).`,
        ),
        list(
          "Not assigned: the user, a group of theirs, or the client's service account has no mapping to the role (directly or through a composite).",
          "Assigned as the wrong kind: a realm role where the API checks a client role, or the other way round. Same name, different role.",
          "Assigned but filtered out: with Full scope allowed off, a role outside the client's scope mappings is dropped; without the roles client scope the token has no role claims at all.",
          "Admin REST API: each call needs a role of the realm-management client (view-users to read a user, view-events to read events, ...); realm roles never satisfy it.",
        ),
      ],
      confirm: [
        decodeTokenScript(["azp", "realm_access", "resource_access"]),
        paragraph(
          `The role should be in ${shape.claim}. If it sits in the other claim, the role was assigned as the wrong kind.`,
        ),
        steps({
          text: `Open the role itself: its Users in role tab lists who holds it directly, and Associated roles the composites it grants.`,
          path: shape.client ? ["Clients", v.roleClientId, "Roles", v.role] : ["Realm roles", v.role],
          // RealmRoleRoute /:realm/roles/:id/:tab and ClientRoleRoute /:realm/clients/:clientId/roles/:id/:tab
          // of js/apps/admin-ui: the role's id (and its client's UUID) read from Keycloak.
          link: shape.client
            ? consoleLink(v, "Open the role", [
                "clients",
                { field: "roleClientUuid" },
                "roles",
                { field: "roleId" },
                "details",
              ])
            : consoleLink(v, "Open the role", ["roles", { field: "roleId" }, "details"]),
        }),
        ...(adminRole
          ? [
              paragraph("Admin REST calls and the realm-management role each needs:"),
              list(...ADMIN_ENDPOINT_ROLES.map((r) => `${r.call}: ${r.role}${r.note ? ` (${r.note})` : ""}`)),
            ]
          : []),
        steps(
          {
            text: `Generate the token Keycloak would issue now: choose the user (for the service account: service-account-${v.clientId.toLowerCase()}) and read Effective role scope mappings and the Generated access token.`,
            path: ["Clients", v.clientId, "Client scopes", "Evaluate"],
            link: consoleLink(v, "Open Evaluate", [
              "clients",
              { field: "clientUuid" },
              "clientScopes",
              "evaluate",
            ]),
          },
          {
            text: "Check whether the client may carry every role (Full scope allowed) or only the listed ones.",
            path: ["Clients", v.clientId, "Client scopes", `${v.clientId}-dedicated`, "Scope"],
            link: consoleLink(v, "Open the dedicated scope", [
              "clients",
              { field: "clientUuid" },
              "clientScopes",
              "dedicated",
              "scope",
            ]),
          },
        ),
        kcadmScript(
          v,
          needs,
          who.map(
            (s) =>
              `kcadm.sh get-roles -r "$REALM" --uid "${subjectVar(s)}"${shape.kcadmOption} --effective --fields name`,
          ),
          "List the effective roles",
        ),
      ],
      console: [
        ...who.map((s) => consoleAssignSteps(v, s, shape.client)),
        paragraph("If the role is assigned and still missing from the token:"),
        steps(
          {
            text: `Either switch Full scope allowed on, or Assign role and add ${v.role} to the client's scope mappings (the narrower choice).`,
            path: ["Clients", v.clientId, "Client scopes", `${v.clientId}-dedicated`, "Scope"],
            link: consoleLink(v, "Open the dedicated scope", [
              "clients",
              { field: "clientUuid" },
              "clientScopes",
              "dedicated",
              "scope",
            ]),
          },
          {
            text: "Check that roles is listed with Assigned type Default; if not, Add client scope > roles > Add > Default.",
            path: ["Clients", v.clientId, "Client scopes"],
          },
          {
            text: `If the user gets ${v.role} through a composite, check the composite's Associated roles contain it.`,
            path: shape.client
              ? ["Clients", v.roleClientId, "Roles", "<composite>", "Associated roles"]
              : ["Realm roles", "<composite>", "Associated roles"],
          },
        ),
        ...(adminRole
          ? []
          : [
              paragraph(
                `If the role was assigned as the other kind, either assign the ${shape.client ? "client" : "realm"} role the API expects, or change the API to read ${shape.client ? "realm_access.roles" : "resource_access.<client>.roles"}. Do not create a same-named role of the other kind to paper over it.`,
              ),
            ]),
      ],
      kcadm: [
        kcadmScript(
          v,
          needs,
          [
            ...who.map(
              (s) =>
                `kcadm.sh add-roles -r "$REALM" --uid "${subjectVar(s)}"${shape.kcadmOption} --rolename "$ROLE"  # ${s === "user" ? "the user" : "the service account"}`,
            ),
            "",
            "# Only if the role is assigned but filtered out of the token: add it to the client's scope mappings",
            `${shape.kcadmGet} > role.json`,
            `kcadm.sh create "clients/$CLIENT_UUID/${shape.scopeMappings}" -r "$REALM" -b "[$(cat role.json)]"`,
            '# (or let the client carry every role: kcadm.sh update "clients/$CLIENT_UUID" -r "$REALM" -s fullScopeAllowed=true)',
          ],
          "Assign the role",
        ),
      ],
      curl: [
        curlScript(
          v,
          needs,
          [
            `ROLE_JSON=$(${shape.curlGet})`,
            ...who.map(
              (s) =>
                `jq -n --argjson r "$ROLE_JSON" '[$r]' | curl -s -X POST -H "$AUTH" -H 'Content-Type: application/json' --data-binary @- \\\n  "$KC/admin/realms/$REALM/users/${subjectVar(s)}/${shape.mappings}"`,
            ),
            "",
            "# Only if the role is assigned but filtered out of the token:",
            `jq -n --argjson r "$ROLE_JSON" '[$r]' | curl -s -X POST -H "$AUTH" -H 'Content-Type: application/json' --data-binary @- \\\n  "$KC/admin/realms/$REALM/clients/$CLIENT_UUID/${shape.scopeMappings}"`,
          ],
          "Assign the role through the Admin REST API",
        ),
      ],
      verify: [
        curlScript(
          v,
          needs,
          [
            `curl -s -G -H "$AUTH" "$KC/admin/realms/$REALM/clients/$CLIENT_UUID/evaluate-scopes/generate-example-access-token" \\\n  -d userId="${subjectVar(who[0] ?? "user")}" | jq '{realm_access, resource_access, aud}'`,
          ],
          "The token Keycloak would issue now",
        ),
        list(
          `${shape.claim} contains ${v.role}.`,
          "Tokens issued before the change keep their old roles: the caller needs a new token (log in again, or request a new client-credentials token).",
          adminRole
            ? "The Admin REST call that answered 403 now answers 200."
            : "The API call that answered 403 now succeeds.",
          "realmwatch's live checks Effective roles and Role scope turn to pass.",
        ),
      ],
    };
  },
};
