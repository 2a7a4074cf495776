import { ZodError } from "zod";
import { AppError, isAppError } from "@/lib/server/errors";
import { logger } from "@/lib/server/logger";

/**
 * The one place where failures become HTTP. An AppError keeps its code, status and message; a ZodError (input
 * that failed a schema) is a 400 naming each bad field; a database that cannot be reached is a 503; anything
 * else is a 500 whose message says nothing about internals (the full error goes to the server log).
 */
export interface ErrorBody {
  error: string;
  message: string;
  details?: Record<string, unknown>;
}

export function toAppError(err: unknown): AppError {
  if (isAppError(err)) return err;
  if (err instanceof ZodError) {
    const fields = err.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`);
    return new AppError("bad_request", `Invalid request. ${fields.join("; ")}.`, {
      issues: err.issues.map((i) => ({ path: i.path.map(String), message: i.message })),
    });
  }
  if (isConnectionError(err)) {
    return new AppError(
      "database_unavailable",
      "The database is not reachable: check that PostgreSQL is running.",
    );
  }
  return new AppError("internal", "Something went wrong on the server; the error was logged.");
}

/** The AppError for an expected failure (bad input, a known AppError, the database down); null for a bug. */
export function expectedError(err: unknown): AppError | null {
  const e = toAppError(err);
  return e.code === "internal" && !isAppError(err) ? null : e;
}

export function errorResponse(err: unknown): Response {
  const appError = toAppError(err);
  if (appError.code === "internal") logUnexpected("request failed", err);
  const body: ErrorBody = { error: appError.code, message: appError.message };
  if (appError.details) body.details = appError.details;
  const headers: Record<string, string> = { "cache-control": "no-store" };
  // A rate limit says when to come back, in the header clients and proxies read (RFC 9110 section 10.2.3).
  const retryAfter = appError.details?.retryAfterSec;
  if (appError.code === "rate_limited" && typeof retryAfter === "number")
    headers["Retry-After"] = String(retryAfter);
  return Response.json(body, { status: appError.status, headers });
}

/** A JSON answer that no cache keeps (the data is live and may be personal). */
export function json(data: unknown, init: ResponseInit = {}): Response {
  const headers = new Headers(init.headers);
  headers.set("cache-control", "no-store");
  return Response.json(data, { ...init, headers });
}

/** A bug, with its stack, through the redacting logger. */
export function logUnexpected(msg: string, err: unknown): void {
  logger.error(msg, { error: err, stack: err instanceof Error ? err.stack : undefined });
}

const CONNECTION_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
]);

function isConnectionError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" && CONNECTION_CODES.has(code);
}
