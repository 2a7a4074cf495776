import { base64url, decodeJwt as joseDecodeJwt } from "jose";

/**
 * Reading JWTs without verifying them, over `jose` (which runs in the browser too: the token page analyses a
 * pasted token without sending it anywhere). realmwatch reads what a token claims to explain a denial; it never
 * trusts a token for access, so no signature is checked here. Three readers for three inputs:
 * - decodeJwtPayload: a token Keycloak just issued to realmwatch (sign-in), null when unreadable;
 * - decodeJwtClaims: a token a resource server reported or an access log recorded, reduced to the claims a
 *   denial analysis needs, with an error fit for a user;
 * - decodeJwt: whatever someone pasted into the token analyser (a JWT, a bare payload, or JSON).
 */

const BASE64URL = /^[A-Za-z0-9_-]*={0,2}$/;
const utf8 = new TextDecoder("utf-8", { fatal: true });

type Segment = { ok: true; value: unknown } | { ok: false; reason: "base64url" | "json" };

/** A base64url segment as JSON: its bytes must be base64url, valid UTF-8 and JSON. */
function readSegment(segment: string): Segment {
  if (!BASE64URL.test(segment)) return { ok: false, reason: "base64url" };
  let text: string;
  try {
    text = utf8.decode(base64url.decode(segment.replace(/=+$/, "")));
  } catch {
    return { ok: false, reason: "base64url" };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, reason: "json" };
  }
}

function asObject(value: unknown): Record<string, unknown> | null {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

function readObject(segment: string): Record<string, unknown> | null {
  const read = readSegment(segment);
  return read.ok ? asObject(read.value) : null;
}

/** "Bearer " and surrounding whitespace removed, as tokens arrive in headers and pastes. */
const withoutBearer = (token: string) => token.trim().replace(/^bearer\s+/i, "");

// ---------------------------------------------------------------------------------------------------------------
// A token Keycloak issued to realmwatch

/** A JWT's payload as an object, without verifying it; null when it is not a JWT with a JSON object payload. */
export function decodeJwtPayload(token: string | undefined): Record<string, unknown> | null {
  if (!token) return null;
  try {
    return joseDecodeJwt(token) as Record<string, unknown>;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// A reported or logged access token

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

/**
 * Decodes the payload of a JWS compact token (optionally prefixed with `Bearer `). It does NOT verify
 * the signature: the result says what the token claims, which is what a denial analysis needs. The
 * signature segment is never decoded or kept. Throws JwtDecodeError with a message fit for a user.
 */
export function decodeJwtClaims(token: string): TokenClaims {
  if (typeof token !== "string") throw new JwtDecodeError("The token must be a string.");
  const compact = withoutBearer(token);
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
  if (payload === "") throw new JwtDecodeError("The payload is not base64url.");
  const read = readSegment(payload);
  if (!read.ok) {
    throw new JwtDecodeError(
      read.reason === "json" ? "The payload is not JSON." : "The payload is not base64url.",
    );
  }
  const value = asObject(read.value);
  if (!value) throw new JwtDecodeError("The payload is not a JSON object.");
  return pickClaims(value);
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

// ---------------------------------------------------------------------------------------------------------------
// A pasted token

/** Longest input the analyser reads; Keycloak tokens with many roles reach ~10 KB. */
export const MAX_TOKEN_LENGTH = 64 * 1024;

export type JwtForm = "jws" | "payload-base64url" | "payload-json";

export type DecodedJwt =
  | { ok: true; form: JwtForm; header: Record<string, unknown> | null; payload: Record<string, unknown> }
  | { ok: false; reason: string };

function parseObject(text: string): Record<string, unknown> | null {
  try {
    return asObject(JSON.parse(text));
  } catch {
    return null;
  }
}

/**
 * Decodes a pasted JWT (header and payload only; the signature is not checked), a bare base64url payload,
 * or a payload as JSON. Accepts a leading "Bearer " and surrounding whitespace.
 */
export function decodeJwt(input: string): DecodedJwt {
  if (input.length > MAX_TOKEN_LENGTH)
    return { ok: false, reason: `longer than ${MAX_TOKEN_LENGTH} characters` };
  const text = withoutBearer(input);
  if (text === "") return { ok: false, reason: "empty input" };
  if (text.startsWith("{")) {
    const payload = parseObject(text);
    return payload
      ? { ok: true, form: "payload-json", header: null, payload }
      : { ok: false, reason: "not a JSON object" };
  }
  const parts = text.split(".");
  if (parts.length === 5) {
    return {
      ok: false,
      reason: "an encrypted token (JWE, five parts): its claims cannot be read without the key",
    };
  }
  if (parts.length === 1) {
    const payload = readObject(text);
    return payload
      ? { ok: true, form: "payload-base64url", header: null, payload }
      : { ok: false, reason: "neither a JWT nor a base64url-encoded JSON payload" };
  }
  if (parts.length !== 3)
    return { ok: false, reason: `a JWT has three dot-separated parts, this has ${parts.length}` };
  const header = readObject(parts[0] ?? "");
  if (!header) return { ok: false, reason: "the header is not base64url-encoded JSON" };
  const payload = readObject(parts[1] ?? "");
  if (!payload) return { ok: false, reason: "the payload is not base64url-encoded JSON" };
  return { ok: true, form: "jws", header, payload };
}
