import { createHash, generateKeyPairSync, type KeyObject, sign, verify } from "node:crypto";
import { base64url, decodeProtectedHeader } from "jose";
import { decodeJwtPayload } from "@/lib/keycloak/jwt";

/**
 * The demo server's tokens: RS256 JWS in compact form, encoded and decoded with `jose` (as realmwatch reads
 * tokens). Signing and verifying use node:crypto directly because jose signs asynchronously and the demo's
 * request handlers that check a bearer token are synchronous.
 */

export type JwtClaims = Record<string, unknown>;

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** The public key as published by `/protocol/openid-connect/certs`. */
  jwk: Record<string, unknown>;
}

/** An RS256 key pair made at start-up, as Keycloak's rsa-generated key provider does for a new realm. */
export function generateSigningKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const exported = publicKey.export({ format: "jwk" }) as { n: string; e: string };
  const kid = createHash("sha256").update(exported.n).digest("base64url").slice(0, 43);
  const der = publicKey.export({ format: "der", type: "spki" });
  return {
    kid,
    privateKey,
    publicKey,
    jwk: {
      kid,
      kty: "RSA",
      alg: "RS256",
      use: "sig",
      n: exported.n,
      e: exported.e,
      x5t: createHash("sha1").update(der).digest("base64url"),
      "x5t#S256": createHash("sha256").update(der).digest("base64url"),
    },
  };
}

export function signJwt(key: SigningKey, claims: JwtClaims, typ = "JWT"): string {
  const header = base64url.encode(JSON.stringify({ alg: "RS256", typ, kid: key.kid }));
  const payload = base64url.encode(JSON.stringify(claims));
  const signature = sign("sha256", Buffer.from(`${header}.${payload}`), key.privateKey);
  return `${header}.${payload}.${base64url.encode(signature)}`;
}

/** The claims of a token this server signed, or null for anything else (bad format, foreign key, tampered). */
export function verifyJwt(key: SigningKey, token: string): JwtClaims | null {
  const parts = token.split(".");
  if (parts.length !== 3) return null;
  const [header, payload, signature] = parts as [string, string, string];
  try {
    const h = decodeProtectedHeader(token);
    if (h.alg !== "RS256" || h.kid !== key.kid) return null;
    const ok = verify(
      "sha256",
      Buffer.from(`${header}.${payload}`),
      key.publicKey,
      Buffer.from(signature, "base64url"),
    );
    return ok ? decodeJwtPayload(token) : null;
  } catch {
    return null;
  }
}
