import type postgres from "postgres";
import { type Bucket, chooseBucket } from "@/lib/time/choose-bucket";
import { type TimeBucket, timeBuckets } from "@/lib/time/time-buckets";
import { rollupConditions } from "./count-user-events";
import type { UserEventScope } from "./list-user-events";
import type { UserEventFilter } from "./user-event-filter";

export interface EventHistogram {
  bucket: Bucket;
  /** Every bucket of the range, quiet ones with 0, on the viewer's wall clock. */
  buckets: (TimeBucket & { count: number })[];
}

/**
 * The events a filter matches per bucket of its range, in the viewer's zone: what the explorer draws above its
 * table. Counted row by row when the total was (`from` "rows"); from the rollups when the total was too large to
 * count and the filter holds only rollup dimensions (`from` "rollups": minute rollups for minute buckets, hour
 * rollups otherwise, so in a zone with a half-hour offset an hour's events land in the bucket its UTC hour starts in).
 */
export async function userEventHistogram(
  sql: postgres.Sql,
  scope: UserEventScope,
  f: UserEventFilter,
  from: "rows" | "rollups",
): Promise<EventHistogram> {
  const bucket = chooseBucket(f.range);
  const buckets = timeBuckets(f.range, bucket, f.timeZone);
  return { bucket, buckets: await countInto(sql, scope, f, buckets, from, bucket === "minute") };
}

async function countInto(
  sql: postgres.Sql,
  scope: UserEventScope,
  f: UserEventFilter,
  buckets: TimeBucket[],
  from: "rows" | "rollups",
  minutes: boolean,
): Promise<EventHistogram["buckets"]> {
  const counts = new Array<number>(buckets.length).fill(0);
  const last = buckets[buckets.length - 1];
  if (scope.partitions.length > 0 && last) {
    const bounds = [...buckets.map((b) => b.start), last.end];
    let rows: { i: number; n: number }[];
    if (from === "rows") {
      const branches = scope.partitions.map(
        (p) => sql`(select time from user_events
          where source_id = ${p.sourceId}::uuid and realm = ${p.realm} and ${scope.conditions})`,
      );
      rows = await sql<{ i: number; n: number }[]>`
        select width_bucket(extract(epoch from time)::float8 * 1000, ${bounds}::float8[]) as i, count(*)::int as n
        from (${branches.reduce((acc, b) => sql`${acc} union all ${b}`)}) e
        group by 1`;
    } else {
      const { measure, where } = rollupConditions(sql, scope, f);
      const table = minutes ? sql`rollup_minute` : sql`rollup_hour`;
      rows = await sql<{ i: number; n: number }[]>`
        select width_bucket(extract(epoch from bucket)::float8 * 1000, ${bounds}::float8[]) as i,
               sum(${measure})::int as n
        from ${table}
        where ${where} and bucket >= ${new Date(f.range.from)} and bucket < ${new Date(f.range.to)}
        group by 1`;
    }
    for (const r of rows) if (r.i >= 1 && r.i <= buckets.length) counts[r.i - 1] = r.n;
  }
  return buckets.map((b, i) => ({ ...b, count: counts[i] ?? 0 }));
}
