import { describe, expect, it } from "vitest";
import {
  decodeJwt,
  decodeJwtClaims,
  decodeJwtPayload,
  JwtDecodeError,
  MAX_JWT_LENGTH,
  type TokenClaims,
} from "@/lib/keycloak/jwt";

const NOW_S = Date.UTC(2025, 5, 3, 9, 0, 0) / 1000;

/** A token that satisfies a report's default requirements. */
const GOOD: TokenClaims = {
  iss: "https://auth.example.com/realms/acme",
  sub: "5f0c6a7e",
  azp: "shop-frontend",
  aud: ["orders-api", "account"],
  exp: NOW_S + 240,
  iat: NOW_S - 60,
  scope: "openid profile orders.read",
  realm_access: { roles: ["default-roles-acme", "customer"] },
  resource_access: { "orders-api": { roles: ["order-reader"] } },
};

function jwt(payload: unknown, signature = "c2ln"): string {
  return `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify(payload)).toString("base64url")}.${signature}`;
}

describe("decodeJwtClaims", () => {
  it("keeps only the claims a diagnosis needs", () => {
    const claims = decodeJwtClaims(
      `Bearer ${jwt({ ...GOOD, email: "alice@example.com", name: "Alice", session_state: "s", typ: "Bearer" })}`,
    );
    expect(claims).toEqual(GOOD);
  });

  it.each([
    ["an empty string", "", "empty"],
    ["two segments", "a.b", "3 dot-separated parts"],
    ["an encrypted token", "a.b.c.d.e", "JWE"],
    ["a payload that is not base64url", "a.b*c.d", "base64url"],
    ["a payload that is not JSON", `a.${Buffer.from("nope").toString("base64url")}.c`, "not JSON"],
    ["a JSON array payload", `a.${Buffer.from("[1]").toString("base64url")}.c`, "not a JSON object"],
    ["an oversized token", `a.${"A".repeat(MAX_JWT_LENGTH)}.c`, "limit"],
  ])("rejects %s with a clear error", (_name, token, message) => {
    expect(() => decodeJwtClaims(token)).toThrow(JwtDecodeError);
    expect(() => decodeJwtClaims(token)).toThrow(message);
  });

  it("drops claims of the wrong type and bounds role lists", () => {
    const claims = decodeJwtClaims(
      jwt({
        exp: "soon",
        aud: 7,
        scope: ["a"],
        realm_access: { roles: ["ok", 3, ...Array(2000).fill("r")] },
      }),
    );
    expect(claims.exp).toBeUndefined();
    expect(claims.aud).toBeUndefined();
    expect(claims.scope).toBeUndefined();
    expect(claims.realm_access?.roles[0]).toBe("ok");
    expect(claims.realm_access?.roles.length).toBe(1000);
  });
});

describe("decodeJwtPayload", () => {
  it("reads the payload of a token realmwatch was issued, and nothing else", () => {
    expect(decodeJwtPayload(jwt({ sub: "s", realm_access: { roles: ["a"] } }))).toEqual({
      sub: "s",
      realm_access: { roles: ["a"] },
    });
    for (const bad of [undefined, "", "a.b", "a.b.c.d.e", `a.${Buffer.from("[1]").toString("base64url")}.c`])
      expect(decodeJwtPayload(bad)).toBeNull();
  });
});

describe("decodeJwt (pasted input)", () => {
  it("reads a padded payload and rejects bytes that are not UTF-8", () => {
    const padded = `${Buffer.from(JSON.stringify({ a: 1 })).toString("base64")}`;
    expect(decodeJwt(padded)).toMatchObject({ ok: true, form: "payload-base64url", payload: { a: 1 } });
    expect(decodeJwt(Buffer.from([0x7b, 0xff, 0x7d]).toString("base64url"))).toMatchObject({ ok: false });
  });
});
