import type postgres from "postgres";
import { type AnalyticsFilter, newestFailures, UNCLASSIFIED } from "@/lib/queries/filters";
import type { TopIp } from "@/lib/queries/overview/top-ips";
import { RAW_SCAN_LIMIT, type TopList, type TopUser } from "@/lib/queries/overview/top-users";
import type { TimeRange } from "@/lib/time/time-buckets";

/**
 * The overview's top users and top IP addresses from ONE bounded scan of the newest failures (the same rows and
 * rankings as listTopUsers and listTopIps of lib/analytics/queries, which scan once each). Neither dimension is
 * in the rollups, and user_events has no index on time alone, so the scan is the overview's largest cost:
 * doing it once instead of twice was measured at 1,000,000 events (scripts/bench/pages.ts).
 */
export async function listTopUsersAndIps(
  sql: postgres.Sql,
  params: AnalyticsFilter & { range: TimeRange; limit: number },
): Promise<{ users: TopList<TopUser>; ips: TopList<TopIp> }> {
  const failures = newestFailures(sql, params, params.range);
  const rows = await sql<
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
      limit ${RAW_SCAN_LIMIT}
    ),
    users as (
      select user_id as key, max(username) as username, count(*)::int as failures,
             count(distinct client_id)::int as distinct_count, mode() within group (order by cause) as top_cause,
             max(time) as last_seen
      from recent where user_id is not null
      group by user_id order by failures desc, user_id limit ${params.limit}
    ),
    ips as (
      select ip_address as key, null::text as username, count(*)::int as failures,
             count(distinct user_id)::int as distinct_count, mode() within group (order by cause) as top_cause,
             max(time) as last_seen
      from recent where ip_address is not null
      group by ip_address order by failures desc, ip_address limit ${params.limit}
    )
    select 'user' as kind, * from users
    union all select 'ip', * from ips
    union all select 'scanned', null, null, count(*)::int, 0, null, null from recent`;
  const scanned = rows.find((r) => r.kind === "scanned")?.failures ?? 0;
  const complete = scanned < RAW_SCAN_LIMIT;
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
