import type { JwtClaims } from "./jwt";
import {
  type ClientModel,
  type ClientScopeModel,
  effectiveUserRoles,
  expandRoles,
  type RealmModel,
  type UserModel,
} from "./realm-model";

export type ScopeResolution = { scopes: ClientScopeModel[]; openid: boolean } | { invalid: string };

/**
 * OAuth2GrantTypeBase#getRequestedScopes / TokenManager: default client scopes always apply, optional ones
 * only when requested, `openid` is not a client scope. Anything else requested makes the request fail
 * with "Invalid scopes: <the scope parameter>".
 */
export function resolveScopes(
  realm: RealmModel,
  client: ClientModel,
  scopeParam: string | null,
): ScopeResolution {
  const requested = (scopeParam ?? "").split(" ").filter((s) => s !== "");
  const byName = new Map<string, ClientScopeModel>();
  for (const id of [...client.defaultClientScopes, ...client.optionalClientScopes]) {
    const scope = realm.clientScopes.get(id);
    if (scope) byName.set(scope.name, scope);
  }
  for (const name of requested) {
    if (name !== "openid" && !byName.has(name)) return { invalid: `Invalid scopes: ${scopeParam}` };
  }
  const scopes = client.defaultClientScopes
    .map((id) => realm.clientScopes.get(id))
    .filter((s): s is ClientScopeModel => s !== undefined);
  for (const id of client.optionalClientScopes) {
    const scope = realm.clientScopes.get(id);
    if (scope && requested.includes(scope.name)) scopes.push(scope);
  }
  return { scopes, openid: requested.includes("openid") };
}

/**
 * TokenManager#getRequestedClientScopes as the admin console's Evaluate tab uses it: a requested name that is
 * neither openid nor a scope linked to the client is dropped, not refused.
 */
export function knownScopeParam(realm: RealmModel, client: ClientModel, scopeParam: string | null): string {
  const linked = new Set(
    [...client.defaultClientScopes, ...client.optionalClientScopes]
      .map((id) => realm.clientScopes.get(id)?.name)
      .filter((n): n is string => n !== undefined),
  );
  return (scopeParam ?? "")
    .split(" ")
    .filter((s) => s === "openid" || linked.has(s))
    .join(" ");
}

/**
 * TokenManager.getAccess: every effective role when the client has full scope; otherwise only roles
 * within the expanded scope mappings (the client's own roles, its dedicated scope, its client scopes).
 * So a composite whose children are in scope but which is not itself in scope is left out of the token.
 */
export function tokenRoles(
  realm: RealmModel,
  client: ClientModel,
  user: UserModel,
  scopes: ClientScopeModel[],
) {
  const roles = effectiveUserRoles(realm, user);
  if (client.fullScopeAllowed) return roles;
  const allowed = expandRoles(realm, [
    ...[...client.roles.values()].map((r) => r.id),
    ...client.scopeMappings,
    ...scopes.flatMap((s) => [...s.scopeMappings]),
  ]);
  return new Set([...roles].filter((r) => allowed.has(r)));
}

export interface AccessTokenInput {
  realm: RealmModel;
  client: ClientModel;
  user: UserModel;
  scopes: ClientScopeModel[];
  openid: boolean;
  issuer: string;
  nowMs: number;
  jti: string;
  sessionId: string | null;
  /** Service-account tokens carry the caller's address. */
  clientAddress?: string;
}

/** An access token's claims in Keycloak 26's order and shape. */
export function accessTokenClaims(input: AccessTokenInput): JwtClaims {
  const { realm, client, user, scopes } = input;
  const iat = Math.floor(input.nowMs / 1000);
  const scopeNames = new Set(scopes.map((s) => s.name));
  const roleIds = tokenRoles(realm, client, user, scopes);
  const realmRoles: string[] = [];
  const resourceAccess: Record<string, { roles: string[] }> = {};
  for (const id of roleIds) {
    const role = realm.roles.get(id)!;
    if (!role.clientRole) {
      realmRoles.push(role.name);
    } else {
      const owner = realm.clients.get(role.containerId);
      if (!owner) continue;
      let entry = resourceAccess[owner.clientId];
      if (!entry) {
        entry = { roles: [] };
        resourceAccess[owner.clientId] = entry;
      }
      entry.roles.push(role.name);
    }
  }
  const aud = new Set<string>();
  if (scopeNames.has("roles")) {
    // audience resolve: every client whose roles are in the token, except the requester itself.
    for (const clientId of Object.keys(resourceAccess)) if (clientId !== client.clientId) aud.add(clientId);
  }
  for (const m of [...client.protocolMappers, ...scopes.flatMap((s) => s.protocolMappers)]) {
    const target = m.config["included.client.audience"] || m.config["included.custom.audience"];
    if (m.protocolMapper === "oidc-audience-mapper" && target && m.config["access.token.claim"] !== "false") {
      aud.add(target);
    }
  }
  const claims: JwtClaims = {
    exp: iat + realm.accessTokenLifespan,
    iat,
    jti: input.jti,
    iss: input.issuer,
  };
  if (aud.size === 1) claims.aud = [...aud][0];
  else if (aud.size > 1) claims.aud = [...aud];
  claims.sub = user.id;
  claims.typ = "Bearer";
  claims.azp = client.clientId;
  if (input.sessionId) claims.sid = input.sessionId;
  claims.acr = "1";
  if (scopeNames.has("web-origins") && client.webOrigins.length > 0)
    claims["allowed-origins"] = client.webOrigins;
  if (scopeNames.has("roles")) {
    claims.realm_access = { roles: realmRoles };
    if (Object.keys(resourceAccess).length > 0) claims.resource_access = resourceAccess;
  }
  const tokenScope = [
    ...(input.openid ? ["openid"] : []),
    ...scopes.filter((s) => s.attributes["include.in.token.scope"] === "true").map((s) => s.name),
  ];
  claims.scope = tokenScope.join(" ");
  if (user.serviceAccountClientId) {
    claims.clientHost = input.clientAddress ?? "127.0.0.1";
    claims.clientAddress = input.clientAddress ?? "127.0.0.1";
    claims.client_id = client.clientId;
  }
  if (scopeNames.has("email") && user.email) claims.email_verified = user.emailVerified;
  if (scopeNames.has("profile")) {
    const name = [user.firstName, user.lastName].filter(Boolean).join(" ");
    if (name) claims.name = name;
    claims.preferred_username = user.username;
    if (user.firstName) claims.given_name = user.firstName;
    if (user.lastName) claims.family_name = user.lastName;
  }
  if (scopeNames.has("email") && user.email) claims.email = user.email;
  return claims;
}
