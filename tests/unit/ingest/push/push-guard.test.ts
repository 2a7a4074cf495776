import { describe, expect, it } from "vitest";
import { type AuthConfig, readAuthConfig } from "@/lib/auth/config";
import { type GuardInput, guardRequest } from "@/lib/auth/guard-request";
import { RateLimiter } from "@/lib/server/rate-limit";
import { REQUEST_LIMITS } from "@/lib/server/request-limits";

process.env.REALMWATCH_SECRET_KEY ??= "unit-test-key-unit-test-key-unit-test-key";

/** What the request guard lets through to the push routes: no session, no CSRF check, their own limits. */
const NOW = Date.UTC(2026, 10, 22, 12);
const oidc: AuthConfig = readAuthConfig({
  HOST: "0.0.0.0",
  REALMWATCH_OIDC_ISSUER: "https://sso.example.com/realms/master",
  REALMWATCH_OIDC_CLIENT_ID: "realmwatch-web",
});
const SOURCE = "5b0f7c1e-2d3a-4b4c-8d5e-6f7a8b9c0d1e";

function limiters() {
  return new Map(
    REQUEST_LIMITS.flatMap((l) => (l.rate ? [[l.prefix, new RateLimiter(l.rate)] as const] : [])),
  );
}

function post(pathname: string, header: Record<string, string> = {}, nowMs = NOW): GuardInput {
  return {
    method: "POST",
    pathname,
    search: "",
    origin: "https://realmwatch.example.com",
    sessionCookie: undefined,
    clientAddress: "direct",
    // Shippers reach realmwatch by whatever name they have: pushes are served to any Host.
    allowedHosts: new Set(),
    metricsTokenSet: false,
    nowMs,
    headers: { get: (name: string) => header[name.toLowerCase()] ?? null },
  };
}

describe("the request guard and pushes", () => {
  it("lets a push through without a session, even with a cross-site Origin (it authenticates itself)", () => {
    const l = limiters();
    expect(guardRequest(post(`/api/push/events/${SOURCE}`), oidc, l)).toEqual({ action: "next" });
    expect(
      guardRequest(post(`/api/push/logs/${SOURCE}`, { origin: "https://shipper.internal" }), oidc, l),
    ).toEqual({ action: "next" });
  });

  it("refuses a webhook body declared over 1 MiB with 413, and takes a log stream of any length", () => {
    const l = limiters();
    const big = String(2 * 1024 * 1024);
    expect(
      guardRequest(post(`/api/push/events/${SOURCE}`, { "content-length": big }), oidc, l),
    ).toMatchObject({
      status: 413,
      code: "too_large",
    });
    expect(
      guardRequest(post(`/api/push/logs/${SOURCE}`, { "content-length": String(5 * 1024 ** 3) }), oidc, l),
    ).toEqual({ action: "next" });
  });

  it("leaves the push limits to the routes, which charge a sender only once it is authenticated", () => {
    const l = limiters();
    for (let i = 0; i < 20_001; i++) {
      expect(guardRequest(post(`/api/push/events/${SOURCE}`), oidc, l)).toEqual({ action: "next" });
    }
  });

  it("keeps managing push settings and showing secrets for admins", () => {
    const request = {
      ...post(`/api/sources/${SOURCE}/push/secrets`, { host: "realmwatch.example.com" }),
      allowedHosts: new Set(["realmwatch.example.com"]),
    };
    const verdict = guardRequest(request, oidc, limiters());
    expect(verdict).toMatchObject({ action: "reject", status: 401 });
  });
});
