import { randomBytes } from "node:crypto";
import { type NextRequest, NextResponse } from "next/server";
import { allowedHostsOf } from "@/lib/auth/allowed-hosts";
import { getAuthConfig } from "@/lib/auth/config";
import { guardRequest } from "@/lib/auth/guard-request";
import { publicOrigin } from "@/lib/auth/public-origin";
import { revokedSessionIds } from "@/lib/auth/revoked-sessions";
import { SESSION_COOKIE } from "@/lib/auth/session";
import { clientAddress } from "@/lib/server/client-address";
import { type Env, getEnv } from "@/lib/server/env";
import { contentSecurityPolicy } from "@/lib/server/security-headers.js";
import { sharedLimiters } from "@/lib/server/shared-limiters";

/**
 * Runs before every page and route (Next 16's proxy, on the Node.js runtime, in the same process as the server;
 * the rate limiters are shared with the routes through lib/server/shared-limiters.ts).
 */
export async function proxy(request: NextRequest) {
  const auth = getAuthConfig();
  const sessionCookie = request.cookies.get(SESSION_COOKIE)?.value;
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
      sessionCookie,
      revokedSessions: auth.mode === "oidc" && sessionCookie ? await revokedSessionIds() : undefined,
      allowedHosts: allowedHostsFor(env),
      metricsTokenSet: env.REALMWATCH_METRICS_TOKEN !== undefined,
      clientAddress: clientAddress(request.headers, env.REALMWATCH_TRUST_PROXY),
      nowMs: Date.now(),
    },
    auth,
    sharedLimiters(),
  );
  // A fresh nonce per request: Next reads it from the request's policy header and puts it on its scripts.
  const csp = contentSecurityPolicy(
    process.env.NODE_ENV !== "production",
    randomBytes(18).toString("base64"),
  );
  if (verdict.action === "next") {
    const forwarded = new Headers(request.headers);
    forwarded.set("Content-Security-Policy", csp);
    const response = NextResponse.next({ request: { headers: forwarded } });
    response.headers.set("Content-Security-Policy", csp);
    return response;
  }
  if (verdict.action === "signin") return NextResponse.redirect(new URL(verdict.location, origin), 303);
  const headers: Record<string, string> = { "Content-Security-Policy": csp };
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

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
