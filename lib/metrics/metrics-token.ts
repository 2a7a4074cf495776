import { timingSafeEqual } from "node:crypto";

/**
 * /metrics is open when REALMWATCH_METRICS_TOKEN is unset (bind it to an internal network) and otherwise needs
 * `Authorization: Bearer <token>`, which is what Prometheus's `authorization` scrape setting sends.
 */
export function metricsAccessAllowed(authorization: string | null, token: string | undefined): boolean {
  if (!token) return true;
  const given = authorization?.match(/^Bearer\s+(.+)$/i)?.[1]?.trim();
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}
