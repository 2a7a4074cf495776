import type { IncomingMessage } from "node:http";
import type { HttpError } from "./keycloak-errors";

export interface Req {
  method: string;
  path: string;
  /** Path and query as received. */
  target: string;
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
  body: Buffer;
  ip: string;
  params: Record<string, string>;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: string;
  /** Who the access log names in `%u` (a client id), when the handler knows. */
  logUser?: string | null;
}

const JSON_OK = "application/json;charset=UTF-8";

/** A 200 JSON answer as Keycloak's admin API sends it. */
export function json(value: unknown, status = 200): Reply {
  return {
    status,
    headers: { "content-type": JSON_OK, "cache-control": "no-cache" },
    body: JSON.stringify(value),
  };
}

/** JSON text already serialised (event pages are built by concatenation). */
export function jsonText(text: string, status = 200): Reply {
  return { status, headers: { "content-type": JSON_OK, "cache-control": "no-cache" }, body: text };
}

export function errorReply(err: HttpError): Reply {
  return {
    status: err.status,
    headers: { "content-type": "application/json", ...err.headers },
    body: JSON.stringify(err.body),
  };
}

export const noContent = (): Reply => ({ status: 204 });

/**
 * OAuth2Error with `json(false)` (org.keycloak.utils.OAuth2Error#build), as UserInfoEndpoint answers errors:
 * an empty text/plain body, the error only in a Bearer challenge (RFC 6750 section 3). Without an error
 * (`OAuth2Error#unauthorized`, a request carrying no token) the challenge names the realm alone.
 */
export function bearerChallenge(
  realm: string,
  status: number,
  error?: { error: string; description: string },
): Reply {
  const attrs = [`realm="${realm}"`];
  if (error) attrs.push(`error="${error.error}"`, `error_description="${error.description}"`);
  return {
    status,
    headers: { "content-type": "text/plain;charset=UTF-8", "www-authenticate": `Bearer ${attrs.join(", ")}` },
    body: "",
  };
}

export function html(body: string, status = 200, headers: Record<string, string> = {}): Reply {
  return { status, headers: { "content-type": "text/html;charset=utf-8", ...headers }, body };
}

export function redirect(location: string): Reply {
  return { status: 302, headers: { location } };
}

export function formParams(req: Req): URLSearchParams {
  return new URLSearchParams(req.body.toString("utf8"));
}

/** RFC 6749 2.3.1: client_id and secret form-encoded, then Basic. */
export function basicCredentials(req: Req): { clientId: string; secret: string } | null {
  const h = req.headers.authorization;
  if (!h || !/^basic /i.test(h)) return null;
  const decoded = Buffer.from(h.slice(6).trim(), "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return null;
  const dec = (s: string) => {
    try {
      return decodeURIComponent(s.replace(/\+/g, " "));
    } catch {
      return s;
    }
  };
  return { clientId: dec(decoded.slice(0, colon)), secret: dec(decoded.slice(colon + 1)) };
}

export function bearerToken(req: Req): string | null {
  const h = req.headers.authorization;
  if (!h || !/^bearer /i.test(h)) return null;
  const t = h.slice(7).trim();
  return t === "" ? null : t;
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
