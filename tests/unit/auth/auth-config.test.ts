import { describe, expect, it } from "vitest";
import { assertAuthConfigured } from "@/lib/auth/assert-auth-configured";
import { readAuthConfig } from "@/lib/auth/config";
import { maskPersonal } from "@/lib/auth/personal-data";
import { rolesFromClaims } from "@/lib/auth/roles-from-claims";
import { openSession, sealSession } from "@/lib/auth/session";
import { safeReturnTo } from "@/lib/auth/sign-in-state";

process.env.REALMWATCH_SECRET_KEY ??= "unit-test-key-unit-test-key-unit-test-key";

const OIDC = {
  REALMWATCH_OIDC_ISSUER: "http://127.0.0.1:8180/realms/master",
  REALMWATCH_OIDC_CLIENT_ID: "realmwatch-web",
  REALMWATCH_OIDC_CLIENT_SECRET: "realmwatch-web-secret",
};

describe("starting without sign-in", () => {
  const cases: Array<[string, Record<string, unknown>, "oidc" | "anonymous" | "refuses"]> = [
    ["bound to 127.0.0.1", { HOST: "127.0.0.1" }, "anonymous"],
    ["bound to ::1", { HOST: "::1" }, "anonymous"],
    ["bound to localhost", { HOST: "localhost" }, "anonymous"],
    ["bound to 0.0.0.0", { HOST: "0.0.0.0" }, "refuses"],
    ["bound to a LAN address", { HOST: "10.1.2.3" }, "refuses"],
    [
      "bound to 0.0.0.0, anonymous allowed",
      { HOST: "0.0.0.0", REALMWATCH_ALLOW_ANONYMOUS: "1" },
      "anonymous",
    ],
    ["bound to 0.0.0.0 with OIDC", { HOST: "0.0.0.0", ...OIDC }, "oidc"],
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

describe("roles from Keycloak claims", () => {
  it("takes the highest realmwatch role from realm and client roles, ignoring malformed claims", () => {
    expect(rolesFromClaims({ realm_access: { roles: ["offline_access", "viewer", "analyst"] } }, "rw")).toBe(
      "analyst",
    );
    expect(rolesFromClaims({ resource_access: { rw: { roles: ["admin"] } } }, "rw")).toBe("admin");
    expect(rolesFromClaims({ resource_access: { other: { roles: ["admin"] } } }, "rw")).toBeNull();
    expect(rolesFromClaims({ realm_access: { roles: "admin" }, resource_access: [] }, "rw")).toBeNull();
  });
});

describe("session cookie", () => {
  it("round-trips the role and refuses it after expiry", () => {
    const value = sealSession({ role: "viewer", name: "viewer", exp: 2000 });
    expect(value).not.toContain("viewer");
    expect(openSession(value, 1999)).toEqual({ role: "viewer", name: "viewer", exp: 2000 });
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
