/** Longest input the analyser reads; Keycloak tokens with many roles reach ~10 KB. */
export const MAX_TOKEN_LENGTH = 64 * 1024;

export type JwtForm = "jws" | "payload-base64url" | "payload-json";

export type DecodedJwt =
  | { ok: true; form: JwtForm; header: Record<string, unknown> | null; payload: Record<string, unknown> }
  | { ok: false; reason: string };

const BASE64URL = /^[A-Za-z0-9_-]*={0,2}$/;

function decodeBase64Url(segment: string): string | null {
  if (!BASE64URL.test(segment)) return null;
  const base64 = segment.replace(/=+$/, "").replaceAll("-", "+").replaceAll("_", "/");
  if (base64.length % 4 === 1) return null;
  try {
    const binary = atob(base64.padEnd(base64.length + ((4 - (base64.length % 4)) % 4), "="));
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

function parseObject(text: string | null): Record<string, unknown> | null {
  if (text === null) return null;
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === "object" && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/**
 * Decodes a pasted JWT (header and payload only; the signature is not checked), a bare base64url payload,
 * or a payload as JSON. Accepts a leading "Bearer " and surrounding whitespace. Works in the browser too
 * (atob, TextDecoder): the token page can analyse without sending the token anywhere.
 */
export function decodeJwt(input: string): DecodedJwt {
  if (input.length > MAX_TOKEN_LENGTH)
    return { ok: false, reason: `longer than ${MAX_TOKEN_LENGTH} characters` };
  const text = input.trim().replace(/^bearer\s+/i, "");
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
    const payload = parseObject(decodeBase64Url(text));
    return payload
      ? { ok: true, form: "payload-base64url", header: null, payload }
      : { ok: false, reason: "neither a JWT nor a base64url-encoded JSON payload" };
  }
  if (parts.length !== 3)
    return { ok: false, reason: `a JWT has three dot-separated parts, this has ${parts.length}` };
  const header = parseObject(decodeBase64Url(parts[0] ?? ""));
  if (!header) return { ok: false, reason: "the header is not base64url-encoded JSON" };
  const payload = parseObject(decodeBase64Url(parts[1] ?? ""));
  if (!payload) return { ok: false, reason: "the payload is not base64url-encoded JSON" };
  return { ok: true, form: "jws", header, payload };
}
