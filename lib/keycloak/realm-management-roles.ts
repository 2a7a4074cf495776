/**
 * The roles of a realm's `realm-management` client, which gate its Admin REST API (for administrators of the
 * master realm: the same role names on the `<realm>-realm` client in master). Keycloak declares them in
 * org.keycloak.models.AdminRoles: ALL_REALM_ROLES plus IMPERSONATION, and REALM_ADMIN, the composite of all of
 * them. Newer servers also declare view-, manage- and query-organizations there; realmwatch calls no
 * organization endpoint and the demo server emulates servers without them, so they are not listed. `admin` and
 * `create-realm` are roles of the master realm itself, not of realm-management.
 * Ordered as the demo server creates them.
 */
export const REALM_MANAGEMENT_ROLES = [
  "view-realm",
  "manage-realm",
  "view-users",
  "manage-users",
  "query-users",
  "query-groups",
  "view-clients",
  "manage-clients",
  "query-clients",
  "create-client",
  "view-events",
  "manage-events",
  "view-identity-providers",
  "manage-identity-providers",
  "view-authorization",
  "manage-authorization",
  "query-realms",
  "impersonation",
  "realm-admin",
] as const;

export type RealmManagementRole = (typeof REALM_MANAGEMENT_ROLES)[number];

export function isRealmManagementRole(role: string): role is RealmManagementRole {
  return (REALM_MANAGEMENT_ROLES as readonly string[]).includes(role);
}

/** Which role an Admin REST call needs, in words: the table a missing-role page shows for admin 403s. */
export const ADMIN_ENDPOINT_ROLES: { call: string; role: RealmManagementRole; note?: string }[] = [
  { call: "GET /admin/realms/{realm}/users", role: "query-users", note: "view-users also works" },
  { call: "GET /admin/realms/{realm}/users/{id} (and its role-mappings)", role: "view-users" },
  { call: "POST, PUT, DELETE /admin/realms/{realm}/users/...", role: "manage-users" },
  { call: "GET /admin/realms/{realm}/groups", role: "query-groups", note: "view-users also works" },
  { call: "GET /admin/realms/{realm}/clients", role: "query-clients", note: "view-clients also works" },
  { call: "GET /admin/realms/{realm}/clients/{id}/...", role: "view-clients" },
  { call: "POST, PUT, DELETE /admin/realms/{realm}/clients/...", role: "manage-clients" },
  { call: "GET /admin/realms/{realm} (full representation), /roles", role: "view-realm" },
  { call: "PUT /admin/realms/{realm}", role: "manage-realm" },
  { call: "GET /admin/realms/{realm}/events, /admin-events, /events/config", role: "view-events" },
  { call: "PUT /admin/realms/{realm}/events/config, DELETE .../events", role: "manage-events" },
];

/**
 * Admin REST paths and the realm-management client roles that guard them (AdminPermissionEvaluator's
 * require* checks with fine-grained permissions off). Paths are relative to `/admin/realms/{realm}`.
 * For the master realm's administrators the same roles live on the `<realm>-realm` client in master.
 * Order matters: the first row whose path matches applies.
 */
export interface AdminRoleRow {
  id: string;
  /** What the caller was working with, for the evidence sentence. */
  resource: string;
  path: RegExp;
  /** Role for GET/HEAD. */
  read: RealmManagementRole;
  /** A role that suffices for some reads (listing or searching), named in the evidence. */
  readAlternative?: RealmManagementRole;
  /** Role for POST/PUT/PATCH/DELETE. */
  write: RealmManagementRole;
}

export const ADMIN_ROLE_TABLE: readonly AdminRoleRow[] = [
  {
    id: "events",
    resource: "events",
    path: /^\/(?:events|admin-events)(?:\/config)?\/?$/,
    read: "view-events",
    write: "manage-events",
  },
  {
    id: "attack-detection",
    resource: "brute-force state",
    path: /^\/attack-detection(?:\/|$)/,
    read: "view-users",
    write: "manage-users",
  },
  {
    id: "users",
    resource: "users",
    path: /^\/users(?:\/|$)/,
    read: "view-users",
    readAlternative: "query-users",
    write: "manage-users",
  },
  {
    id: "groups",
    resource: "groups",
    path: /^\/groups(?:\/|$)/,
    read: "view-users",
    readAlternative: "query-groups",
    write: "manage-users",
  },
  {
    id: "authorization",
    resource: "a client's authorization settings",
    path: /^\/clients\/[^/]+\/authz(?:\/|$)/,
    read: "view-authorization",
    write: "manage-authorization",
  },
  {
    id: "clients",
    resource: "clients",
    path: /^\/(?:clients|clients-initial-access|client-policies)(?:\/|$)/,
    read: "view-clients",
    readAlternative: "query-clients",
    write: "manage-clients",
  },
  {
    id: "client-scopes",
    resource: "client scopes",
    path: /^\/(?:client-scopes|default-default-client-scopes|default-optional-client-scopes)(?:\/|$)/,
    read: "view-clients",
    write: "manage-clients",
  },
  {
    id: "identity-providers",
    resource: "identity providers",
    path: /^\/identity-provider(?:\/|$)/,
    read: "view-identity-providers",
    write: "manage-identity-providers",
  },
  {
    id: "roles",
    resource: "realm roles",
    path: /^\/(?:roles|roles-by-id)(?:\/|$)/,
    read: "view-realm",
    write: "manage-realm",
  },
  {
    id: "realm",
    resource: "realm settings",
    path: /^(?:\/(?:authentication|components|user-storage|keys|localization|sessions|partial-export|partialImport|default-groups|required-actions|client-registration-policy)(?:\/|$).*|\/?)$/,
    read: "view-realm",
    write: "manage-realm",
  },
];

/** `/admin/realms/{realm}{rest}`, also under a relative path such as WildFly's `/auth`. */
export const ADMIN_REALM_PATH = /\/admin\/realms\/([^/?#]+)((?:\/[^?#]*)?)$/;

const READ_METHODS = new Set(["GET", "HEAD"]);

export function isReadMethod(method: string): boolean {
  return READ_METHODS.has(method.toUpperCase());
}

/** The realm-management role an admin REST request needs, or null for paths outside the table. */
export function requiredAdminRole(
  method: string,
  path: string,
): { row: AdminRoleRow; realm: string; role: RealmManagementRole; alternative?: RealmManagementRole } | null {
  const m = ADMIN_REALM_PATH.exec(path);
  if (m?.[1] === undefined) return null;
  const rest = m[2] ?? "";
  const row = ADMIN_ROLE_TABLE.find((r) => r.path.test(rest));
  if (row === undefined) return null;
  const read = isReadMethod(method);
  const alternative = read ? row.readAlternative : undefined;
  return {
    row,
    realm: decodeSafe(m[1]),
    role: read ? row.read : row.write,
    ...(alternative ? { alternative } : {}),
  };
}

function decodeSafe(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
