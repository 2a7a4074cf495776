/**
 * What an admin event changed, read from its resourcePath and operationType. Keycloak builds resourcePath from
 * the Admin REST URI relative to /admin/realms/{realm}/ (AdminEventBuilder#resourcePath), so a role mapping is
 * `users/<id>/role-mappings/clients/<client-uuid>` and a regenerated secret `clients/<uuid>/client-secret`.
 * Client and role ids in paths are internal UUIDs, never the human clientId. A realm UPDATE carries no path of
 * its own (or a garbled one), only resourceType REALM.
 */

export const ADMIN_CHANGE_KINDS = [
  "user-role-mapping-removed",
  "user-role-mapping-added",
  "user-group-left",
  "user-group-joined",
  "user-updated",
  "user-created",
  "user-deleted",
  "user-credentials-changed",
  "user-sessions-ended",
  "user-lockout-cleared",
  "client-created",
  "client-updated",
  "client-deleted",
  "client-secret-changed",
  "client-role-changed",
  "client-mapper-changed",
  "client-scope-mapping-changed",
  "client-scopes-assigned-changed",
  "client-authz-changed",
  "realm-updated",
  "events-config-changed",
  "realm-role-changed",
  "group-changed",
  "client-scope-changed",
  "realm-default-scopes-changed",
  "component-changed",
  "realm-sessions-ended",
  "identity-provider-changed",
  "authentication-flow-changed",
  "other",
] as const;
export type AdminChangeKind = (typeof ADMIN_CHANGE_KINDS)[number];

export interface AdminChange {
  kind: AdminChangeKind;
  /** Internal client UUID of the client the change belongs to. */
  clientUuid?: string;
  userId?: string;
  /** For a client role mapping: the UUID of the client whose roles were mapped. */
  roleClientUuid?: string;
}

export interface AdminEventLike {
  operationType: string;
  resourceType?: string | null;
  resourcePath?: string | null;
}

const USER_CREDENTIAL_PARTS = new Set([
  "reset-password",
  "reset-password-email",
  "credentials",
  "disable-credential-types",
]);
const USER_SESSION_PARTS = new Set(["logout", "sessions", "consents", "offline-sessions"]);

const CLIENT_PARTS = new Map<string, AdminChangeKind>(
  Object.entries({
    "client-secret": "client-secret-changed",
    certificates: "client-secret-changed",
    roles: "client-role-changed",
    "protocol-mappers": "client-mapper-changed",
    "scope-mappings": "client-scope-mapping-changed",
    "default-client-scopes": "client-scopes-assigned-changed",
    "optional-client-scopes": "client-scopes-assigned-changed",
    authz: "client-authz-changed",
  }),
);

const REALM_PARTS = new Map<string, AdminChangeKind>(
  Object.entries({
    roles: "realm-role-changed",
    "roles-by-id": "realm-role-changed",
    groups: "group-changed",
    "client-scopes": "client-scope-changed",
    "default-default-client-scopes": "realm-default-scopes-changed",
    "default-optional-client-scopes": "realm-default-scopes-changed",
    components: "component-changed",
    "user-storage": "component-changed",
    keys: "component-changed",
    "logout-all": "realm-sessions-ended",
    "push-revocation": "realm-sessions-ended",
    sessions: "realm-sessions-ended",
    "identity-provider": "identity-provider-changed",
    authentication: "authentication-flow-changed",
  }),
);

/** The kind of change an admin event made, and the client or user it touched. Never throws. */
export function classifyAdminChange(event: AdminEventLike): AdminChange {
  const op = typeof event.operationType === "string" ? event.operationType.toUpperCase() : "";
  const path = typeof event.resourcePath === "string" ? event.resourcePath.slice(0, 2000) : "";
  const segments = path
    .split("?")[0]!
    .split("/")
    .filter((s) => s !== "");
  const [head, id, part, ...rest] = segments;

  if (head === "users" && id) {
    if (!part) {
      if (op === "DELETE") return { kind: "user-deleted", userId: id };
      return { kind: op === "CREATE" ? "user-created" : "user-updated", userId: id };
    }
    if (part === "role-mappings") {
      const roleClientUuid = rest[0] === "clients" ? rest[1] : undefined;
      const kind = op === "DELETE" ? "user-role-mapping-removed" : "user-role-mapping-added";
      return roleClientUuid ? { kind, userId: id, roleClientUuid } : { kind, userId: id };
    }
    if (part === "groups")
      return { kind: op === "DELETE" ? "user-group-left" : "user-group-joined", userId: id };
    if (USER_CREDENTIAL_PARTS.has(part)) return { kind: "user-credentials-changed", userId: id };
    if (USER_SESSION_PARTS.has(part)) return { kind: "user-sessions-ended", userId: id };
    return { kind: "user-updated", userId: id };
  }
  if (head === "attack-detection") {
    const userId = segments[3];
    return userId ? { kind: "user-lockout-cleared", userId } : { kind: "user-lockout-cleared" };
  }
  if (head === "clients" && id) {
    if (!part) {
      const kind = op === "CREATE" ? "client-created" : op === "DELETE" ? "client-deleted" : "client-updated";
      return { kind, clientUuid: id };
    }
    return { kind: CLIENT_PARTS.get(part) ?? "client-updated", clientUuid: id };
  }
  if (head === "events" && id === "config") return { kind: "events-config-changed" };
  const realmPart = head ? REALM_PARTS.get(head) : undefined;
  if (realmPart) return { kind: realmPart };
  if (event.resourceType === "REALM" && op === "UPDATE") return { kind: "realm-updated" };
  return { kind: "other" };
}
