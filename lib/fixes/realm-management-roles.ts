/**
 * Roles of the `realm-management` client that gate the Admin REST API of a realm (for admins of the master
 * realm: the same role names on the `<realm>-realm` client). `realm-admin` is the composite of all of them.
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
  "view-authorization",
  "manage-authorization",
  "view-identity-providers",
  "manage-identity-providers",
  "query-realms",
  "impersonation",
  "realm-admin",
] as const;

export type RealmManagementRole = (typeof REALM_MANAGEMENT_ROLES)[number];

export function isRealmManagementRole(role: string): role is RealmManagementRole {
  return (REALM_MANAGEMENT_ROLES as readonly string[]).includes(role);
}

/** Which role an Admin REST call needs: the table a missing-role page shows for admin 403s. */
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
