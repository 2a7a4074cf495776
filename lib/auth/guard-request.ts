import type { AuthConfig } from "@/lib/auth/config";
import { accessRefusal, routeAccessFor } from "@/lib/auth/route-access";
import { viewerFromCookie } from "@/lib/auth/viewer";
import { checkCsrf } from "@/lib/server/csrf";
import type { RateLimiter } from "@/lib/server/rate-limit";
import { checkBodySize, requestLimitFor } from "@/lib/server/request-limits";

/**
 * Everything proxy.ts decides before a request reaches a page or route, as one pure function: size limit, CSRF,
 * rate limit, sign-in and role. The proxy turns the verdict into a response.
 */
export interface GuardInput {
  method: string;
  pathname: string;
  search: string;
  origin: string;
  headers: { get(name: string): string | null };
  sessionCookie: string | undefined;
  /** The client address used for rate limits (see clientKey in proxy.ts). */
  clientAddress: string;
  nowMs: number;
}

export type GuardVerdict =
  | { action: "next" }
  | { action: "reject"; status: 401 | 403 | 413 | 429; code: string; message: string; retryAfterSec?: number }
  | { action: "signin"; location: string };

export function guardRequest(
  input: GuardInput,
  auth: AuthConfig,
  limiters: ReadonlyMap<string, RateLimiter>,
): GuardVerdict {
  const { method, pathname, headers } = input;
  const isApi = pathname.startsWith("/api/");
  const limit = requestLimitFor(pathname);

  if (limit && isApi) {
    const size = checkBodySize(headers.get("content-length"), limit.maxBodyBytes);
    if (!size.ok) {
      return {
        action: "reject",
        status: 413,
        code: "too_large",
        message: `The request body is larger than ${size.limit} bytes, the limit for ${limit.prefix}.`,
      };
    }
  }

  const csrf = checkCsrf(input);
  if (!csrf.ok) {
    return {
      action: "reject",
      status: 403,
      code: "csrf",
      message: `Cross-site request refused (${csrf.reason}). Send it from the realmwatch page itself.`,
    };
  }

  const limiter = limit && limiters.get(limit.prefix);
  if (limiter && method.toUpperCase() !== "GET") {
    const key = pathname.startsWith("/api/reports")
      ? `source:${headers.get("x-realmwatch-source") ?? input.clientAddress}`
      : pathname.startsWith("/api/push/")
        ? `push:${pathname}`
        : `ip:${input.clientAddress}`;
    const rate = limiter.take(key, input.nowMs);
    if (!rate.ok) {
      return {
        action: "reject",
        status: 429,
        code: "rate_limited",
        message: `Too many requests to ${limit.prefix}: retry in ${rate.retryAfterSec} s.`,
        retryAfterSec: rate.retryAfterSec,
      };
    }
  }

  const access = routeAccessFor(pathname, method);
  if (access === "public") return { action: "next" };
  const viewer = viewerFromCookie(auth, input.sessionCookie, Math.floor(input.nowMs / 1000));
  if (!viewer && !isApi) {
    return { action: "signin", location: `/signin?returnTo=${encodeURIComponent(pathname + input.search)}` };
  }
  const refusal = accessRefusal(viewer, access);
  return refusal ? { action: "reject", ...refusal } : { action: "next" };
}
