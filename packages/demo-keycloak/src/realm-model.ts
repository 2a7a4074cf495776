/** The emulated server's realm state: what Keycloak keeps in its database, reduced to what realmwatch reads. */

export interface RoleModel {
  id: string;
  name: string;
  description?: string;
  /** Child role ids: non-empty makes it a composite. */
  composites: Set<string>;
  clientRole: boolean;
  /** Realm id for realm roles, client UUID for client roles. */
  containerId: string;
}

export interface ProtocolMapperModel {
  id: string;
  name: string;
  protocol: string;
  protocolMapper: string;
  consentRequired: boolean;
  config: Record<string, string>;
}

export interface ClientScopeModel {
  id: string;
  name: string;
  description: string;
  protocol: string;
  attributes: Record<string, string>;
  protocolMappers: ProtocolMapperModel[];
  /** Role ids granted to tokens that include this scope when the client's full scope is off. */
  scopeMappings: Set<string>;
}

export interface ClientModel {
  id: string;
  clientId: string;
  name: string;
  description?: string;
  enabled: boolean;
  publicClient: boolean;
  bearerOnly: boolean;
  secret: string | null;
  standardFlowEnabled: boolean;
  directAccessGrantsEnabled: boolean;
  serviceAccountsEnabled: boolean;
  authorizationServicesEnabled: boolean;
  rootUrl: string;
  baseUrl: string;
  redirectUris: string[];
  webOrigins: string[];
  fullScopeAllowed: boolean;
  defaultClientScopes: string[];
  optionalClientScopes: string[];
  protocolMappers: ProtocolMapperModel[];
  /** Client roles by name. */
  roles: Map<string, RoleModel>;
  /** Role ids in the client's dedicated scope (used when fullScopeAllowed is off). */
  scopeMappings: Set<string>;
  attributes: Record<string, string>;
}

export interface UserModel {
  id: string;
  username: string;
  email?: string;
  firstName?: string;
  lastName?: string;
  enabled: boolean;
  emailVerified: boolean;
  createdTimestamp: number;
  /** Demo only: the plain password (users of a demo realm are not secrets). */
  password: string | null;
  /** Directly mapped role ids (realm and client roles). */
  roleMappings: Set<string>;
  serviceAccountClientId?: string;
}

export interface EventsConfig {
  eventsEnabled: boolean;
  /** Seconds; 0 = never. */
  eventsExpiration: number;
  eventsListeners: string[];
  /** Empty: every saveByDefault type. */
  enabledEventTypes: string[];
  adminEventsEnabled: boolean;
  adminEventsDetailsEnabled: boolean;
}

export interface LoginFailure {
  numFailures: number;
  lastFailure: number;
  lastIPFailure: string;
  /** Epoch ms until which the user is temporarily disabled; 0 when not locked. */
  failedLoginNotBefore: number;
}

export interface RealmModel {
  id: string;
  name: string;
  displayName: string;
  enabled: boolean;
  sslRequired: "none" | "external" | "all";
  attributes: Record<string, string>;
  events: EventsConfig;
  accessTokenLifespan: number;
  ssoSessionIdleTimeout: number;
  ssoSessionMaxLifespan: number;
  bruteForceProtected: boolean;
  permanentLockout: boolean;
  failureFactor: number;
  waitIncrementSeconds: number;
  maxFailureWaitSeconds: number;
  clients: Map<string, ClientModel>;
  clientScopes: Map<string, ClientScopeModel>;
  /** Every role of the realm by id, realm roles and client roles alike. */
  roles: Map<string, RoleModel>;
  users: Map<string, UserModel>;
  loginFailures: Map<string, LoginFailure>;
  defaultRoleId: string;
}

export function findClient(realm: RealmModel, clientId: string): ClientModel | undefined {
  for (const c of realm.clients.values()) if (c.clientId === clientId) return c;
  return undefined;
}

export function findUserByUsername(realm: RealmModel, username: string): UserModel | undefined {
  const lower = username.toLowerCase();
  for (const u of realm.users.values()) if (u.username === lower) return u;
  return undefined;
}

export function realmRole(realm: RealmModel, name: string): RoleModel | undefined {
  for (const r of realm.roles.values()) if (!r.clientRole && r.name === name) return r;
  return undefined;
}

export function clientScopeByName(realm: RealmModel, name: string): ClientScopeModel | undefined {
  for (const s of realm.clientScopes.values()) if (s.name === name) return s;
  return undefined;
}

export function serviceAccountUser(realm: RealmModel, client: ClientModel): UserModel | undefined {
  for (const u of realm.users.values()) if (u.serviceAccountClientId === client.id) return u;
  return undefined;
}

/** RoleUtils.expandCompositeRoles: the roles and every role they contain, transitively. */
export function expandRoles(realm: RealmModel, roleIds: Iterable<string>): Set<string> {
  const out = new Set<string>();
  const stack = [...roleIds];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (out.has(id)) continue;
    const role = realm.roles.get(id);
    if (!role) continue;
    out.add(id);
    for (const child of role.composites) stack.push(child);
  }
  return out;
}

/** A user's effective roles: direct mappings plus the realm's default roles, expanded. */
export function effectiveUserRoles(realm: RealmModel, user: UserModel): Set<string> {
  return expandRoles(realm, [...user.roleMappings, realm.defaultRoleId]);
}

function originOf(uri: string): string | null {
  try {
    const u = new URL(uri);
    return u.protocol === "http:" || u.protocol === "https:" ? u.origin : null;
  } catch {
    return null;
  }
}

/** WebOriginsUtils: `*` allows all, `+` allows the origins of the valid redirect URIs. */
export function allowedOrigins(client: ClientModel): Set<string> {
  const out = new Set<string>();
  for (const o of client.webOrigins) {
    if (o === "+") {
      for (const r of client.redirectUris) {
        const origin = originOf(r.replace(/\*$/, ""));
        if (origin) out.add(origin);
      }
    } else {
      out.add(o);
    }
  }
  return out;
}

export function isOriginAllowed(client: ClientModel, origin: string): boolean {
  const allowed = allowedOrigins(client);
  return allowed.has("*") || allowed.has(origin);
}

/** Where a realm's tokens say they come from: the frontendUrl when set, else the request's base URL. */
export function realmIssuer(realm: RealmModel, baseUrl: string): string {
  const front = realm.attributes.frontendUrl;
  return `${(front || baseUrl).replace(/\/$/, "")}/realms/${realm.name}`;
}
