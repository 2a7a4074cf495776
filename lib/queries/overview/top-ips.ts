import { type AnalyticsFilter, type Db, newestFailures, UNCLASSIFIED } from "@/lib/queries/filters";
import { RAW_SCAN_LIMIT, type TopList } from "@/lib/queries/overview/top-users";
import type { TimeRange } from "@/lib/time/time-buckets";

export interface TopIpsParams extends AnalyticsFilter {
  range: TimeRange;
  limit?: number;
  scanLimit?: number;
}

export interface TopIp {
  /** As Keycloak recorded it: behind a proxy without proxy headers this is the proxy's address. */
  ipAddress: string;
  failures: number;
  users: number;
  topCause: string;
  lastSeen: number;
}

/** The IP addresses with the most failures in a range, from user_events (newest first, up to a scan limit). */
export async function listTopIps(db: Db, params: TopIpsParams): Promise<TopList<TopIp>> {
  const limit = Math.min(Math.max(1, params.limit ?? 10), 100);
  const scanLimit = Math.max(1, params.scanLimit ?? RAW_SCAN_LIMIT);
  const failures = newestFailures(db, params, params.range);
  const rows = await db<
    {
      ip_address: string | null;
      failures: number;
      users: number;
      top_cause: string | null;
      last_seen: Date;
      scanned: number;
    }[]
  >`
    with recent as (
      select ip_address, user_id, cause, time
      from user_events
      where ${failures.where}
      order by ${failures.order}
      limit ${scanLimit}
    )
    select ip_address, count(*)::int as failures, count(distinct user_id)::int as users,
           mode() within group (order by cause) as top_cause, max(time) as last_seen,
           (select count(*) from recent)::int as scanned
    from recent
    group by ip_address
    order by (ip_address is null), failures desc, ip_address
    limit ${limit + 1}`;
  const scanned = rows[0]?.scanned ?? 0;
  return {
    rows: rows
      .filter((r): r is typeof r & { ip_address: string } => r.ip_address !== null)
      .slice(0, limit)
      .map((r) => ({
        ipAddress: r.ip_address,
        failures: r.failures,
        users: r.users,
        topCause: r.top_cause ?? UNCLASSIFIED,
        lastSeen: r.last_seen.getTime(),
      })),
    scanned,
    complete: scanned < scanLimit,
  };
}
