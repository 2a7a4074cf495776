/**
 * Keycloak's event representations as the Admin REST API returns them (see
 * core/.../representations/idm/EventRepresentation.java and AdminEventRepresentation.java).
 * Every string set (event types, errors, resource types) is open: newer servers add values.
 */

/** Where a stored record came from. */
export const ORIGINS = ["api", "log", "access-log", "report"] as const;
export type EventOrigin = (typeof ORIGINS)[number];

export interface KeycloakUserEvent {
  /** REST-exposed since 26.2; absent before. */
  id?: string | null;
  /** Epoch milliseconds. */
  time: number;
  type: string;
  realmId?: string | null;
  /** Only in log lines (realmName=), not in the REST representation. */
  realmName?: string | null;
  clientId?: string | null;
  userId?: string | null;
  sessionId?: string | null;
  ipAddress?: string | null;
  error?: string | null;
  details?: Record<string, string> | null;
}

export interface KeycloakAuthDetails {
  realmId?: string | null;
  /** The internal client UUID, not the clientId. */
  clientId?: string | null;
  userId?: string | null;
  ipAddress?: string | null;
}

export interface KeycloakAdminEvent {
  id?: string | null;
  time: number;
  /** UUID of the realm that was changed. */
  realmId?: string | null;
  authDetails?: KeycloakAuthDetails | null;
  operationType: string;
  resourceType?: string | null;
  resourcePath?: string | null;
  representation?: string | null;
  error?: string | null;
  details?: Record<string, string> | null;
}

/** An HTTP denial seen outside Keycloak's event store: an access-log line or a resource-server report. */
export interface HttpDenial {
  method: string;
  path: string;
  status: number;
  /** Request host and scheme, when the log has them. */
  host?: string | null;
  scheme?: string | null;
  /** Origin header, when known (CORS). */
  origin?: string | null;
  userAgent?: string | null;
}

/** The error-type rule: the name ends with _ERROR. Not a fixed list: newer servers add types. */
export function isErrorType(type: string): boolean {
  return type.endsWith("_ERROR");
}

/**
 * Brute-force lockouts: Keycloak sends them as success-typed events (DefaultBruteForceProtector); realmwatch counts
 * them as failures.
 */
export const LOCKOUT_TYPES = [
  "USER_DISABLED_BY_TEMPORARY_LOCKOUT",
  "USER_DISABLED_BY_PERMANENT_LOCKOUT",
] as const;

/** Success-typed events that still mean trouble: the lockouts. */
export const TROUBLE_SUCCESS_TYPES = new Set<string>(LOCKOUT_TYPES);

/** The successes that make a user's "last successful login or token": a login, or a token issued or refreshed. */
export const LOGIN_OR_TOKEN_TYPES = ["LOGIN", "CODE_TO_TOKEN", "REFRESH_TOKEN", "CLIENT_LOGIN"] as const;

/** The errors of a login refused because the user is locked out or disabled (Keycloak's Errors). */
export const LOCKED_ERRORS = ["user_temporarily_disabled", "user_disabled"] as const;

/** A failure: an _ERROR type, an error code, or a success type that signals trouble. */
export function isFailure(type: string, error?: string | null): boolean {
  return isErrorType(type) || (error != null && error !== "") || TROUBLE_SUCCESS_TYPES.has(type);
}
