import type { AccessLogRecord } from "@/lib/logs/access-log-record";

/**
 * The browser origin a request came from. Most access-log formats (Apache/nginx combined, Keycloak's
 * `combined` pattern) do not log the Origin header but do log the Referer, which browsers send on
 * cross-origin fetches with at least the page's origin (the default strict-origin-when-cross-origin
 * policy). Its scheme, host and port are the Origin the server saw; other clients send no Referer.
 */
export function requestOrigin(record: Pick<AccessLogRecord, "origin" | "referer">): string | null {
  if (record.origin) return record.origin;
  if (!record.referer || !/^https?:\/\//i.test(record.referer)) return null;
  try {
    const origin = new URL(record.referer).origin;
    return origin === "null" ? null : origin;
  } catch {
    return null;
  }
}
