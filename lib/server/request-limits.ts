import type { RateLimitRule } from "@/lib/server/rate-limit";

/**
 * Limits by path prefix, as data: the largest accepted body and the rate per client. Bulk endpoints (log import,
 * resource-server reports) take larger bodies and get their own buckets; every other JSON API takes small ones.
 */
export interface RequestLimit {
  prefix: string;
  maxBodyBytes: number;
  rate?: RateLimitRule;
  /**
   * "route": the route charges the bucket itself once the caller is authenticated (a signed report is charged to
   * its verified source, a bad signature to the client address), so forged headers neither escape nor exhaust
   * another caller's limit. Otherwise the proxy charges it after sign-in and role checks.
   */
  chargedBy?: "route";
}

/**
 * The largest log upload, counted as it streams. next.config.js sets Next's proxy body buffer
 * (experimental.proxyClientMaxBodySize, default 10 MB, past which Next silently hands the route a shortened
 * body) one byte above it, so that a longer upload reaches the route long enough to be refused with a 413.
 */
export const IMPORT_MAX_BYTES = 50 * 1024 * 1024;
/** The most log text an upload may inflate to (gzip), so that a small upload cannot expand without end. */
export const IMPORT_MAX_TEXT_BYTES = 512 * 1024 * 1024;
/** The JSON API's body limit (everything under /api/ without a limit of its own). */
export const JSON_MAX_BYTES = 256 * 1024;

export const REQUEST_LIMITS: readonly RequestLimit[] = [
  { prefix: "/api/import", maxBodyBytes: IMPORT_MAX_BYTES, rate: { capacity: 20, refillPerSec: 20 / 60 } },
  {
    prefix: "/api/reports",
    maxBodyBytes: 1024 * 1024,
    rate: { capacity: 120, refillPerSec: 20 },
    chargedBy: "route",
  },
  // Event listeners push one event per request, thousands a second at peak; buckets are per push source.
  {
    prefix: "/api/push/events/",
    maxBodyBytes: 1024 * 1024,
    rate: { capacity: 20_000, refillPerSec: 10_000 },
    chargedBy: "route",
  },
  // A log shipper's stream: no body cap (lines are capped one by one), a request every few seconds per shipper.
  {
    prefix: "/api/push/logs/",
    maxBodyBytes: Number.POSITIVE_INFINITY,
    rate: { capacity: 300, refillPerSec: 50 },
    chargedBy: "route",
  },
  // Pasted evidence: up to 1,000,000 characters of text, which JSON may escape to several bytes each; the route
  // refuses longer text itself, with its own limit in the message.
  { prefix: "/api/diagnose/evidence", maxBodyBytes: 16 * 1024 * 1024 },
  { prefix: "/api/", maxBodyBytes: JSON_MAX_BYTES },
];

export function requestLimitFor(pathname: string): RequestLimit | undefined {
  return REQUEST_LIMITS.find(
    (l) => pathname === l.prefix.replace(/\/$/, "") || pathname.startsWith(l.prefix),
  );
}

export type BodySizeVerdict = { ok: true } | { ok: false; limit: number };

/** Rejects by declared Content-Length; a body sent without one is bounded by the route's own reader. */
export function checkBodySize(contentLength: string | null, limit: number): BodySizeVerdict {
  if (contentLength === null) return { ok: true };
  const size = Number(contentLength);
  return Number.isFinite(size) && size <= limit ? { ok: true } : { ok: false, limit };
}
