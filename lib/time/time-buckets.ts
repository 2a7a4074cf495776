import { AppError } from "@/lib/server/errors";
import type { Bucket } from "@/lib/time/choose-bucket";
import { instantOfWallClock, instantsOfWallClock, zonedTime, zoneOffset } from "@/lib/time/zoned-time";

/** A half-open time range [from, to) in epoch milliseconds. */
export interface TimeRange {
  from: number;
  to: number;
}

/** One bucket of a series: [start, end) in epoch milliseconds, its boundaries on the viewer's wall clock. */
export interface TimeBucket {
  start: number;
  end: number;
}

/** More buckets than a chart can show means the caller chose the wrong bucket size. */
export const MAX_BUCKETS = 5_000;

const UNIT_MS: Record<Bucket, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/**
 * The start of the bucket holding an instant, on the zone's wall clock. Day buckets start at local midnight
 * (or when the day began, where midnight was skipped); in the hour repeated when clocks go back, each of the
 * two hours is its own bucket.
 */
export function bucketStart(instant: number, bucket: Bucket, timeZone: string): number {
  const t = zonedTime(instant, timeZone);
  const floored = {
    year: t.year,
    month: t.month,
    day: t.day,
    hour: bucket === "day" ? 0 : t.hour,
    minute: bucket === "minute" ? t.minute : 0,
    second: 0,
  };
  const candidates = instantsOfWallClock(floored, timeZone).filter((c) => c <= instant);
  return candidates[candidates.length - 1] ?? instantOfWallClock(floored, timeZone);
}

/** The start of the bucket after the one starting at `start`. */
export function nextBucketStart(start: number, bucket: Bucket, timeZone: string): number {
  if (bucket === "day") {
    const t = zonedTime(start, timeZone);
    return instantOfWallClock(
      { year: t.year, month: t.month, day: t.day + 1, hour: 0, minute: 0, second: 0 },
      timeZone,
    );
  }
  const unit = UNIT_MS[bucket];
  // Same offset an hour (a minute) later: the wall clock moved by exactly one unit, so that is the next start.
  if (zoneOffset(start, timeZone) === zoneOffset(start + unit, timeZone)) return start + unit;
  // Offset changes of 30 minutes (Australia/Lord_Howe) make hour buckets of 30 or 90 minutes: probe finer.
  for (let probe = start + unit / 4; ; probe += unit / 4) {
    const next = bucketStart(probe, bucket, timeZone);
    if (next > start) return next;
  }
}

/** The buckets covering a range: the first holds `from`, the last ends at or after `to`. */
export function timeBuckets(range: TimeRange, bucket: Bucket, timeZone: string): TimeBucket[] {
  if (!(range.to > range.from)) return [];
  const buckets: TimeBucket[] = [];
  let start = bucketStart(range.from, bucket, timeZone);
  // The offset at each start is carried to the next bucket: reading a zone's offset is what building a chart's
  // hour buckets costs (formatToParts), and nextBucketStart would read it twice per bucket.
  let offset = bucket === "day" ? 0 : zoneOffset(start, timeZone);
  while (start < range.to) {
    if (buckets.length === MAX_BUCKETS) {
      throw new AppError(
        "bad_request",
        `More than ${MAX_BUCKETS} ${bucket} buckets: choose a larger bucket or a shorter range.`,
      );
    }
    let end: number;
    if (bucket === "day") {
      end = nextBucketStart(start, bucket, timeZone);
    } else {
      const after = start + UNIT_MS[bucket];
      const offsetAfter = zoneOffset(after, timeZone);
      end = offsetAfter === offset ? after : nextBucketStart(start, bucket, timeZone);
      offset = end === after ? offsetAfter : zoneOffset(end, timeZone);
    }
    buckets.push({ start, end });
    start = end;
  }
  return buckets;
}

/** The range widened to whole buckets. */
export function alignRange(range: TimeRange, bucket: Bucket, timeZone: string): TimeRange {
  const buckets = timeBuckets(range, bucket, timeZone);
  const first = buckets[0];
  const last = buckets[buckets.length - 1];
  return first && last ? { from: first.start, to: last.end } : range;
}

/**
 * The period just before a range, for "compared with the previous period". A range whose ends show the same
 * time of day (the last 7 days, today, this week) is moved back by calendar days on the zone's clock, so the
 * week before a DST change is 7 local days even though it lasts 167 or 169 hours; any other range is moved back
 * by its duration.
 */
export function previousPeriod(range: TimeRange, timeZone: string): TimeRange {
  const span = range.to - range.from;
  const from = zonedTime(range.from, timeZone);
  const to = zonedTime(range.to, timeZone);
  const sameTimeOfDay = from.hour === to.hour && from.minute === to.minute && from.second === to.second;
  if (sameTimeOfDay && span >= UNIT_MS.day) {
    const days = Math.round(
      (Date.UTC(to.year, to.month - 1, to.day) - Date.UTC(from.year, from.month - 1, from.day)) / UNIT_MS.day,
    );
    const previousFrom = instantOfWallClock({ ...from, day: from.day - days }, timeZone);
    return { from: previousFrom + (range.from % 1000), to: range.from };
  }
  return { from: range.from - span, to: range.from };
}

/** The index of the bucket holding an instant, or -1 outside the buckets. Buckets must be contiguous. */
export function bucketIndex(buckets: readonly TimeBucket[], at: number): number {
  let low = 0;
  let high = buckets.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const bucket = buckets[mid]!;
    if (at < bucket.start) high = mid - 1;
    else if (at >= bucket.end) low = mid + 1;
    else return mid;
  }
  return -1;
}

/** A value of one series (`key`, e.g. a cause) at an instant. */
export interface SeriesValue {
  at: number;
  key: string;
  value: number;
}

export interface FilledBucket extends TimeBucket {
  total: number;
  /** Per series key; a key with nothing in this bucket is absent. */
  values: Record<string, number>;
}

/**
 * Every bucket of a chart with its values summed per key: buckets with no rows come back with total 0, so a
 * quiet hour shows as zero instead of vanishing from the axis. Rows outside the buckets are dropped.
 */
export function fillBuckets(buckets: readonly TimeBucket[], rows: readonly SeriesValue[]): FilledBucket[] {
  const filled: FilledBucket[] = buckets.map((b) => ({ start: b.start, end: b.end, total: 0, values: {} }));
  for (const row of rows) {
    const target = filled[bucketIndex(buckets, row.at)];
    if (!target || !Number.isFinite(row.value)) continue;
    target.total += row.value;
    target.values[row.key] = (target.values[row.key] ?? 0) + row.value;
  }
  return filled;
}
