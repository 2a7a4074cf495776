import { base64url } from "jose";

/** Builds unsigned test tokens in Keycloak's shape. The analyser never checks signatures, so "sig" does. */
export function jwt(
  payload: Record<string, unknown>,
  header: Record<string, unknown> = { alg: "RS256", typ: "JWT", kid: "k1" },
): string {
  const part = (value: unknown) => base64url.encode(JSON.stringify(value));
  return `${part(header)}.${part(payload)}.${base64url.encode("sig")}`;
}

export const NOW = Date.UTC(2026, 10, 3, 14, 0, 0);
export const ISSUER = "https://auth.example.com/realms/acme";

/** A healthy Keycloak access token issued a minute before NOW, valid for five minutes. */
export function accessToken(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const iat = NOW / 1000 - 60;
  return {
    exp: iat + 300,
    iat,
    jti: "0b8f6c1e-6b1f-4a4e-9c55-1d1f0e0b3a11",
    iss: ISSUER,
    aud: ["orders-api", "account"],
    sub: "8d1b2c3d-2222-4000-8000-000000000002",
    typ: "Bearer",
    azp: "spa",
    scope: "openid profile email",
    realm_access: { roles: ["default-roles-acme", "offline_access"] },
    resource_access: { "orders-api": { roles: ["reader"] }, account: { roles: ["view-profile"] } },
    preferred_username: "alice",
    ...overrides,
  };
}
