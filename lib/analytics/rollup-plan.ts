import type { TimeBucket, TimeRange } from "@/lib/time/time-buckets";

/**
 * Which rollup rows answer a question exactly. Rollups are kept per UTC minute, hour and day; a chart in
 * Asia/Kolkata (+05:30) has hour and day boundaries at half past UTC hours, so those hours are read by minute.
 */

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/**
 * The UTC hours that a bucket boundary cuts in two: they must be read from minute rollups. Every other hour of
 * the buckets lies inside one bucket and is read whole from the hour rollup.
 */
export function splitHours(buckets: readonly TimeBucket[]): number[] {
  const hours = new Set<number>();
  const cut = (boundary: number) => {
    if (boundary % HOUR !== 0) hours.add(boundary - (((boundary % HOUR) + HOUR) % HOUR));
  };
  for (const b of buckets) cut(b.start);
  const last = buckets[buckets.length - 1];
  if (last) cut(last.end);
  return [...hours].sort((a, b) => a - b);
}

/** The fewest rollup ranges covering a range exactly (to the minute): whole UTC days, whole hours, minutes. */
export interface RollupCover {
  days: TimeRange[];
  hours: TimeRange[];
  minutes: TimeRange[];
}

export function coverRange(range: TimeRange): RollupCover {
  const from = Math.floor(range.from / MINUTE) * MINUTE;
  const to = Math.ceil(range.to / MINUTE) * MINUTE;
  const cover: RollupCover = { days: [], hours: [], minutes: [] };
  if (!(to > from)) return cover;
  const hourFrom = Math.ceil(from / HOUR) * HOUR;
  const hourTo = Math.floor(to / HOUR) * HOUR;
  if (hourFrom >= hourTo) {
    cover.minutes.push({ from, to });
    return cover;
  }
  if (from < hourFrom) cover.minutes.push({ from, to: hourFrom });
  const dayFrom = Math.ceil(hourFrom / DAY) * DAY;
  const dayTo = Math.floor(hourTo / DAY) * DAY;
  if (dayFrom < dayTo) {
    if (hourFrom < dayFrom) cover.hours.push({ from: hourFrom, to: dayFrom });
    cover.days.push({ from: dayFrom, to: dayTo });
    if (dayTo < hourTo) cover.hours.push({ from: dayTo, to: hourTo });
  } else {
    cover.hours.push({ from: hourFrom, to: hourTo });
  }
  if (hourTo < to) cover.minutes.push({ from: hourTo, to });
  return cover;
}
