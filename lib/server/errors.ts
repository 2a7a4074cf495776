/**
 * The one error type for expected failures. `code` is stable (API and CLI), `message` says what was wrong and
 * what to do. Route handlers map it to HTTP in one place (lib/server/respond.ts).
 */
export type AppErrorCode =
  | "bad_request"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "too_large"
  | "rate_limited"
  | "keycloak_unreachable"
  | "keycloak_auth_failed"
  | "keycloak_forbidden"
  | "keycloak_error"
  | "database_unavailable"
  | "internal";

const STATUS: Record<AppErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  rate_limited: 429,
  keycloak_unreachable: 502,
  keycloak_auth_failed: 502,
  keycloak_forbidden: 502,
  keycloak_error: 502,
  database_unavailable: 503,
  internal: 500,
};

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly details?: Record<string, unknown>;

  constructor(code: AppErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return STATUS[this.code];
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}
