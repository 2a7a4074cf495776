/** The access-token claims a denial analysis needs; everything else in the payload is dropped. */
export interface TokenClaims {
  iss?: string;
  sub?: string;
  azp?: string;
  aud?: string | string[];
  /** Epoch seconds. */
  exp?: number;
  nbf?: number;
  iat?: number;
  /** Space-separated, as Keycloak writes it. */
  scope?: string;
  realm_access?: { roles: string[] };
  resource_access?: Record<string, { roles: string[] }>;
}

export class JwtDecodeError extends Error {
  override name = "JwtDecodeError";
}

/** Keycloak access tokens are a few KB; anything far larger is not one. */
export const MAX_JWT_LENGTH = 32 * 1024;
const MAX_STRING = 2048;
const MAX_ROLES = 1000;
const MAX_CLIENTS = 500;
const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;

/**
 * Decodes the payload of a JWS compact token (optionally prefixed with `Bearer `). It does NOT verify
 * the signature: the result says what the token claims, which is what a denial analysis needs. The
 * signature segment is never decoded or kept. Throws JwtDecodeError with a message fit for a user.
 */
export function decodeJwtClaims(token: string): TokenClaims {
  if (typeof token !== "string") throw new JwtDecodeError("The token must be a string.");
  const compact = token.trim().replace(/^bearer\s+/i, "");
  if (compact.length === 0) throw new JwtDecodeError("The token is empty.");
  if (compact.length > MAX_JWT_LENGTH) {
    throw new JwtDecodeError(
      `The token is ${compact.length} characters long; the limit is ${MAX_JWT_LENGTH}.`,
    );
  }
  const segments = compact.split(".");
  if (segments.length === 5) {
    throw new JwtDecodeError("This is an encrypted token (JWE); only signed tokens (JWS) can be read.");
  }
  if (segments.length !== 3) {
    throw new JwtDecodeError(
      `A JWT has 3 dot-separated parts (header.payload.signature); this has ${segments.length}.`,
    );
  }
  const payload = segments[1] ?? "";
  if (!BASE64URL.test(payload)) throw new JwtDecodeError("The payload is not base64url.");
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    throw new JwtDecodeError("The payload is not JSON.");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new JwtDecodeError("The payload is not a JSON object.");
  }
  return pickClaims(value as Record<string, unknown>);
}

/** Keeps only the known claims, with their expected types and bounded sizes. */
export function pickClaims(raw: Record<string, unknown>): TokenClaims {
  const claims: TokenClaims = {};
  const iss = str(raw.iss);
  if (iss !== undefined) claims.iss = iss;
  const sub = str(raw.sub);
  if (sub !== undefined) claims.sub = sub;
  const azp = str(raw.azp);
  if (azp !== undefined) claims.azp = azp;
  const scope = str(raw.scope);
  if (scope !== undefined) claims.scope = scope;
  if (typeof raw.aud === "string") claims.aud = raw.aud.slice(0, MAX_STRING);
  else if (Array.isArray(raw.aud)) claims.aud = strings(raw.aud);
  for (const key of ["exp", "nbf", "iat"] as const) {
    const n = raw[key];
    if (typeof n === "number" && Number.isFinite(n)) claims[key] = n;
  }
  const realmRoles = rolesOf(raw.realm_access);
  if (realmRoles !== undefined) claims.realm_access = { roles: realmRoles };
  if (typeof raw.resource_access === "object" && raw.resource_access !== null) {
    const access: Record<string, { roles: string[] }> = Object.create(null);
    let count = 0;
    for (const [clientId, entry] of Object.entries(raw.resource_access as Record<string, unknown>)) {
      if (count++ >= MAX_CLIENTS) break;
      const roles = rolesOf(entry);
      if (roles !== undefined) access[clientId.slice(0, MAX_STRING)] = { roles };
    }
    claims.resource_access = access;
  }
  return claims;
}

function str(value: unknown): string | undefined {
  return typeof value === "string" ? value.slice(0, MAX_STRING) : undefined;
}

function strings(values: unknown[]): string[] {
  const out: string[] = [];
  for (const value of values) {
    if (out.length >= MAX_ROLES) break;
    if (typeof value === "string") out.push(value.slice(0, MAX_STRING));
  }
  return out;
}

function rolesOf(entry: unknown): string[] | undefined {
  if (typeof entry !== "object" || entry === null) return undefined;
  const roles = (entry as { roles?: unknown }).roles;
  return Array.isArray(roles) ? strings(roles) : undefined;
}
