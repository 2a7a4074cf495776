import { describe, expect, it } from "vitest";
import { type AuthConfig, readAuthConfig } from "@/lib/auth/config";
import { type GuardInput, guardRequest } from "@/lib/auth/guard-request";
import { openSession, sealSession } from "@/lib/auth/session";
import { RateLimiter } from "@/lib/server/rate-limit";
import { REQUEST_LIMITS } from "@/lib/server/request-limits";

process.env.REALMWATCH_SECRET_KEY ??= "unit-tests-only-k3Y8vQ2mR7xN4bW9cT1z";

const ORIGIN = "https://realmwatch.example.com";
const NOW = Date.UTC(2026, 10, 22, 12);
const oidc: AuthConfig = readAuthConfig({
  HOST: "0.0.0.0",
  REALMWATCH_OIDC_ISSUER: "https://sso.example.com/realms/master",
  REALMWATCH_OIDC_CLIENT_ID: "realmwatch-web",
});
const anonymous: AuthConfig = { mode: "anonymous", reason: "loopback" };

function limiters() {
  return new Map(
    REQUEST_LIMITS.flatMap((l) => (l.rate ? [[l.prefix, new RateLimiter(l.rate)] as const] : [])),
  );
}

function request(over: Partial<GuardInput> & { header?: Record<string, string> } = {}): GuardInput {
  const header = over.header ?? {};
  return {
    method: "GET",
    pathname: "/",
    search: "",
    origin: ORIGIN,
    sessionCookie: undefined,
    clientAddress: "direct",
    allowedHosts: new Set(["realmwatch.example.com"]),
    metricsTokenSet: false,
    nowMs: NOW,
    ...over,
    headers: {
      get: (name: string) =>
        header[name.toLowerCase()] ?? (name === "host" ? "realmwatch.example.com" : null),
    },
  };
}

/** The same cookie with one ciphertext character changed. */
const tamper = (value: string) => `${value.slice(0, 20)}${value[20] === "A" ? "B" : "A"}${value.slice(21)}`;

const cookie = (role: "viewer" | "analyst" | "admin") =>
  sealSession({ role, name: role, exp: Math.floor(NOW / 1000) + 3600 });

describe("CSRF", () => {
  const cases: Array<[string, Record<string, string>, number | "next"]> = [
    ["same origin", { origin: ORIGIN }, "next"],
    ["another site's Origin", { origin: "https://evil.example" }, 403],
    ["Sec-Fetch-Site cross-site without Origin", { "sec-fetch-site": "cross-site" }, 403],
    ["Sec-Fetch-Site same-site (a sibling subdomain)", { "sec-fetch-site": "same-site" }, 403],
    ["no browser headers (curl)", {}, "next"],
  ];
  for (const [name, header, expected] of cases) {
    it(`POST /api/sources with ${name}: ${expected}`, () => {
      const v = guardRequest(
        request({ method: "POST", pathname: "/api/sources", header }),
        anonymous,
        limiters(),
      );
      expect(v.action === "next" ? "next" : v.action === "reject" ? v.status : v.action).toBe(expected);
    });
  }

  it("lets cross-site reads through and exempts HMAC-signed reports", () => {
    const evil = { origin: "https://evil.example", "sec-fetch-site": "cross-site" };
    expect(
      guardRequest(request({ pathname: "/api/events", header: evil }), anonymous, limiters()).action,
    ).toBe("next");
    expect(
      guardRequest(request({ method: "POST", pathname: "/api/reports", header: evil }), anonymous, limiters())
        .action,
    ).toBe("next");
  });
});

describe("rate limits", () => {
  it("answers 429 with Retry-After once a client's bucket for /api/import is empty, and not for others", () => {
    const l = limiters();
    const post = (clientAddress: string) =>
      guardRequest(request({ method: "POST", pathname: "/api/import", clientAddress }), anonymous, l);
    const verdicts = Array.from({ length: 21 }, () => post("10.0.0.1"));
    expect(verdicts.slice(0, 20).every((v) => v.action === "next")).toBe(true);
    const last = verdicts[20];
    expect(last).toMatchObject({ action: "reject", status: 429 });
    expect(last?.action === "reject" && last.retryAfterSec).toBeGreaterThanOrEqual(1);
    expect(post("10.0.0.2").action).toBe("next");
  });

  it("leaves /api/reports to the route, which charges the verified source (a header names any source)", () => {
    const l = limiters();
    const post = () =>
      guardRequest(
        request({ method: "POST", pathname: "/api/reports", header: { "x-realmwatch-source": "a" } }),
        anonymous,
        l,
      );
    for (let i = 0; i < 200; i++) expect(post().action).toBe("next");
  });

  it("charges after sign-in: refused anonymous imports do not use up the admin's bucket", () => {
    const l = limiters();
    const post = (sessionCookie?: string) =>
      guardRequest(request({ method: "POST", pathname: "/api/import", sessionCookie }), oidc, l);
    for (let i = 0; i < 30; i++) expect(post()).toMatchObject({ status: 401 });
    expect(post(cookie("admin")).action).toBe("next");
  });

  it("gives each signed-in person a bucket of their own", () => {
    const l = limiters();
    const admin = cookie("admin");
    for (let i = 0; i < 20; i++)
      guardRequest(request({ method: "POST", pathname: "/api/import", sessionCookie: admin }), oidc, l);
    expect(
      guardRequest(request({ method: "POST", pathname: "/api/import", sessionCookie: admin }), oidc, l),
    ).toMatchObject({ status: 429 });
    const other = sealSession({ role: "admin", name: "other-admin", exp: Math.floor(NOW / 1000) + 3600 });
    expect(
      guardRequest(request({ method: "POST", pathname: "/api/import", sessionCookie: other }), oidc, l)
        .action,
    ).toBe("next");
  });
});

describe("body size limits", () => {
  it("rejects a declared body over the JSON API limit with 413 and accepts one under it", () => {
    const post = (length: number) =>
      guardRequest(
        request({ method: "POST", pathname: "/api/sources", header: { "content-length": String(length) } }),
        anonymous,
        limiters(),
      );
    expect(post(300 * 1024)).toMatchObject({ action: "reject", status: 413 });
    expect(post(2 * 1024).action).toBe("next");
  });

  it("allows larger log imports", () => {
    const v = guardRequest(
      request({
        method: "POST",
        pathname: "/api/import",
        header: { "content-length": String(10 * 1024 * 1024) },
      }),
      anonymous,
      limiters(),
    );
    expect(v.action).toBe("next");
  });
});

describe("sign-in and roles", () => {
  it("sends a page visitor without a session to sign in, keeping where they were going", () => {
    const v = guardRequest(request({ pathname: "/events", search: "?realm=acme" }), oidc, limiters());
    expect(v).toEqual({ action: "signin", location: "/signin?returnTo=%2Fevents%3Frealm%3Dacme" });
  });

  it("answers API calls without a session with 401 and leaves probes public", () => {
    expect(guardRequest(request({ pathname: "/api/events" }), oidc, limiters())).toMatchObject({
      status: 401,
    });
    for (const pathname of ["/api/live", "/api/ready", "/metrics", "/signin", "/api/auth/callback"]) {
      expect(guardRequest(request({ pathname }), oidc, limiters()).action).toBe("next");
    }
  });

  const roleCases: Array<[string, string, "viewer" | "analyst" | "admin", "next" | 403]> = [
    ["GET", "/events", "viewer", "next"],
    ["GET", "/api/events/export", "viewer", 403],
    ["GET", "/api/events/export", "analyst", "next"],
    ["POST", "/api/sources", "analyst", 403],
    ["POST", "/api/sources", "admin", "next"],
    ["GET", "/api/sources", "viewer", "next"],
    ["PUT", "/api/sources/1/events-config", "analyst", 403],
  ];
  for (const [method, pathname, role, expected] of roleCases) {
    it(`${method} ${pathname} as ${role}: ${expected}`, () => {
      const v = guardRequest(
        request({ method, pathname, sessionCookie: cookie(role), header: { origin: ORIGIN } }),
        oidc,
        limiters(),
      );
      expect(v.action === "reject" ? v.status : v.action).toBe(expected);
    });
  }

  it("refuses a forged or expired session cookie", () => {
    const expired = sealSession({ role: "admin", name: "a", exp: Math.floor(NOW / 1000) - 1 });
    for (const sessionCookie of ["v1:AAAA", expired, tamper(cookie("admin"))]) {
      expect(
        guardRequest(request({ pathname: "/api/events", sessionCookie }), oidc, limiters()),
      ).toMatchObject({
        status: 401,
      });
    }
  });
});

describe("revoked sessions", () => {
  it("treats a signed-out session's cookie as no session", () => {
    const value = cookie("admin");
    const sid = openSession(value, Math.floor(NOW / 1000))?.sid ?? "";
    const get = (revokedSessions?: ReadonlySet<string>) =>
      guardRequest(
        request({ pathname: "/api/events", sessionCookie: value, revokedSessions }),
        oidc,
        limiters(),
      );
    expect(get().action).toBe("next");
    expect(get(new Set([sid]))).toMatchObject({ status: 401 });
  });
});

describe("Host allow-list (DNS rebinding)", () => {
  it("serves an allow-listed Host", () => {
    expect(guardRequest(request({ pathname: "/api/events" }), anonymous, limiters()).action).toBe("next");
  });

  it("refuses, with 421, a rebound name even when its Origin matches its own Host", () => {
    const header = { host: "rebind.evil.example:3000", origin: "http://rebind.evil.example:3000" };
    for (const [method, pathname] of [
      ["GET", "/api/events"],
      ["GET", "/"],
      ["PUT", "/api/sources/1"],
    ] as const) {
      const v = guardRequest(request({ method, pathname, header }), anonymous, limiters());
      expect(v).toMatchObject({ action: "reject", status: 421, code: "unknown_host" });
    }
  });

  it("refuses a request without Host", () => {
    const v = guardRequest(request({ header: { host: "" } }), anonymous, limiters());
    expect(v).toMatchObject({ status: 421 });
  });

  it("lets probes and signed reports in by any name; /metrics only when it asks for a token", () => {
    const header = { host: "10.1.2.3:3000" };
    for (const pathname of ["/api/health", "/api/ready", "/api/reports"]) {
      expect(guardRequest(request({ pathname, header }), anonymous, limiters()).action).not.toBe("reject");
    }
    expect(guardRequest(request({ pathname: "/metrics", header }), anonymous, limiters())).toMatchObject({
      status: 421,
    });
    expect(
      guardRequest(request({ pathname: "/metrics", header, metricsTokenSet: true }), anonymous, limiters())
        .action,
    ).toBe("next");
  });
});
