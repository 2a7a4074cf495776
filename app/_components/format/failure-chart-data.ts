import { causeTitle } from "@/lib/classify/cause-title";
import type { FailureSeries } from "@/lib/queries/overview/failure-series";
import type { Bucket } from "@/lib/time/choose-bucket";
import type { TimeRange } from "@/lib/time/time-buckets";
import { causeColor } from "./cause-colors";

/** What the failure chart draws, prepared on the server: labels in the viewer's zone, no personal data. */
export interface FailureChartData {
  buckets: { label: string; total: number; previous?: number; values: Record<string, number> }[];
  causes: { id: string; title: string; color: string }[];
  /** Spikes as ranges of bucket indexes. */
  spikes: { first: number; last: number; label: string }[];
  hasPrevious: boolean;
}

export function toFailureChartData(
  series: FailureSeries,
  spikes: readonly (TimeRange & { cause: string })[],
  timeZone: string,
): FailureChartData {
  const label = bucketLabeller(series.bucket, timeZone, series.buckets);
  const previous = series.previous?.totals;
  const indexOf = (at: number) => series.buckets.findIndex((b) => at >= b.start && at < b.end);
  return {
    buckets: series.buckets.map((b, i) => ({
      label: label(b.start),
      total: b.total,
      previous: previous?.[i],
      values: b.values,
    })),
    causes: series.causes.map((id) => ({ id, title: causeTitle(id), color: causeColor(id) })),
    spikes: spikes.flatMap((s) => {
      const chartFrom = series.buckets[0]?.start;
      const chartTo = series.buckets[series.buckets.length - 1]?.end;
      if (chartFrom === undefined || chartTo === undefined || s.to <= chartFrom || s.from >= chartTo)
        return [];
      const first = indexOf(Math.max(s.from, chartFrom));
      const last = indexOf(Math.min(s.to, chartTo) - 1);
      return first < 0 || last < 0 ? [] : [{ first, last, label: causeTitle(s.cause) }];
    }),
    hasPrevious: previous !== undefined,
  };
}

function bucketLabeller(bucket: Bucket, timeZone: string, buckets: readonly { start: number }[]) {
  const first = buckets[0]?.start ?? 0;
  const last = buckets[buckets.length - 1]?.start ?? 0;
  const sameDay = last - first < 86_400_000;
  const options: Intl.DateTimeFormatOptions =
    bucket === "day"
      ? { month: "short", day: "2-digit" }
      : bucket === "hour" && !sameDay
        ? { month: "short", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }
        : { hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
  const format = new Intl.DateTimeFormat("en-GB", { timeZone, ...options });
  return (at: number) => format.format(at);
}
