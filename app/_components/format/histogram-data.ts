import type { EventHistogram } from "@/lib/queries/events/user-event-histogram";
import { formatTime } from "@/lib/time/format";
import { wallText } from "./failure-chart-data";
import { hrefWith } from "./href-with";

/** The explorer's histogram as drawn: a label per bucket and the explorer's address of any run of buckets. */
export interface HistogramData {
  bucket: EventHistogram["bucket"];
  timeZone: string;
  buckets: { label: string; title: string; count: number; from: string; to: string }[];
  /** The explorer's address without a range: the histogram adds the `from` and `to` of the buckets dragged over. */
  base: string;
}

const MINUTE = 60_000;

export function toHistogramData(
  h: EventHistogram & { timeZone: string },
  params: URLSearchParams,
): HistogramData {
  const days = (h.buckets[h.buckets.length - 1]?.start ?? 0) - (h.buckets[0]?.start ?? 0) >= 86_400_000;
  return {
    bucket: h.bucket,
    timeZone: h.timeZone,
    buckets: h.buckets.map((b) => {
      const full = formatTime(b.start, h.timeZone);
      return {
        label: h.bucket === "day" ? full.slice(5, 10) : days ? full.slice(5, 16) : full.slice(11, 16),
        title: full.slice(0, 16),
        count: b.count,
        from: wallText(b.start, h.timeZone),
        to: wallText(Math.max(b.start, b.end - MINUTE), h.timeZone),
      };
    }),
    base: hrefWith("/events", params, { range: null, from: null, to: null, after: null, before: null }),
  };
}
