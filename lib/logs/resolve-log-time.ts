import type { LogTimestamp } from "@/lib/logs/find-log-timestamp";
import { utcMillis } from "@/lib/logs/utc-millis";
import { instantOfWallClock, isTimeZone, type WallClock } from "@/lib/time/zoned-time";

/**
 * What the importer had to assume to turn a log timestamp into an instant:
 * - exact: the line had date, time and zone;
 * - zone-assumed: date and time, zone taken from the options (default UTC);
 * - date-assumed: time only (or a syslog date without a year), date taken from the options;
 * - none: no usable timestamp.
 */
export type TimeAssumption = "exact" | "zone-assumed" | "date-assumed" | "none";

export interface LogTimeOptions {
  /** `yyyy-MM-dd`, for lines that carry only a time (WildFly) or no year (syslog). */
  defaultDate?: string;
  /** IANA zone for lines without a zone. Default "UTC". */
  timeZone?: string;
}

export interface ResolvedLogTime {
  time: number | null;
  assumption: TimeAssumption;
}

const NONE: ResolvedLogTime = { time: null, assumption: "none" };
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const HOUR_MS = 3_600_000;

export function resolveLogTime(stamp: LogTimestamp | null, options: LogTimeOptions = {}): ResolvedLogTime {
  if (stamp === null) return NONE;
  let { year, month, day } = stamp;
  let assumption: TimeAssumption = "exact";

  if (year === undefined || month === undefined || day === undefined) {
    const fallback = options.defaultDate === undefined ? null : DATE.exec(options.defaultDate);
    if (fallback === null) return NONE;
    year = Number(fallback[1]);
    month ??= Number(fallback[2]);
    day ??= Number(fallback[3]);
    assumption = "date-assumed";
  }

  const local = utcMillis(year, month - 1, day, stamp.hour, stamp.minute, stamp.second, stamp.millis);
  if (Number.isNaN(local)) return NONE;
  if (stamp.offsetMinutes !== undefined) {
    return { time: local - stamp.offsetMinutes * 60_000, assumption };
  }
  if (assumption === "exact") assumption = "zone-assumed";
  return { time: localToInstant(local, options.timeZone ?? "UTC"), assumption };
}

/** Throws a RangeError naming the zone when it is not a valid IANA zone. */
export function assertTimeZone(timeZone: string): void {
  if (!isTimeZone(timeZone)) {
    throw new RangeError(
      `Unknown time zone "${timeZone}": use an IANA name such as "Europe/Berlin" or "UTC".`,
    );
  }
}

// Offsets change only at DST transitions, which fall on whole hours (or half hours in a handful of zones),
// so one zone lookup per zone and local hour keeps the per-line cost to a Map read.
const offsetCache = new Map<string, Map<number, number>>();
const CACHE_LIMIT = 100_000;

/**
 * A local time (the wall clock's fields as if UTC) as an instant. A repeated hour is read in standard time (the
 * later instant), a skipped hour with the offset from before the change.
 */
function localToInstant(localMs: number, timeZone: string): number {
  if (timeZone === "UTC" || timeZone === "Etc/UTC") return localMs;
  let byHour = offsetCache.get(timeZone);
  if (byHour === undefined) {
    byHour = new Map();
    offsetCache.set(timeZone, byHour);
  }
  const hour = Math.floor(localMs / HOUR_MS);
  let offset = byHour.get(hour);
  if (offset === undefined) {
    const wholeSecond = localMs - (((localMs % 1000) + 1000) % 1000);
    offset = wholeSecond - instantOfWallClock(wallClockOf(wholeSecond), timeZone, "later");
    if (byHour.size >= CACHE_LIMIT) byHour.clear();
    byHour.set(hour, offset);
  }
  return localMs - offset;
}

function wallClockOf(localMs: number): WallClock {
  const d = new Date(localMs);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
}
