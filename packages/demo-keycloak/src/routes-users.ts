import {
  type AdminCaller,
  type AdminHandler,
  adminAuthDetails,
  adminRoles,
  MANAGE_USERS,
  requireRole,
  VIEW_USERS,
} from "./admin-auth";
import { mappingsRepresentation, roleRepresentation, userRepresentation } from "./admin-representations";
import type { DemoState } from "./demo-state";
import { errorReply, json, noContent, type Reply, type Req } from "./http-io";
import { FORBIDDEN, httpError, isHttpError } from "./keycloak-errors";
import { effectiveUserRoles, type RealmModel, type RoleModel, type UserModel } from "./realm-model";
import { recordAdminEvent } from "./record-events";
import { clientOr404, parseJsonBody } from "./routes-clients";

const USER_NOT_FOUND = httpError(404, "User not found");

function onUser(
  roles: readonly string[],
  handler: (state: DemoState, req: Req, caller: AdminCaller, realm: RealmModel, user: UserModel) => Reply,
): AdminHandler {
  return (state, req, caller, realm) => {
    const denied = requireRole(state, caller, realm, roles);
    if (denied) return errorReply(denied);
    const user = realm.users.get(req.params.id ?? "");
    return user ? handler(state, req, caller, realm, user) : errorReply(USER_NOT_FOUND);
  };
}

/**
 * GET users: query-users (view-users holds it) or 403. A caller that may query but not view gets an
 * empty list. `username`/`email` match by substring unless exact=true and include service accounts;
 * `search` matches any name field and leaves service accounts out.
 */
const listUsers: AdminHandler = (_state, req, caller, realm) => {
  const roles = adminRoles(caller, realm);
  if (!roles.has("query-users") && !roles.has("manage-users")) return errorReply(FORBIDDEN);
  if (!roles.has("view-users") && !roles.has("manage-users")) return json([]);
  const q = req.query;
  const exact = q.get("exact") === "true";
  const match = (value: string | undefined, wanted: string) =>
    value !== undefined &&
    (exact
      ? value.toLowerCase() === wanted.toLowerCase()
      : value.toLowerCase().includes(wanted.toLowerCase()));
  const search = q.get("search");
  let users = [...realm.users.values()];
  if (search !== null) {
    const s = search.replace(/\*/g, "");
    users = users.filter(
      (u) =>
        !u.serviceAccountClientId && [u.username, u.email, u.firstName, u.lastName].some((v) => match(v, s)),
    );
  }
  for (const key of ["username", "email", "firstName", "lastName"] as const) {
    const wanted = q.get(key);
    if (wanted !== null) users = users.filter((u) => match(u[key], wanted));
  }
  if (search === null && ["username", "email", "firstName", "lastName"].every((k) => q.get(k) === null)) {
    users = users.filter((u) => !u.serviceAccountClientId);
  }
  users.sort((a, b) => a.username.localeCompare(b.username));
  const first = Math.max(0, Number(q.get("first") ?? 0) || 0);
  const max = Number(q.get("max") ?? 100) || 100;
  const brief = q.get("briefRepresentation") === "true";
  return json(users.slice(first, max < 0 ? undefined : first + max).map((u) => userRepresentation(u, brief)));
};

const getUser = onUser(VIEW_USERS, (_s, _r, _c, _realm, user) => json(userRepresentation(user)));

const directRoles = (realm: RealmModel, user: UserModel, filter: (r: RoleModel) => boolean) =>
  [...user.roleMappings]
    .map((id) => realm.roles.get(id))
    .filter((r): r is RoleModel => r !== undefined && filter(r));

const effectiveRoles = (realm: RealmModel, user: UserModel, filter: (r: RoleModel) => boolean) =>
  [...effectiveUserRoles(realm, user)].map((id) => realm.roles.get(id)!).filter(filter);

/** GET users/{id}/role-mappings: realm and client mappings together. */
const allMappings = onUser(VIEW_USERS, (_s, _r, _c, realm, user) => {
  const roles = directRoles(realm, user, () => true);
  return json(mappingsRepresentation(realm, roles));
});

const realmMappings = (composite: boolean) =>
  onUser(VIEW_USERS, (_s, _r, _c, realm, user) =>
    json(
      (composite ? effectiveRoles : directRoles)(realm, user, (r) => !r.clientRole).map(roleRepresentation),
    ),
  );

const clientMappings = (composite: boolean) =>
  onUser(VIEW_USERS, (_s, req, _c, realm, user) => {
    const client = clientOr404(realm, req.params.clientUuid);
    if (isHttpError(client)) return errorReply(client);
    return json(
      (composite ? effectiveRoles : directRoles)(realm, user, (r) => r.containerId === client.id).map(
        roleRepresentation,
      ),
    );
  });

/**
 * POST / DELETE role mappings. Realm roles are looked up by id; client roles by name, and the id must
 * match too (ClientRoleMappingsResource). Recorded as REALM_ROLE_MAPPING / CLIENT_ROLE_MAPPING with the
 * roles as a JSON array.
 */
function changeMappings(kind: "realm" | "client", add: boolean): AdminHandler {
  return onUser(MANAGE_USERS, (state, req, caller, realm, user) => {
    const body = parseJsonBody<Array<{ id?: string; name?: string }>>(req);
    if (isHttpError(body)) return errorReply(body);
    if (!Array.isArray(body)) return errorReply(httpError(400, "unknown_error", "Cannot parse the JSON"));
    let roles: Array<RoleModel | undefined>;
    let path: string;
    if (kind === "realm") {
      roles = body.map((r) => {
        const role = realm.roles.get(r?.id ?? "");
        return role && !role.clientRole ? role : undefined;
      });
      path = `users/${user.id}/role-mappings/realm`;
    } else {
      const client = clientOr404(realm, req.params.clientUuid);
      if (isHttpError(client)) return errorReply(client);
      roles = body.map((r) => {
        const role = client.roles.get(r?.name ?? "");
        return role && role.id === r?.id ? role : undefined;
      });
      path = `users/${user.id}/role-mappings/clients/${client.id}`;
    }
    if (roles.some((r) => r === undefined)) return errorReply(httpError(404, "Role not found"));
    for (const r of roles) add ? user.roleMappings.add(r!.id) : user.roleMappings.delete(r!.id);
    recordAdminEvent(state, realm, {
      time: state.now(),
      authDetails: adminAuthDetails(caller, req),
      operationType: add ? "CREATE" : "DELETE",
      resourceType: kind === "realm" ? "REALM_ROLE_MAPPING" : "CLIENT_ROLE_MAPPING",
      resourcePath: path,
      representation: JSON.stringify(roles.map((r) => roleRepresentation(r!))),
    });
    return noContent();
  });
}

/** GET attack-detection/brute-force/users/{id}: the brute-force state of one user. */
const bruteForceStatus: AdminHandler = (state, req, caller, realm) => {
  const denied = requireRole(state, caller, realm, VIEW_USERS);
  if (denied) return errorReply(denied);
  const lf = realm.loginFailures.get(req.params.id ?? "");
  const now = state.now();
  return json({
    numFailures: lf?.numFailures ?? 0,
    disabled: !!lf && realm.bruteForceProtected && lf.failedLoginNotBefore > now,
    lastIPFailure: lf?.lastIPFailure ?? "n/a",
    lastFailure: lf?.lastFailure ?? 0,
  });
};

/** DELETE attack-detection/brute-force/users/{id}: unlocks the user. */
const clearBruteForce: AdminHandler = (state, req, caller, realm) => {
  const denied = requireRole(state, caller, realm, MANAGE_USERS);
  if (denied) return errorReply(denied);
  const id = req.params.id ?? "";
  realm.loginFailures.delete(id);
  recordAdminEvent(state, realm, {
    time: state.now(),
    authDetails: adminAuthDetails(caller, req),
    operationType: "DELETE",
    resourceType: "USER_LOGIN_FAILURE",
    resourcePath: `attack-detection/brute-force/users/${id}`,
  });
  return noContent();
};

export const USER_ROUTES: ReadonlyArray<{ method: string; path: string; handler: AdminHandler }> = [
  { method: "GET", path: "/admin/realms/:realm/users", handler: listUsers },
  { method: "GET", path: "/admin/realms/:realm/users/:id", handler: getUser },
  { method: "GET", path: "/admin/realms/:realm/users/:id/role-mappings", handler: allMappings },
  {
    method: "GET",
    path: "/admin/realms/:realm/users/:id/role-mappings/realm",
    handler: realmMappings(false),
  },
  {
    method: "GET",
    path: "/admin/realms/:realm/users/:id/role-mappings/realm/composite",
    handler: realmMappings(true),
  },
  {
    method: "POST",
    path: "/admin/realms/:realm/users/:id/role-mappings/realm",
    handler: changeMappings("realm", true),
  },
  {
    method: "DELETE",
    path: "/admin/realms/:realm/users/:id/role-mappings/realm",
    handler: changeMappings("realm", false),
  },
  {
    method: "GET",
    path: "/admin/realms/:realm/users/:id/role-mappings/clients/:clientUuid",
    handler: clientMappings(false),
  },
  {
    method: "GET",
    path: "/admin/realms/:realm/users/:id/role-mappings/clients/:clientUuid/composite",
    handler: clientMappings(true),
  },
  {
    method: "POST",
    path: "/admin/realms/:realm/users/:id/role-mappings/clients/:clientUuid",
    handler: changeMappings("client", true),
  },
  {
    method: "DELETE",
    path: "/admin/realms/:realm/users/:id/role-mappings/clients/:clientUuid",
    handler: changeMappings("client", false),
  },
  {
    method: "GET",
    path: "/admin/realms/:realm/attack-detection/brute-force/users/:id",
    handler: bruteForceStatus,
  },
  {
    method: "DELETE",
    path: "/admin/realms/:realm/attack-detection/brute-force/users/:id",
    handler: clearBruteForce,
  },
];
