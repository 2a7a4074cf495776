import type { ClientLister } from "@/lib/diagnose/client-for-origins";
import { KeycloakError } from "@/lib/keycloak/keycloak-error";
import {
  type AdminApi,
  CALL_ROLES,
  type KeycloakCall,
  type ProtocolMapperRepresentation,
  type RealmEventsConfig,
  type RoleRepresentation,
} from "@/lib/keycloak/representations";

/** A tiny in-memory realm with Keycloak's role, scope and audience semantics, for the live-check tests. */
export interface FakeRole {
  id: string;
  name: string;
  /** Owning client's UUID; absent for a realm role. */
  clientUuid?: string;
  composites?: string[];
}

export interface FakeClient {
  id: string;
  clientId: string;
  publicClient?: boolean;
  serviceAccountsEnabled?: boolean;
  fullScopeAllowed?: boolean;
  rootUrl?: string;
  redirectUris?: string[];
  webOrigins?: string[];
  mappers?: ProtocolMapperRepresentation[];
  defaultScopes?: string[];
  optionalScopes?: string[];
  /** Role ids the client may carry when fullScopeAllowed is off. */
  scopeMappings?: string[];
}

export interface FakeRealm {
  name: string;
  /** undefined: the partial representation an account without view-realm gets. */
  attributes?: Record<string, string>;
  sslRequired?: string;
  advertisedIssuer: string;
  events: RealmEventsConfig;
  clients: FakeClient[];
  scopes: { id: string; name: string; mappers?: ProtocolMapperRepresentation[] }[];
  roles: FakeRole[];
  users: { id: string; username: string; roles: string[]; serviceAccountOf?: string }[];
}

export const audienceMapper = (name: string, audience: string): ProtocolMapperRepresentation => ({
  name,
  protocol: "openid-connect",
  protocolMapper: "oidc-audience-mapper",
  config: { "included.client.audience": audience, "access.token.claim": "true" },
});

/** What the session throws when Keycloak answers `status` to `call`. */
function answered(call: KeycloakCall, status: 403 | 404, message: string): KeycloakError {
  return new KeycloakError(status === 403 ? "keycloak_forbidden" : "not_found", message, {
    call,
    keycloakStatus: status,
    role: CALL_ROLES[call],
  });
}

export function createFakeAdminApi(realm: FakeRealm, options: { deny?: KeycloakCall[] | "all" } = {}) {
  const calls: KeycloakCall[] = [];
  const role = (id: string) => realm.roles.find((r) => r.id === id);
  const rep = (r: FakeRole): RoleRepresentation => ({
    id: r.id,
    name: r.name,
    composite: (r.composites?.length ?? 0) > 0,
    clientRole: r.clientUuid !== undefined,
    containerId: r.clientUuid ?? "realm-id",
  });
  const expand = (ids: string[]): FakeRole[] => {
    const out = new Map<string, FakeRole>();
    const stack = [...ids];
    while (stack.length > 0) {
      const r = role(stack.pop()!);
      if (!r || out.has(r.id)) continue;
      out.set(r.id, r);
      stack.push(...(r.composites ?? []));
    }
    return [...out.values()];
  };
  const client = (uuid: string) => {
    const c = realm.clients.find((x) => x.id === uuid);
    if (!c) throw answered("getClientByClientId", 404, "no client");
    return c;
  };
  const user = (id: string) => {
    const u = realm.users.find((x) => x.id === id);
    if (!u) throw answered("listUserRealmRoles", 404, "no user");
    return u;
  };
  const scopeRefs = (names: string[] = []) =>
    names
      .map((n) => realm.scopes.find((s) => s.name === n))
      .filter((s) => s !== undefined)
      .map((s) => ({ id: s.id, name: s.name }));
  const guard = (call: KeycloakCall) => {
    calls.push(call);
    if (options.deny === "all" || options.deny?.includes(call))
      throw answered(call, 403, `${call}: Keycloak answered 403`);
  };

  const clientRep = (c: FakeClient) => ({
    id: c.id,
    clientId: c.clientId,
    publicClient: c.publicClient ?? false,
    serviceAccountsEnabled: c.serviceAccountsEnabled ?? false,
    fullScopeAllowed: c.fullScopeAllowed ?? true,
    rootUrl: c.rootUrl,
    redirectUris: c.redirectUris ?? [],
    webOrigins: c.webOrigins ?? [],
  });

  const api: AdminApi & ClientLister = {
    async getClientByClientId(_r, clientId) {
      guard("getClientByClientId");
      const c = realm.clients.find((x) => x.clientId === clientId);
      return c ? clientRep(c) : null;
    },
    async listClients(_r, opts) {
      guard("listClients");
      return realm.clients.slice(0, opts.max).map(clientRep);
    },
    async listDefaultClientScopes(_r, id) {
      guard("listDefaultClientScopes");
      return scopeRefs(client(id).defaultScopes);
    },
    async listOptionalClientScopes(_r, id) {
      guard("listOptionalClientScopes");
      return scopeRefs(client(id).optionalScopes);
    },
    async listClientScopes() {
      guard("listClientScopes");
      return realm.scopes.map((s) => ({ id: s.id, name: s.name, protocolMappers: s.mappers ?? [] }));
    },
    async listProtocolMappers(_r, id) {
      guard("listProtocolMappers");
      return client(id).mappers ?? [];
    },
    async getServiceAccountUser(_r, id) {
      guard("getServiceAccountUser");
      const u = realm.users.find((x) => x.serviceAccountOf === id);
      if (!u) throw answered("getServiceAccountUser", 404, "no service account");
      return { id: u.id, username: u.username };
    },
    async findUserByUsername(_r, username) {
      guard("findUserByUsername");
      const u = realm.users.find((x) => x.username === username);
      return u ? { id: u.id, username: u.username } : null;
    },
    async listUserRealmRoles(_r, userId, effective) {
      guard("listUserRealmRoles");
      const ids = user(userId).roles;
      return (effective ? expand(ids) : ids.map(role).filter((r) => r !== undefined))
        .filter((r) => !r.clientUuid)
        .map(rep);
    },
    async listUserClientRoles(_r, userId, clientUuid, effective) {
      guard("listUserClientRoles");
      const ids = user(userId).roles;
      return (effective ? expand(ids) : ids.map(role).filter((r) => r !== undefined))
        .filter((r) => r.clientUuid === clientUuid)
        .map(rep);
    },
    async listRealmRoles() {
      guard("listRealmRoles");
      return realm.roles.filter((r) => !r.clientUuid).map(rep);
    },
    async getRole(_r, name, clientUuid) {
      guard("getRole");
      const r = realm.roles.find((x) => x.name === name && x.clientUuid === clientUuid);
      if (!r) throw new Error(`no role ${name}`);
      return rep(r);
    },
    async getRealmRoleComposites(_r, name) {
      guard("getRealmRoleComposites");
      const r = realm.roles.find((x) => x.name === name && !x.clientUuid);
      return (r?.composites ?? [])
        .map(role)
        .filter((x) => x !== undefined)
        .map(rep);
    },
    async getClientRoleComposites(_r, clientUuid, name) {
      guard("getClientRoleComposites");
      const r = realm.roles.find((x) => x.name === name && x.clientUuid === clientUuid);
      return (r?.composites ?? [])
        .map(role)
        .filter((x) => x !== undefined)
        .map(rep);
    },
    async listScopeMappings(_r, clientUuid, roleClientUuid) {
      guard("listScopeMappings");
      return (client(clientUuid).scopeMappings ?? [])
        .map(role)
        .filter((r) => r !== undefined && r.clientUuid === roleClientUuid)
        .map((r) => rep(r!));
    },
    async getRealm() {
      guard("getRealm");
      return {
        realm: realm.name,
        sslRequired: realm.sslRequired,
        ...(realm.attributes ? { attributes: realm.attributes } : {}),
      };
    },
    async getAdvertisedIssuer() {
      guard("getAdvertisedIssuer");
      return realm.advertisedIssuer;
    },
    async getEventsConfig() {
      guard("getEventsConfig");
      return realm.events;
    },
    async generateExampleAccessToken(_r, clientUuid, request) {
      guard("generateExampleAccessToken");
      const c = client(clientUuid);
      const requested = (request.scope ?? "").split(" ").filter(Boolean);
      const applied = [
        ...(c.defaultScopes ?? []),
        ...(c.optionalScopes ?? []).filter((s) => requested.includes(s)),
      ];
      const mappers = [
        ...(c.mappers ?? []),
        ...applied.flatMap((n) => realm.scopes.find((s) => s.name === n)?.mappers ?? []),
      ];
      let held = expand(user(request.userId).roles);
      if (c.fullScopeAllowed === false) {
        const allowed = new Set(expand(c.scopeMappings ?? []).map((r) => r.id));
        held = held.filter((r) => allowed.has(r.id));
      }
      const withRoles = applied.includes("roles");
      const clientRoles: Record<string, { roles: string[] }> = {};
      for (const r of held.filter((x) => x.clientUuid)) {
        const owner = realm.clients.find((x) => x.id === r.clientUuid)!.clientId;
        const entry = clientRoles[owner] ?? { roles: [] };
        entry.roles.push(r.name);
        clientRoles[owner] = entry;
      }
      const aud = new Set<string>(
        mappers.map((m) => m.config?.["included.client.audience"] ?? "").filter(Boolean),
      );
      if (withRoles) for (const owner of Object.keys(clientRoles)) aud.add(owner);
      return {
        iss: realm.advertisedIssuer,
        typ: "Bearer",
        azp: c.clientId,
        aud: [...aud],
        scope: [...(requested.includes("openid") ? ["openid"] : []), ...applied].join(" "),
        ...(withRoles
          ? {
              realm_access: { roles: held.filter((r) => !r.clientUuid).map((r) => r.name) },
              resource_access: clientRoles,
            }
          : {}),
      };
    },
  };
  return { api, calls };
}
