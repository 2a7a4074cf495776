/** The bucket sizes of every time series, smallest first. */
export const BUCKETS = ["minute", "hour", "day"] as const;
export type Bucket = (typeof BUCKETS)[number];

const HOUR_MS = 3_600_000;

/**
 * The bucket for a span, as analytics dashboards do it (umami's rule): up to one hour by minute (at most 60
 * points), up to two days by hour (at most 48), anything longer by day.
 */
export function chooseBucket(range: { from: number; to: number }): Bucket {
  const span = range.to - range.from;
  if (span <= HOUR_MS) return "minute";
  if (span <= 48 * HOUR_MS) return "hour";
  return "day";
}

export function isBucket(value: unknown): value is Bucket {
  return typeof value === "string" && (BUCKETS as readonly string[]).includes(value);
}
