import { type NextRequest, NextResponse } from "next/server";
import { allowedHostsOf } from "@/lib/auth/allowed-hosts";
import { getAuthConfig } from "@/lib/auth/config";
import { guardRequest } from "@/lib/auth/guard-request";
import { publicOrigin } from "@/lib/auth/public-origin";
import { SESSION_COOKIE } from "@/lib/auth/session";
import { type Env, getEnv } from "@/lib/server/env";
import { RateLimiter } from "@/lib/server/rate-limit";
import { REQUEST_LIMITS } from "@/lib/server/request-limits";

/**
 * Runs before every page and route (Next 16's proxy, on the Node.js runtime, in the same process as the custom
 * server, so the in-memory rate limiters are shared by all requests).
 */
const limiters = new Map(
  REQUEST_LIMITS.flatMap((l) => (l.rate ? [[l.prefix, new RateLimiter(l.rate)] as const] : [])),
);

export function proxy(request: NextRequest) {
  const auth = getAuthConfig();
  const url = request.nextUrl;
  const origin = publicOrigin(auth, request);
  const env = getEnv();
  const verdict = guardRequest(
    {
      method: request.method,
      pathname: url.pathname,
      search: url.search,
      origin: origin.origin,
      headers: request.headers,
      sessionCookie: request.cookies.get(SESSION_COOKIE)?.value,
      allowedHosts: allowedHostsFor(env),
      metricsTokenSet: env.REALMWATCH_METRICS_TOKEN !== undefined,
      clientAddress: clientAddress(request),
      nowMs: Date.now(),
    },
    auth,
    limiters,
  );
  if (verdict.action === "next") return NextResponse.next();
  if (verdict.action === "signin") return NextResponse.redirect(new URL(verdict.location, origin), 303);
  const headers: Record<string, string> = {};
  if (verdict.retryAfterSec !== undefined) headers["Retry-After"] = String(verdict.retryAfterSec);
  return NextResponse.json(
    { error: verdict.code, message: verdict.message },
    { status: verdict.status, headers },
  );
}

let hostsCache: { env: Env; hosts: ReadonlySet<string> } | undefined;

function allowedHostsFor(env: Env): ReadonlySet<string> {
  if (hostsCache?.env !== env) hostsCache = { env, hosts: allowedHostsOf(env) };
  return hostsCache.hosts;
}

/**
 * X-Forwarded-For is only believed behind a reverse proxy that sets it (REALMWATCH_TRUST_PROXY=1); otherwise
 * any client could pick a fresh address per request and never be limited.
 */
function clientAddress(request: NextRequest): string {
  if (!getEnv().REALMWATCH_TRUST_PROXY) return "direct";
  return request.headers.get("x-forwarded-for")?.split(",")[0]?.trim() || "unknown";
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
