import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { assertAuthConfigured } from "@/lib/auth/assert-auth-configured";
import { readAuthConfig } from "@/lib/auth/config";
import { maskPersonal } from "@/lib/auth/personal-data";
import { rolesFromClaims } from "@/lib/auth/roles-from-claims";
import { openSession, sealSession } from "@/lib/auth/session";
import { safeReturnTo } from "@/lib/auth/sign-in-state";
import { parseEnv, weakSecretKey } from "@/lib/server/env";

process.env.REALMWATCH_SECRET_KEY ??= "unit-tests-only-k3Y8vQ2mR7xN4bW9cT1z";

const OIDC = {
  REALMWATCH_OIDC_ISSUER: "http://127.0.0.1:8180/realms/master",
  REALMWATCH_OIDC_CLIENT_ID: "realmwatch-web",
  REALMWATCH_OIDC_CLIENT_SECRET: "realmwatch-web-secret",
};

const PUBLIC = { REALMWATCH_PUBLIC_URL: "https://realmwatch.example.com" };
const KEY = { REALMWATCH_SECRET_KEY: "k3Y8vQ2mR7xN4bW9cT1zP5sK8dW2qL7mX3vR9" };

describe("starting without sign-in", () => {
  const cases: Array<[string, Record<string, unknown>, "oidc" | "anonymous" | "refuses"]> = [
    ["bound to 127.0.0.1", { HOST: "127.0.0.1" }, "anonymous"],
    ["bound to ::1", { HOST: "::1" }, "anonymous"],
    ["bound to localhost", { HOST: "localhost" }, "anonymous"],
    ["bound to 0.0.0.0", { HOST: "0.0.0.0" }, "refuses"],
    ["bound to a LAN address", { HOST: "10.1.2.3" }, "refuses"],
    [
      "bound to 0.0.0.0, anonymous allowed",
      { HOST: "0.0.0.0", REALMWATCH_ALLOW_ANONYMOUS: "1", ...KEY },
      "anonymous",
    ],
    ["bound to 0.0.0.0 with OIDC", { HOST: "0.0.0.0", ...OIDC, ...PUBLIC, ...KEY }, "oidc"],
    ["an empty issuer counts as unset", { HOST: "0.0.0.0", REALMWATCH_OIDC_ISSUER: "" }, "refuses"],
  ];
  for (const [name, env, expected] of cases) {
    it(`${name}: ${expected}`, () => {
      if (expected === "refuses") {
        expect(() => assertAuthConfigured(env)).toThrow(/REALMWATCH_OIDC_ISSUER/);
      } else {
        expect(() => assertAuthConfigured(env)).not.toThrow();
        expect(readAuthConfig(env).mode).toBe(expected);
      }
    });
  }
});

describe("starting off loopback", () => {
  it("with sign-in, requires the public URL (the redirect URI would follow the client's Host)", () => {
    expect(() => assertAuthConfigured({ HOST: "0.0.0.0", ...OIDC, ...KEY })).toThrow(/REALMWATCH_PUBLIC_URL/);
  });
  it("requires a secret key of its own (a generated one differs per replica)", () => {
    expect(() => assertAuthConfigured({ HOST: "0.0.0.0", ...OIDC, ...PUBLIC })).toThrow(
      /REALMWATCH_SECRET_KEY/,
    );
    expect(() => assertAuthConfigured({ HOST: "0.0.0.0", REALMWATCH_ALLOW_ANONYMOUS: "1" })).toThrow(
      /REALMWATCH_SECRET_KEY/,
    );
  });
  it("on loopback needs neither", () => {
    expect(() => assertAuthConfigured({ HOST: "127.0.0.1", ...OIDC })).not.toThrow();
  });
});

describe("the secret key", () => {
  it("refuses placeholders and low-entropy keys, naming the variable", () => {
    for (const weak of [
      "change-me-to-32-or-more-random-characters",
      "CHANGEME-CHANGEME-CHANGEME-CHANGEME",
      "your-secret-key-goes-here-0123456789abc",
      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
      "abcabcabcabcabcabcabcabcabcabcabcabc",
      "unit-test-key-unit-test-key-unit-test-key",
      "0123012301230123012301230123012301230123",
    ]) {
      expect(() => parseEnv({ REALMWATCH_SECRET_KEY: weak }), weak).toThrow(
        /REALMWATCH_SECRET_KEY: looks like/,
      );
    }
  });
  it("accepts random keys (base64 and hex of 16+ random bytes)", () => {
    // Random hex keys with only 9 distinct digits (about one in 10,000 `openssl rand -hex 16`): an earlier rule
    // refused them, and the CI caught it once.
    for (const hex of ["e9f0cfeaffacb00aff454ebf4994fa04", "40e453a740441e805044045a110a44e0"]) {
      expect(weakSecretKey(hex)).toBe(false);
    }
    // Fixed, random-looking bytes (digests of a counter), so a rare draw cannot make the test flaky.
    for (let i = 0; i < 5_000; i++) {
      const bytes = createHash("sha256").update(`key-${i}`).digest();
      expect(weakSecretKey(bytes.subarray(0, 24).toString("base64"))).toBe(false);
      expect(weakSecretKey(bytes.subarray(0, 16).toString("hex"))).toBe(false);
    }
  });
});

describe("roles from Keycloak claims", () => {
  it("takes the highest realmwatch role from its client's roles and realmwatch- realm roles, ignoring malformed claims", () => {
    expect(
      rolesFromClaims(
        { realm_access: { roles: ["offline_access", "realmwatch-viewer", "realmwatch-analyst"] } },
        "rw",
      ),
    ).toBe("analyst");
    // A realm's own "admin" (master's is Keycloak's super-user) is not realmwatch's admin.
    expect(rolesFromClaims({ realm_access: { roles: ["admin", "viewer"] } }, "rw")).toBeNull();
    expect(
      rolesFromClaims(
        { realm_access: { roles: ["admin"] }, resource_access: { rw: { roles: ["viewer"] } } },
        "rw",
      ),
    ).toBe("viewer");
    expect(rolesFromClaims({ resource_access: { rw: { roles: ["admin"] } } }, "rw")).toBe("admin");
    expect(rolesFromClaims({ resource_access: { other: { roles: ["admin"] } } }, "rw")).toBeNull();
    expect(rolesFromClaims({ realm_access: { roles: "admin" }, resource_access: [] }, "rw")).toBeNull();
  });
});

describe("session cookie", () => {
  it("round-trips the role and refuses it after expiry", () => {
    const value = sealSession({ role: "viewer", name: "viewer", exp: 2000 });
    expect(value).not.toContain("viewer");
    expect(openSession(value, 1999)).toEqual({
      sid: expect.any(String),
      role: "viewer",
      name: "viewer",
      exp: 2000,
    });
    expect(openSession(value, 2000)).toBeNull();
  });
});

describe("return path after sign-in", () => {
  it("keeps paths on this site and refuses everything else", () => {
    expect(safeReturnTo("/events?realm=acme")).toBe("/events?realm=acme");
    for (const bad of [
      "https://evil.example/",
      "//evil.example",
      "/\\evil.example",
      "javascript:alert(1)",
      "/\t/evil.example",
      "/\n/evil.example",
      "/\r/evil.example",
      "/.//evil.example",
      "/a/..//evil.example",
      null,
    ]) {
      expect(safeReturnTo(bad)).toBe("/");
    }
  });
});

describe("masking personal data", () => {
  const cases: Array<[string, Parameters<typeof maskPersonal>[1], string]> = [
    ["alice", "username", "a•••"],
    ["alice@example.com", "email", "a•••@example.com"],
    ["203.0.113.42", "ip", "203.0.x.x"],
    ["2001:db8:85a3::8a2e:370:7334", "ip", "2001:db8:•••"],
    ["0b0e7a3c-1f0e-4a44-9b5c-2f7d1f0c9a11", "user-id", "0b0e•••"],
  ];
  for (const [value, kind, masked] of cases) {
    it(`shows a viewer ${masked} for ${kind} ${value}; analysts and admins see it whole`, () => {
      expect(maskPersonal(value, kind, "viewer")).toBe(masked);
      expect(maskPersonal(value, kind, "analyst")).toBe(value);
      expect(maskPersonal(value, kind, "admin")).toBe(value);
    });
  }
  it("keeps missing values missing", () => {
    expect(maskPersonal(null, "ip", "viewer")).toBeNull();
  });
});
