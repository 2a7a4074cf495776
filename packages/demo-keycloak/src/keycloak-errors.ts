/**
 * Keycloak's JSON error bodies, as KeycloakErrorHandler writes them: a WebApplicationException's message
 * becomes `error`; anything else is `unknown_error` with a pointer to the server log.
 */
export interface HttpError {
  status: number;
  body: Record<string, string>;
  headers?: Record<string, string>;
}

export const httpError = (status: number, error: string, description?: string): HttpError => ({
  status,
  body: description === undefined ? { error } : { error, error_description: description },
});

export const UNAUTHORIZED = httpError(401, "HTTP 401 Unauthorized");
export const FORBIDDEN = httpError(403, "HTTP 403 Forbidden");
export const NOT_FOUND = httpError(404, "HTTP 404 Not Found");
export const REALM_NOT_FOUND = httpError(404, "Realm not found.");
/** An IllegalArgumentException from `EventType.valueOf` and friends is not mapped: it surfaces as a 500. */
export const UNCAUGHT_SERVER_ERROR = httpError(
  500,
  "unknown_error",
  "For more on this error consult the server log.",
);

export function isHttpError(value: unknown): value is HttpError {
  return typeof value === "object" && value !== null && "status" in value && "body" in value;
}
