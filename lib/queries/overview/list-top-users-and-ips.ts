import { type AnalyticsFilter, type Db, newestFailures, UNCLASSIFIED } from "@/lib/queries/filters";
import type { TimeRange } from "@/lib/time/time-buckets";

export interface TopUser {
  userId: string;
  username: string | null;
  failures: number;
  clients: number;
  topCause: string;
  lastSeen: number;
}

export interface TopIp {
  /** As Keycloak recorded it: behind a proxy without proxy headers this is the proxy's address. */
  ipAddress: string;
  failures: number;
  users: number;
  topCause: string;
  lastSeen: number;
}

export interface TopList<T> {
  rows: T[];
  /** Failures read; when it equals the scan limit the ranking covers only the newest failures of the range. */
  scanned: number;
  complete: boolean;
}

export interface TopUsersAndIpsParams extends AnalyticsFilter {
  range: TimeRange;
  /** Rows per list, 1 to 100 (default 10). */
  limit?: number;
  /** Failures read at most, newest first (default RAW_SCAN_LIMIT). */
  scanLimit?: number;
  /** false: the users only (a client's page lists no addresses); the addresses' list comes back empty. */
  ips?: boolean;
}

/**
 * Failures read for a raw top list, newest first. Without an index on is_failure each failure costs reading
 * about 12 events at an 8% failure rate: in the query benchmark 20,000 failures took about 60 ms, all 48,000 of
 * a realm's month about 200 ms.
 */
export const RAW_SCAN_LIMIT = 20_000;

/**
 * The users and the IP addresses with the most failures in a range, from ONE bounded scan of the newest
 * failures. Neither dimension is in the rollups (a per-user rollup would be as big as the events), and
 * user_events has no index on time alone, so the scan is the overview's largest cost: doing it once for both
 * lists instead of once each was measured at 1,000,000 events (scripts/bench/pages.ts).
 */
export async function listTopUsersAndIps(
  db: Db,
  params: TopUsersAndIpsParams,
): Promise<{ users: TopList<TopUser>; ips: TopList<TopIp> }> {
  const limit = Math.min(Math.max(1, params.limit ?? 10), 100);
  const scanLimit = Math.max(1, params.scanLimit ?? RAW_SCAN_LIMIT);
  const failures = newestFailures(db, params, params.range);
  const rows = await db<
    {
      kind: "user" | "ip" | "scanned";
      key: string | null;
      username: string | null;
      failures: number;
      distinct_count: number;
      top_cause: string | null;
      last_seen: Date | null;
    }[]
  >`
    with recent as (
      select user_id, username, client_id, cause, ip_address, time
      from user_events
      where ${failures.where}
      order by ${failures.order}
      limit ${scanLimit}
    ),
    users as (
      select user_id as key, max(username) as username, count(*)::int as failures,
             count(distinct client_id)::int as distinct_count, mode() within group (order by cause) as top_cause,
             max(time) as last_seen
      from recent where user_id is not null
      group by user_id order by failures desc, user_id limit ${limit}
    ),
    ips as (
      select ip_address as key, null::text as username, count(*)::int as failures,
             count(distinct user_id)::int as distinct_count, mode() within group (order by cause) as top_cause,
             max(time) as last_seen
      from recent where ${params.ips === false ? db`false` : db`true`} and ip_address is not null
      group by ip_address order by failures desc, ip_address limit ${limit}
    )
    select 'user' as kind, * from users
    union all select 'ip', * from ips
    union all select 'scanned', null, null, count(*)::int, 0, null, null from recent`;
  const scanned = rows.find((r) => r.kind === "scanned")?.failures ?? 0;
  const complete = scanned < scanLimit;
  const ranked = (kind: "user" | "ip") =>
    rows
      .filter((r) => r.kind === kind && r.key !== null)
      .sort((a, b) => b.failures - a.failures || (a.key! < b.key! ? -1 : 1));
  return {
    users: {
      scanned,
      complete,
      rows: ranked("user").map((r) => ({
        userId: r.key!,
        username: r.username,
        failures: r.failures,
        clients: r.distinct_count,
        topCause: r.top_cause ?? UNCLASSIFIED,
        lastSeen: r.last_seen?.getTime() ?? 0,
      })),
    },
    ips: {
      scanned,
      complete,
      rows: ranked("ip").map((r) => ({
        ipAddress: r.key!,
        failures: r.failures,
        users: r.distinct_count,
        topCause: r.top_cause ?? UNCLASSIFIED,
        lastSeen: r.last_seen?.getTime() ?? 0,
      })),
    },
  };
}
