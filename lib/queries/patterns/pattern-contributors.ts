import type { Dimension, DimensionCount } from "@/lib/analytics/attribution";
import type { PatternWindow } from "@/lib/analytics/patterns";
import type { TimeRange } from "@/lib/time/time-buckets";

const BASELINE_WINDOW = 7 * 24 * 3_600_000;

/** The windows a pattern's increase is measured between: its own, and the week before it began. */
export function attributionWindows(p: Pick<PatternWindow, "firstSeen" | "lastSeen">): {
  spike: TimeRange;
  baseline: TimeRange;
} {
  const spike = { from: p.firstSeen, to: Math.max(p.lastSeen, p.firstSeen + 60_000) };
  return { spike, baseline: { from: spike.from - BASELINE_WINDOW, to: spike.from } };
}

/** A pattern's stored rows ([dimension, value, spike, baseline]) as attribution counts of its two windows. */
export function contributorCounts(rows: readonly (readonly [Dimension, string, number, number])[]): {
  spike: DimensionCount[];
  baseline: DimensionCount[];
} {
  return {
    spike: rows.map(([dimension, value, spike]) => ({ dimension, value, count: spike })),
    baseline: rows.flatMap(([dimension, value, , baseline]) =>
      baseline > 0 ? [{ dimension, value, count: baseline }] : [],
    ),
  };
}
