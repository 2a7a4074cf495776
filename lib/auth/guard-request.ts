import { checkHost, hostCheckApplies } from "@/lib/auth/allowed-hosts";
import type { AuthConfig } from "@/lib/auth/config";
import { accessRefusal, routeAccessFor } from "@/lib/auth/route-access";
import { viewerFromCookie } from "@/lib/auth/viewer";
import { checkCsrf } from "@/lib/server/csrf";
import type { RateLimiter } from "@/lib/server/rate-limit";
import { checkBodySize, requestLimitFor } from "@/lib/server/request-limits";

/**
 * Everything proxy.ts decides before a request reaches a page or route, as one pure function: Host allow-list,
 * size limit, CSRF, rate limit, sign-in and role. The proxy turns the verdict into a response.
 */
export interface GuardInput {
  method: string;
  pathname: string;
  search: string;
  origin: string;
  headers: { get(name: string): string | null };
  sessionCookie: string | undefined;
  /** The Host values served (lib/auth/allowed-hosts.ts); the request's own Host is in headers. */
  allowedHosts: ReadonlySet<string>;
  /** /metrics asks for a bearer token (then it carries no ambient authority and any Host may reach it). */
  metricsTokenSet: boolean;
  /** Sessions signed out before they expired: their cookies count as none. */
  revokedSessions?: ReadonlySet<string>;
  /** The client address used for rate limits (see clientKey in proxy.ts). */
  clientAddress: string;
  nowMs: number;
}

export type GuardVerdict =
  | { action: "next" }
  | {
      action: "reject";
      status: 401 | 403 | 413 | 421 | 429;
      code: string;
      message: string;
      retryAfterSec?: number;
    }
  | { action: "signin"; location: string };

export function guardRequest(
  input: GuardInput,
  auth: AuthConfig,
  limiters: ReadonlyMap<string, RateLimiter>,
): GuardVerdict {
  const { method, pathname, headers } = input;
  const isApi = pathname.startsWith("/api/");
  const limit = requestLimitFor(pathname);

  if (hostCheckApplies(pathname, input.metricsTokenSet)) {
    const host = checkHost(headers.get("host"), input.allowedHosts);
    if (!host.ok) {
      return {
        action: "reject",
        status: 421,
        code: "unknown_host",
        message:
          "realmwatch does not answer to this host name. Open it at its own address, or list the name in " +
          "REALMWATCH_ALLOWED_HOSTS (or set REALMWATCH_PUBLIC_URL).",
      };
    }
  }

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

  // Sign-in and role before the rate limit: a request that is refused anyway must not use up the bucket of
  // the people allowed to make it (anonymous imports would otherwise lock the admin out).
  const access = routeAccessFor(pathname, method);
  const viewer =
    access === "public"
      ? null
      : viewerFromCookie(auth, input.sessionCookie, Math.floor(input.nowMs / 1000), input.revokedSessions);
  if (access !== "public") {
    if (!viewer && !isApi) {
      return {
        action: "signin",
        location: `/signin?returnTo=${encodeURIComponent(pathname + input.search)}`,
      };
    }
    const refusal = accessRefusal(viewer, access);
    if (refusal) return { action: "reject", ...refusal };
  }

  const limiter = limit?.chargedBy !== "route" && limit && limiters.get(limit.prefix);
  if (limiter && method.toUpperCase() !== "GET") {
    // A signed-in person has a bucket of their own; without sign-in (the loopback mode) the client address.
    const key = viewer && auth.mode === "oidc" ? `user:${viewer.name}` : `ip:${input.clientAddress}`;
    const rate = limiter.take(key, input.nowMs);
    if (!rate.ok) return rateLimited(limit.prefix, rate.retryAfterSec);
  }
  return { action: "next" };
}

export function rateLimited(prefix: string, retryAfterSec: number): GuardVerdict {
  return {
    action: "reject",
    status: 429,
    code: "rate_limited",
    message: `Too many requests to ${prefix}: retry in ${retryAfterSec} s.`,
    retryAfterSec,
  };
}
