import { afterEach, describe, expect, it, vi } from "vitest";
import { analyzeToken, type TokenAnalysisInput } from "@/lib/diagnose/token-analyzer";
import { seededRandom as prng } from "@/testkit/seeded-random";
import { accessToken, ISSUER, jwt, NOW } from "@/testkit/test-jwt";

const base = (token: string, extra: Partial<TokenAnalysisInput> = {}): TokenAnalysisInput => ({
  token,
  now: NOW,
  knownIssuers: [ISSUER],
  ...extra,
});

const finding = (result: ReturnType<typeof analyzeToken>, id: string) =>
  result.findings.filter((f) => f.id === id);

describe("analyzeToken verdicts", () => {
  it("finds nothing wrong with a healthy token that has what the API needs", () => {
    const result = analyzeToken(
      base(jwt(accessToken()), {
        required: {
          audience: "orders-api",
          scopes: ["openid"],
          clientRoles: [{ clientId: "orders-api", roles: ["reader"] }],
        },
      }),
    );
    expect(result.findings.filter((f) => f.status === "fail")).toEqual([]);
    expect(result.verdict.cause).toBe("unknown");
    expect(result.claims?.preferredUsername).toBe("alice");
  });

  it("says the signature was not verified", () => {
    const [signature] = finding(analyzeToken(base(jwt(accessToken()))), "signature");
    expect(signature?.status).toBe("info");
    expect(signature?.evidence).toMatch(/not checked/);
  });

  it("token-expired: exp passed beyond the skew", () => {
    const result = analyzeToken(base(jwt(accessToken()), { now: NOW + 20 * 60_000 }));
    expect(result.verdict).toMatchObject({ cause: "token-expired", fixPath: "/fixes/token-expired" });
    expect(finding(result, "expiry")[0]?.evidence).toContain("16 min before");
  });

  it("tolerates an expiry within the allowed skew", () => {
    const result = analyzeToken(
      base(jwt(accessToken()), { now: NOW + 4 * 60_000 + 30_000, allowedSkewSeconds: 60 }),
    );
    expect(finding(result, "expiry")[0]?.status).toBe("info");
    expect(result.verdict.cause).toBe("unknown");
  });

  it("token-expired: iat in the future means the issuer's clock runs ahead", () => {
    const iat = NOW / 1000 + 600;
    const result = analyzeToken(base(jwt(accessToken({ iat, exp: iat + 300 }))));
    expect(result.verdict.cause).toBe("token-expired");
    expect(result.verdict.summary).toMatch(/clock skew/i);
    expect(finding(result, "issued-at")[0]?.evidence).toContain("10 min ahead");
  });

  it("token-expired: used before nbf", () => {
    const result = analyzeToken(base(jwt(accessToken({ nbf: NOW / 1000 + 300 }))));
    expect(result.verdict.cause).toBe("token-expired");
    expect(finding(result, "not-before")[0]?.status).toBe("fail");
  });

  it.each([
    ["another host", "https://old-auth.example.com/realms/acme", "host"],
    ["http instead of https", "http://auth.example.com/realms/acme", "scheme"],
    ["a lost port", "https://auth.example.com:8443/realms/acme", "port"],
    ["the old /auth context path", "https://auth.example.com/auth/realms/acme", "path"],
  ])("proxy-misconfig: the same realm under %s", (_label, iss, part) => {
    const result = analyzeToken(base(jwt(accessToken({ iss }))));
    expect(result.verdict.cause).toBe("proxy-misconfig");
    expect(finding(result, "issuer")[0]?.evidence).toContain(`different ${part}`);
  });

  it("does not blame the proxy for a token of another realm", () => {
    const result = analyzeToken(base(jwt(accessToken({ iss: "https://auth.example.com/realms/retail" }))));
    expect(finding(result, "issuer")[0]?.status).toBe("info");
    expect(result.verdict.cause).not.toBe("proxy-misconfig");
  });

  it("wrong-audience: aud lacks the API, and says when the token was issued to the API itself", () => {
    const result = analyzeToken(
      base(jwt(accessToken({ aud: "account" })), { required: { audience: "billing-api" } }),
    );
    expect(result.verdict.cause).toBe("wrong-audience");
    expect(finding(result, "audience")[0]?.evidence).toContain("aud account, azp spa");
    const self = analyzeToken(
      base(jwt(accessToken({ aud: "account", azp: "billing-api" })), {
        required: { audience: "billing-api" },
      }),
    );
    expect(finding(self, "audience")[0]?.evidence).toContain("issued to billing-api (azp) but not for it");
  });

  it.each([
    ["ID", "An ID token"],
    ["Refresh", "A refresh token"],
    ["Offline", "A refresh token"],
  ])("wrong-audience: a token with typ %s pasted instead of an access token", (typ, title) => {
    const result = analyzeToken(base(jwt(accessToken({ typ, aud: typ === "ID" ? "spa" : ISSUER }))));
    expect(result.verdict.cause).toBe("wrong-audience");
    expect(result.verdict.summary).toContain(title);
  });

  it("missing-scope: userinfo with a token issued without openid", () => {
    const result = analyzeToken(
      base(jwt(accessToken({ scope: "profile email" })), { required: { endpoint: "userinfo" } }),
    );
    expect(result.verdict.cause).toBe("missing-scope");
    expect(finding(result, "scope")[0]?.evidence).toMatch(/insufficient_scope.*scope=openid/);
  });

  it("missing-scope: an API scope that was not requested", () => {
    const result = analyzeToken(base(jwt(accessToken()), { required: { scopes: ["orders:write"] } }));
    expect(result.verdict.cause).toBe("missing-scope");
    expect(result.verdict.summary).toContain("orders:write");
  });

  it("missing-role: required client role api:reader present as realm role reader", () => {
    const token = jwt(
      accessToken({ realm_access: { roles: ["reader"] }, resource_access: { account: { roles: [] } } }),
    );
    const result = analyzeToken(
      base(token, { required: { clientRoles: [{ clientId: "api", roles: ["reader"] }] } }),
    );
    expect(result.verdict.cause).toBe("missing-role");
    expect(result.verdict.summary).toContain(
      "reader is a realm role here, the API wants the client role of api",
    );
    expect(finding(result, "role")[0]?.evidence).toContain(
      "assigned as a realm role instead of a client role of api",
    );
  });

  it("missing-role: required realm role present only as a client role", () => {
    const result = analyzeToken(base(jwt(accessToken()), { required: { realmRoles: ["reader"] } }));
    expect(result.verdict.cause).toBe("missing-role");
    expect(finding(result, "role")[0]?.evidence).toContain(
      "resource_access.orders-api.roles, not in realm_access.roles",
    );
  });

  it("missing-role: no role claims at all points at the roles client scope", () => {
    const payload = accessToken();
    delete payload.realm_access;
    delete payload.resource_access;
    const result = analyzeToken(base(jwt(payload), { required: { realmRoles: ["reader"] } }));
    expect(result.verdict.cause).toBe("missing-role");
    expect(finding(result, "role")[0]?.evidence).toContain("roles client scope");
  });

  it("prefers a lasting cause over the expiry of an old pasted token, and mentions both", () => {
    const result = analyzeToken(
      base(jwt(accessToken({ aud: "account" })), {
        now: NOW + 3_600_000,
        required: { audience: "orders-api" },
      }),
    );
    expect(result.verdict.cause).toBe("wrong-audience");
    expect(result.verdict.summary).toContain("Also: expired");
  });
});

describe("analyzeToken input handling", () => {
  afterEach(() => vi.restoreAllMocks());

  it("accepts a Bearer prefix, a bare payload, and payload JSON", () => {
    const token = jwt(accessToken());
    expect(analyzeToken(base(`  Bearer ${token}\n`)).form).toBe("jws");
    const payload = Buffer.from(JSON.stringify(accessToken())).toString("base64url");
    expect(analyzeToken(base(payload)).form).toBe("payload-base64url");
    expect(analyzeToken(base(JSON.stringify(accessToken()))).claims?.azp).toBe("spa");
  });

  it("reads non-ASCII claims as UTF-8", () => {
    const result = analyzeToken(base(jwt(accessToken({ preferred_username: "jürgen.müller" }))));
    expect(result.claims?.preferredUsername).toBe("jürgen.müller");
  });

  it.each([
    ["garbage", "not a token"],
    ["an encrypted JWE", "a.b.c.d.e"],
    ["a broken payload", "eyJhbGciOiJSUzI1NiJ9.!!!.sig"],
    ["an oversized input", "a".repeat(70_000)],
    ["a JSON array", "[1,2]"],
  ])("rejects %s with a reason and an unknown verdict", (_label, token) => {
    const result = analyzeToken(base(token));
    expect(result.claims).toBeNull();
    expect(result.findings[0]).toMatchObject({ id: "decode", status: "fail" });
    expect(result.verdict.cause).toBe("unknown");
  });

  it("survives claims of the wrong types", () => {
    const result = analyzeToken(
      base(
        jwt({
          aud: { x: 1 },
          scope: 7,
          exp: "soon",
          realm_access: { roles: [1, null, "ok"] },
          resource_access: ["x"],
        }),
        {
          required: { audience: "api", realmRoles: ["ok"], clientRoles: [{ clientId: "api", roles: ["r"] }] },
        },
      ),
    );
    expect(result.claims?.realmRoles).toEqual(["ok"]);
    expect(result.claims?.aud).toEqual([]);
    expect(result.verdict.cause).toBe("wrong-audience");
  });

  it("never throws on seeded random input", () => {
    const random = prng(20261103);
    const alphabet = 'eyJ.-_=abcXYZ0189{}":,[] \u00e9';
    for (let i = 0; i < 400; i++) {
      const length = Math.floor(random() * 120);
      let token = "";
      for (let j = 0; j < length; j++) token += alphabet.charAt(Math.floor(random() * alphabet.length));
      expect(() =>
        analyzeToken(base(token, { required: { audience: "api", endpoint: "userinfo" } })),
      ).not.toThrow();
    }
  });

  it("writes nothing to the console: a pasted token is never logged", () => {
    const spies = (["log", "info", "warn", "error", "debug"] as const).map((m) => vi.spyOn(console, m));
    const token = jwt(accessToken({ aud: "account" }));
    analyzeToken(base(token, { required: { audience: "orders-api" } }));
    analyzeToken(base("garbage"));
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
  });
});
