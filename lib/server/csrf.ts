/**
 * Cross-site request forgery check for state-changing API requests. A browser always sends Origin on a
 * cross-origin POST/PUT/PATCH/DELETE and Sec-Fetch-Site on every request, so a request is accepted when either
 * says "same origin"; a request with neither header is not from a browser (curl, scripts), which a forged
 * request cannot be, and is accepted. Resource-server reports (/api/reports) and
 * pushes (/api/push: signed, or carrying a token) authenticate themselves instead and send no cookie.
 */
const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const EXEMPT_PREFIXES = ["/api/reports", "/api/push"];

export type CsrfVerdict = { ok: true } | { ok: false; reason: string };

export interface CsrfInput {
  method: string;
  pathname: string;
  /** The origin realmwatch is served at (scheme://host[:port]). */
  origin: string;
  headers: { get(name: string): string | null };
}

export function checkCsrf({ method, pathname, origin, headers }: CsrfInput): CsrfVerdict {
  if (!STATE_CHANGING.has(method.toUpperCase())) return { ok: true };
  if (!pathname.startsWith("/api/")) return { ok: true };
  if (EXEMPT_PREFIXES.some((p) => pathname === p || pathname.startsWith(`${p}/`))) return { ok: true };
  const requestOrigin = headers.get("origin");
  if (requestOrigin !== null) {
    return requestOrigin === origin
      ? { ok: true }
      : { ok: false, reason: `Origin ${requestOrigin} is not ${origin}` };
  }
  const site = headers.get("sec-fetch-site");
  if (site === null || site === "same-origin" || site === "none") return { ok: true };
  return { ok: false, reason: `Sec-Fetch-Site is ${site}` };
}
