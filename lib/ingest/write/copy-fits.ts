/**
 * Which Keycloak events an HTTP request can repeat: an access-log line or a resource-server report whose request
 * went to one of these endpoints and got one of these statuses may be the same request as a stored event of one
 * of these types (see link-copies.ts for the rest of the match: realm, client address, time).
 *
 * - token: the event type follows the grant, resolved before client authentication (TokenEndpoint#checkGrantType),
 *   so a failed client authentication is a CLIENT_LOGIN_ERROR, CODE_TO_TOKEN_ERROR, REFRESH_TOKEN_ERROR... and a
 *   password grant's failure a LOGIN_ERROR. Statuses: 401 for client authentication (unknown client
 *   `invalid_client` from AuthenticationProcessor, wrong secret `unauthorized_client` from
 *   ClientIdAndSecretAuthenticator), 400 for grant errors (invalid_grant, invalid_scope, unauthorized_client from
 *   the grant types), 403 for token-exchange and UMA denials (access_denied). Wrong user credentials of a password
 *   grant are 401 `invalid_grant` up to 26.5 and 400 from 26.6 (ValidatePassword, keycloak PR #46528).
 * - userinfo: 401 for a missing or rejected token, 403 for a token without the openid scope (UserInfoEndpoint).
 * - introspect: failed token checks answer 200 {"active":false}; 401 is a failed client authentication and 403 a
 *   public client (TokenIntrospectionEndpoint#authorizeClient), 400 a bad request.
 * - login: Keycloak answers login errors with an HTML page, 200 (login-actions) or 400 (an error page such as an
 *   invalid redirect_uri at the auth endpoint).
 * - logout: errors are answered with an error page, 400.
 *
 * Paths are not anchored at the start, so a proxy's prefix or Keycloak's old /auth prefix still matches. The log
 * import keeps only 401s, 403s and the token endpoint's 400s (isDenialCandidate): login and logout pages reach
 * this table only through reports.
 */
export const COPY_FITS = [
  {
    endpoint: "token",
    path: /\/realms\/[^/]+\/protocol\/openid-connect\/token$/,
    statuses: [400, 401, 403],
    types: [
      "CLIENT_LOGIN_ERROR",
      "CODE_TO_TOKEN_ERROR",
      "REFRESH_TOKEN_ERROR",
      "TOKEN_EXCHANGE_ERROR",
      "PERMISSION_TOKEN_ERROR",
      "LOGIN_ERROR",
    ],
  },
  {
    endpoint: "userinfo",
    path: /\/realms\/[^/]+\/protocol\/openid-connect\/userinfo$/,
    statuses: [401, 403],
    types: ["USER_INFO_REQUEST_ERROR"],
  },
  {
    endpoint: "introspect",
    path: /\/realms\/[^/]+\/protocol\/openid-connect\/token\/introspect$/,
    statuses: [400, 401, 403],
    types: ["INTROSPECT_TOKEN_ERROR"],
  },
  {
    endpoint: "login",
    path: /\/realms\/[^/]+\/(?:protocol\/openid-connect\/auth|login-actions\/[^/]+)$/,
    statuses: [200, 400],
    types: ["LOGIN_ERROR"],
  },
  {
    endpoint: "logout",
    path: /\/realms\/[^/]+\/protocol\/openid-connect\/logout$/,
    statuses: [400],
    types: ["LOGOUT_ERROR"],
  },
] as const satisfies ReadonlyArray<{
  endpoint: string;
  path: RegExp;
  statuses: readonly number[];
  types: readonly string[];
}>;

/** Every event type an access-log line or report may repeat. */
export const COPIED_TYPES: string[] = [...new Set<string>(COPY_FITS.flatMap((f) => f.types))];
const COPIED: ReadonlySet<string> = new Set(COPIED_TYPES);

/** Whether an access-log line or a report could repeat an event of this type. */
export function isCopiedType(type: string): boolean {
  return COPIED.has(type);
}

/** The event types a request to `path` answered with `status` can repeat (none for other endpoints). */
export function typesFitting(path: string | null, status: number | null): string[] {
  if (path === null || status === null) return [];
  const types: string[] = [];
  for (const fit of COPY_FITS) {
    if ((fit.statuses as readonly number[]).includes(status) && fit.path.test(path)) types.push(...fit.types);
  }
  return types;
}
