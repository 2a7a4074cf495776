import type postgres from "postgres";
import { attributeExcess } from "@/lib/analytics/attribution";
import {
  detectSpikes,
  markGaps,
  type SeriesPoint,
  SPIKE_THRESHOLDS,
  type Spike,
} from "@/lib/analytics/spikes";
import { UNCLASSIFIED } from "@/lib/queries/filters";
import type { TimeRange } from "@/lib/time/time-buckets";

/** A spike of the denials shown, with the causes that account for its increase, largest first. */
export interface FailureSpike extends Spike {
  /** The cause with the largest share of the increase (what the chart labels the spike with). */
  cause: string;
  causes: { cause: string; share: number }[];
}

const HOUR = 3_600_000;
const WEEK = 7 * 24 * HOUR;

/**
 * The spikes of the denials a chart shows (a realm, a client, or everything), judged hour by hour against the
 * same hour of the week over the weeks before (lib/analytics/spikes.ts), then explained by cause with the
 * attribution of lib/analytics/attribution.ts against the week before each spike.
 *
 * The total is judged, not each cause: a stacked chart shows the total, and one series keeps this within the
 * overview's time budget at a million events (the per-hour seasonal baseline costs a time-zone conversion per
 * hour and series). A cause spiking inside a much larger, steady total is still found by pattern detection,
 * which judges every cause in every realm in the background.
 */
export async function detectFailureSpikes(
  sql: postgres.Sql,
  scope: { sourceId?: string; realm?: string; clientId?: string },
  range: TimeRange,
  timeZone: string,
): Promise<FailureSpike[]> {
  const from = Math.floor((range.from - SPIKE_THRESHOLDS.weeks * WEEK - 24 * HOUR) / HOUR) * HOUR;
  const where = sql`
    ${scope.sourceId ? sql`and source_id = ${scope.sourceId}::uuid` : sql``}
    ${scope.realm ? sql`and realm = ${scope.realm}` : sql``}`;
  const [rows, gaps, begins] = await Promise.all([
    sql<{ at: number; cause: string; failures: number }[]>`
      select extract(epoch from bucket)::float8 * 1000 as at, cause, sum(failures)::int as failures
      from rollup_hour
      where bucket >= ${new Date(from)} and bucket < ${new Date(range.to)} and failures > 0 ${where}
        ${scope.clientId ? sql`and client_id = ${scope.clientId}` : sql``}
      group by bucket, cause`,
    sql<{ from_time: Date; to_time: Date }[]>`
      select from_time, to_time from event_gaps
      where kind = 'user' and to_time > ${new Date(from)} and from_time < ${new Date(range.to)} ${where}`,
    sql<{ first: Date | null }[]>`select min(bucket) as first from rollup_hour where true ${where}`,
  ]);
  const firstKnown = begins[0]?.first?.getTime();
  if (firstKnown === undefined || rows.length === 0) return [];

  const totals = new Map<number, number>();
  const byCause = new Map<number, Map<string, number>>();
  for (const r of rows) {
    totals.set(r.at, (totals.get(r.at) ?? 0) + r.failures);
    const causes = byCause.get(r.at) ?? new Map<string, number>();
    const cause = r.cause === "" ? UNCLASSIFIED : r.cause;
    causes.set(cause, (causes.get(cause) ?? 0) + r.failures);
    byCause.set(r.at, causes);
  }
  // Rollups are per UTC hour, so hours are exactly HOUR apart; hours before the first event are unknown.
  const points: SeriesPoint[] = [];
  for (let start = Math.max(from, Math.floor(firstKnown / HOUR) * HOUR); start < range.to; start += HOUR) {
    const coverage = range.to < start + HOUR ? (range.to - start) / HOUR : 1;
    points.push({ start, value: totals.get(start) ?? 0, ...(coverage < 1 ? { coverage } : {}) });
  }
  const lost = gaps.map((g) => ({ from: g.from_time.getTime(), to: g.to_time.getTime() }));
  const spikes = detectSpikes(markGaps(points, lost), { timeZone }).filter(
    (s) => s.to > range.from && s.from < range.to,
  );

  const causeCounts = (window: TimeRange) => {
    const counts = new Map<string, number>();
    for (let at = window.from; at < window.to; at += HOUR) {
      for (const [cause, n] of byCause.get(at) ?? []) counts.set(cause, (counts.get(cause) ?? 0) + n);
    }
    return [...counts].map(([value, count]) => ({ dimension: "cause" as const, value, count }));
  };
  return spikes
    .map((spike) => {
      const before = { from: spike.from - WEEK, to: spike.from };
      const { cause } = attributeExcess({
        spike: causeCounts(spike),
        baseline: causeCounts(before),
        scale: (spike.to - spike.from) / WEEK,
        limit: 3,
      });
      const causes = cause.contributors.map((c) => ({ cause: c.value, share: c.share }));
      return { ...spike, cause: causes[0]?.cause ?? UNCLASSIFIED, causes };
    })
    .sort((a, b) => b.score - a.score);
}
