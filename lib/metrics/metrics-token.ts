import { timingSafeEqual } from "node:crypto";

/**
 * /metrics needs `Authorization: Bearer <REALMWATCH_METRICS_TOKEN>` (what Prometheus's `authorization` scrape
 * setting sends). Without a token it is open only when sign-in is off (the loopback mode, where every request is
 * already admin); with sign-in on and no token it is closed, since it names realms and clients.
 */
export function metricsAccessAllowed(
  authorization: string | null,
  token: string | undefined,
  signInOn: boolean,
): boolean {
  if (!token) return !signInOn;
  const given = authorization?.match(/^Bearer\s+(.+)$/i)?.[1]?.trim();
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}
