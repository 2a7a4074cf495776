import type postgres from "postgres";
import { coverRange } from "@/lib/analytics/rollup-plan";
import { coverRows } from "@/lib/queries/filters";
import type { TimeRange } from "@/lib/time/time-buckets";

/** Events and failures in a range, from the rollups (exact to the minute). */
export async function countRangeEvents(
  sql: postgres.Sql,
  scope: { sourceId?: string; realm?: string },
  range: TimeRange,
): Promise<{ events: number; failures: number }> {
  const [row] = await sql<{ events: number; failures: number }[]>`
    select coalesce(sum(events), 0)::float8 as events, coalesce(sum(failures), 0)::float8 as failures
    from (${coverRows(sql, coverRange(range), sql`events, failures`, scope)}) as c`;
  return { events: row?.events ?? 0, failures: row?.failures ?? 0 };
}
