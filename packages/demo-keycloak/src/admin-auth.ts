import type { DemoState } from "./demo-state";
import { bearerToken, type Reply, type Req } from "./http-io";
import { type JwtClaims, verifyJwt } from "./jwt";
import { FORBIDDEN, type HttpError, REALM_NOT_FOUND, UNAUTHORIZED } from "./keycloak-errors";
import { effectiveUserRoles, findClient, type RealmModel, type UserModel } from "./realm-model";

export interface AdminCaller {
  tokenRealm: RealmModel;
  user: UserModel;
  claims: JwtClaims;
}

/** An admin REST handler, called once the caller is authenticated and the realm exists. */
export type AdminHandler = (state: DemoState, req: Req, caller: AdminCaller, realm: RealmModel) => Reply;

/** authDetails of an admin event: the caller's realm id, its client's internal UUID, user and address. */
export function adminAuthDetails(caller: AdminCaller, req: Req) {
  const azp = typeof caller.claims.azp === "string" ? caller.claims.azp : null;
  let clientUuid: string | null = null;
  for (const c of caller.tokenRealm.clients.values()) if (c.clientId === azp) clientUuid = c.id;
  return { realmId: caller.tokenRealm.id, clientId: clientUuid, userId: caller.user.id, ipAddress: req.ip };
}

/** The realm named in a token's issuer, `…/realms/{name}`. */
function realmOfIssuer(state: DemoState, iss: unknown): RealmModel | undefined {
  if (typeof iss !== "string") return undefined;
  const m = /\/realms\/([^/]+)$/.exec(iss);
  return m ? state.realms.get(decodeURIComponent(m[1]!)) : undefined;
}

/**
 * A bearer token this server issued, not expired and not revoked by `expireTokensNow()`, whose user
 * still exists. Anything else is the admin API's 401 (AdminRoot#authenticateRealmAdminRequest).
 */
export function verifyAccessToken(state: DemoState, token: string | null): AdminCaller | null {
  if (!token) return null;
  const claims = verifyJwt(state.key, token);
  if (claims?.typ !== "Bearer") return null;
  if (typeof claims.exp !== "number" || claims.exp * 1000 <= state.now()) return null;
  if (state.tokens.isRevoked(claims.jti)) return null;
  const tokenRealm = realmOfIssuer(state, claims.iss);
  if (!tokenRealm) return null;
  const user = typeof claims.sub === "string" ? tokenRealm.users.get(claims.sub) : undefined;
  if (!user?.enabled) return null;
  return { tokenRealm, user, claims };
}

export function authenticateAdmin(state: DemoState, req: Req): AdminCaller | HttpError {
  return verifyAccessToken(state, bearerToken(req)) ?? UNAUTHORIZED;
}

/**
 * The realm-management roles the caller holds over `target`, read from the database as Keycloak's
 * AdminAuth does (a role mapped after the token was issued counts at once): roles of `realm-management`
 * for a token of the same realm, of the `<target>-realm` client for a token of master.
 */
export function adminRoles(caller: AdminCaller, target: RealmModel): Set<string> {
  const tokenRealm = caller.tokenRealm;
  let mgmtClientId: string | null = null;
  if (tokenRealm.name === "master") mgmtClientId = `${target.name}-realm`;
  else if (tokenRealm === target) mgmtClientId = "realm-management";
  const out = new Set<string>();
  if (!mgmtClientId) return out;
  const mgmt = findClient(tokenRealm, mgmtClientId);
  if (!mgmt) return out;
  for (const id of effectiveUserRoles(tokenRealm, caller.user)) {
    const role = tokenRealm.roles.get(id);
    if (role?.clientRole && role.containerId === mgmt.id) out.add(role.name);
  }
  return out;
}

/** Whether the caller holds any admin role anywhere (what serverinfo and the realm list require). */
export function isAnyAdmin(state: DemoState, caller: AdminCaller): boolean {
  for (const realm of state.realms.values()) if (adminRoles(caller, realm).size > 0) return true;
  return false;
}

export function resolveRealm(state: DemoState, name: string | undefined): RealmModel | HttpError {
  return (name !== undefined && state.realms.get(name)) || REALM_NOT_FOUND;
}

/** ForbiddenException unless the caller holds one of `anyOf`. */
export function requireRole(
  _state: DemoState,
  caller: AdminCaller,
  realm: RealmModel,
  anyOf: readonly string[],
): HttpError | null {
  const roles = adminRoles(caller, realm);
  return anyOf.some((r) => roles.has(r)) ? null : FORBIDDEN;
}

/** RealmPermissions#requireViewEvents: view-events or manage-events. */
export const VIEW_EVENTS = ["view-events", "manage-events"] as const;
export const MANAGE_EVENTS = ["manage-events"] as const;
export const VIEW_REALM = ["view-realm", "manage-realm"] as const;
export const VIEW_CLIENTS = ["view-clients", "manage-clients"] as const;
export const MANAGE_CLIENTS = ["manage-clients"] as const;
export const VIEW_USERS = ["view-users", "manage-users"] as const;
export const MANAGE_USERS = ["manage-users"] as const;
export const MANAGE_REALM = ["manage-realm"] as const;
