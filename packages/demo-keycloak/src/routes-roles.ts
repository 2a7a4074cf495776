import { type AdminHandler, adminRoles } from "./admin-auth";
import { roleRepresentation } from "./admin-representations";
import { errorReply, json } from "./http-io";
import { FORBIDDEN, httpError } from "./keycloak-errors";
import { realmRole } from "./realm-model";

/** Any admin role of the realm may list its roles (RolePermissions#canList). */
const guarded =
  (handler: AdminHandler): AdminHandler =>
  (state, req, caller, realm) =>
    adminRoles(caller, realm).size === 0 ? errorReply(FORBIDDEN) : handler(state, req, caller, realm);

const listRoles = guarded((_s, _r, _c, realm) =>
  json([...realm.roles.values()].filter((r) => !r.clientRole).map(roleRepresentation)),
);

const getRole = guarded((_s, req, _c, realm) => {
  const role = realmRole(realm, req.params.name ?? "");
  return role ? json(roleRepresentation(role)) : errorReply(httpError(404, "Could not find role"));
});

/** GET roles/{name}/composites: the direct children, realm and client roles alike. */
const composites = guarded((_s, req, _c, realm) => {
  const role = realmRole(realm, req.params.name ?? "");
  if (!role) return errorReply(httpError(404, "Could not find role"));
  return json(
    [...role.composites]
      .map((id) => realm.roles.get(id))
      .filter((r) => r !== undefined)
      .map(roleRepresentation),
  );
});

export const ROLE_ROUTES: ReadonlyArray<{ method: string; path: string; handler: AdminHandler }> = [
  { method: "GET", path: "/admin/realms/:realm/roles", handler: listRoles },
  { method: "GET", path: "/admin/realms/:realm/roles/:name", handler: getRole },
  { method: "GET", path: "/admin/realms/:realm/roles/:name/composites", handler: composites },
];
