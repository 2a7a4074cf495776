import { z } from "zod";
import type { RealmManagementRole } from "@/lib/keycloak/realm-management-roles";

/**
 * The few read-only Admin REST calls the live checks make. Keycloak's answers are parsed leniently (unknown
 * fields kept, missing optional fields allowed): a newer server must not break a check.
 */

const stringMap = z.record(z.string(), z.string());

export const protocolMapperSchema = z.looseObject({
  id: z.string().optional(),
  name: z.string(),
  protocol: z.string().optional(),
  protocolMapper: z.string(),
  config: stringMap.optional(),
});

export const clientSchema = z.looseObject({
  id: z.string(),
  clientId: z.string(),
  enabled: z.boolean().optional(),
  publicClient: z.boolean().optional(),
  bearerOnly: z.boolean().optional(),
  serviceAccountsEnabled: z.boolean().optional(),
  fullScopeAllowed: z.boolean().optional(),
  rootUrl: z.string().optional(),
  redirectUris: z.array(z.string()).optional(),
  webOrigins: z.array(z.string()).optional(),
  attributes: stringMap.optional(),
});

export const clientScopeSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  protocol: z.string().optional(),
  attributes: stringMap.optional(),
  protocolMappers: z.array(protocolMapperSchema).optional(),
});

export const roleSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  composite: z.boolean().optional(),
  clientRole: z.boolean().optional(),
  containerId: z.string().optional(),
});

export const userSchema = z.looseObject({
  id: z.string(),
  username: z.string(),
  enabled: z.boolean().optional(),
});

export const realmSchema = z.looseObject({
  id: z.string().optional(),
  realm: z.string(),
  sslRequired: z.string().optional(),
  /** Present only in the full representation (view-realm); its absence means a partial answer. */
  attributes: stringMap.optional(),
});

export const eventsConfigSchema = z.looseObject({
  eventsEnabled: z.boolean().optional(),
  eventsExpiration: z.number().nullable().optional(),
  eventsListeners: z.array(z.string()).optional(),
  enabledEventTypes: z.array(z.string()).optional(),
  adminEventsEnabled: z.boolean().optional(),
  adminEventsDetailsEnabled: z.boolean().optional(),
});

/** GET /admin/realms: only what the service account may view carries an id (RealmsAdminResource#toRealmRep). */
export const realmListSchema = z.array(
  z.looseObject({ id: z.string().optional(), realm: z.string().optional() }),
);

export const serverInfoSchema = z.looseObject({
  systemInfo: z.looseObject({ version: z.string().optional() }).optional(),
});

/** An event page: each event is checked field by field when it becomes a row, so only the array is checked here. */
export const eventPageSchema = z.array(z.unknown());

export type ProtocolMapperRepresentation = z.infer<typeof protocolMapperSchema>;
export type ClientRepresentation = z.infer<typeof clientSchema>;
export type ClientScopeRepresentation = z.infer<typeof clientScopeSchema>;
export type RoleRepresentation = z.infer<typeof roleSchema>;
export type UserRepresentation = z.infer<typeof userSchema>;
export type RealmRepresentation = z.infer<typeof realmSchema>;
export type RealmEventsConfig = z.infer<typeof eventsConfigSchema>;
export type RealmListEntry = z.infer<typeof realmListSchema>[number];

export interface ExampleTokenRequest {
  userId: string;
  scope?: string;
  /** Keycloak 26 accepts an audience too (the admin console's Evaluate tab sends it for token exchange). */
  audience?: string;
}

/** The read-only calls the live checks make (the session implements them; tests substitute a fake realm). */
export interface AdminApi {
  /** GET /clients?clientId= ; null when the realm has no such client. */
  getClientByClientId(realm: string, clientId: string): Promise<ClientRepresentation | null>;
  /** GET /clients/{id}/default-client-scopes (id and name only). */
  listDefaultClientScopes(realm: string, clientUuid: string): Promise<{ id: string; name: string }[]>;
  /** GET /clients/{id}/optional-client-scopes */
  listOptionalClientScopes(realm: string, clientUuid: string): Promise<{ id: string; name: string }[]>;
  /** GET /client-scopes (with their protocol mappers). */
  listClientScopes(realm: string): Promise<ClientScopeRepresentation[]>;
  /** GET /clients/{id}/protocol-mappers/models: the mappers of the client's dedicated scope. */
  listProtocolMappers(realm: string, clientUuid: string): Promise<ProtocolMapperRepresentation[]>;
  /** GET /clients/{id}/service-account-user */
  getServiceAccountUser(realm: string, clientUuid: string): Promise<UserRepresentation>;
  /** GET /users?username=&exact=true ; null when none. */
  findUserByUsername(realm: string, username: string): Promise<UserRepresentation | null>;
  /** GET /users/{id}/role-mappings/realm, or .../realm/composite for the effective roles. */
  listUserRealmRoles(realm: string, userId: string, effective: boolean): Promise<RoleRepresentation[]>;
  /** GET /users/{id}/role-mappings/clients/{client}, or .../composite for the effective roles. */
  listUserClientRoles(
    realm: string,
    userId: string,
    clientUuid: string,
    effective: boolean,
  ): Promise<RoleRepresentation[]>;
  /** GET /roles */
  listRealmRoles(realm: string): Promise<RoleRepresentation[]>;
  /** GET /roles/{name}, or /clients/{id}/roles/{name} for a client role: the role with its id. */
  getRole(realm: string, roleName: string, clientUuid?: string): Promise<RoleRepresentation>;
  /** GET /roles/{name}/composites */
  getRealmRoleComposites(realm: string, roleName: string): Promise<RoleRepresentation[]>;
  /** GET /clients/{id}/roles/{name}/composites */
  getClientRoleComposites(realm: string, clientUuid: string, roleName: string): Promise<RoleRepresentation[]>;
  /** GET /clients/{id}/scope-mappings/realm, or .../clients/{roleClient} for client roles. */
  listScopeMappings(
    realm: string,
    clientUuid: string,
    roleClientUuid?: string,
  ): Promise<RoleRepresentation[]>;
  /** GET /admin/realms/{realm} */
  getRealm(realm: string): Promise<RealmRepresentation>;
  /** GET /realms/{realm}/.well-known/openid-configuration: the issuer Keycloak advertises (not an admin call). */
  getAdvertisedIssuer(realm: string): Promise<string>;
  /** GET /events/config */
  getEventsConfig(realm: string): Promise<RealmEventsConfig>;
  /** GET /clients/{id}/evaluate-scopes/generate-example-access-token: the payload of the token Keycloak would issue. */
  generateExampleAccessToken(
    realm: string,
    clientUuid: string,
    request: ExampleTokenRequest,
  ): Promise<Record<string, unknown>>;
}

export type AdminCall = keyof AdminApi;

/** Every call realmwatch makes: the live checks' reads, and the sync's and source administration's calls. */
export type KeycloakCall =
  | AdminCall
  | "authenticate"
  | "getServerInfo"
  | "listRealms"
  | "listEvents"
  | "listAdminEvents"
  | "listClients"
  | "getUser"
  | "updateEventsConfig";

/**
 * The realm-management role that allows each call: what an error names when Keycloak answers 403. The
 * user lookup accepts query-users too, but the role mappings that follow need view-users. Serverinfo needs any
 * admin role; the token request none.
 */
export const CALL_ROLES: Record<KeycloakCall, RealmManagementRole | null> = {
  getClientByClientId: "view-clients",
  listDefaultClientScopes: "view-clients",
  listOptionalClientScopes: "view-clients",
  listClientScopes: "view-clients",
  listProtocolMappers: "view-clients",
  getServiceAccountUser: "view-clients",
  findUserByUsername: "view-users",
  listUserRealmRoles: "view-users",
  listUserClientRoles: "view-users",
  listRealmRoles: "view-realm",
  // RoleContainerResource.getRole: auth.roles().requireView(container), the realm's or the client's.
  getRole: "view-realm",
  getRealmRoleComposites: "view-realm",
  getClientRoleComposites: "view-clients",
  listScopeMappings: "view-clients",
  getRealm: "view-realm",
  getAdvertisedIssuer: null,
  getEventsConfig: "view-events",
  // and view-users: CALL_EXTRA_ROLES
  generateExampleAccessToken: "view-clients",
  authenticate: null,
  getServerInfo: null,
  listRealms: "view-realm",
  listEvents: "view-events",
  listAdminEvents: "view-events",
  listClients: "view-clients",
  getUser: "view-users",
  updateEventsConfig: "manage-events",
};

/**
 * Calls that need a second role besides CALL_ROLES' one. The example-token endpoints check the client
 * (view-clients or manage-clients) and, since the fix for CVE-2026-37978 (keycloak PR #49124, in 26.4.12,
 * 26.6.2 and 26.7.0), the user the token is made for (ClientScopeEvaluateResource:
 * `auth.clients().requireView(client)` then `auth.users().requireView(user)`, view-users or manage-users); a 403
 * may mean either is missing.
 */
export const CALL_EXTRA_ROLES: Partial<Record<KeycloakCall, readonly RealmManagementRole[]>> = {
  generateExampleAccessToken: ["view-users"],
};

/** Every realm-management role a call needs, in the order Keycloak checks them. */
export function callRoles(call: KeycloakCall): RealmManagementRole[] {
  const first = CALL_ROLES[call];
  return [...(first ? [first] : []), ...(CALL_EXTRA_ROLES[call] ?? [])];
}
