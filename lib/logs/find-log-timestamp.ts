/** The parts of a timestamp as a log line wrote them; absent parts were not in the line. */
export interface LogTimestamp {
  year?: number;
  month?: number;
  day?: number;
  hour: number;
  minute: number;
  second: number;
  millis: number;
  /** Offset from UTC in minutes, when the line states a zone. */
  offsetMinutes?: number;
}

// 2024-02-29 16:33:28,967 (Quarkus, WildFly with date), 2022-04-23 18:46:16.347 (logback),
// 2024-01-02T10:00:00.123456789Z (kubectl --timestamps, RFC 3339), 2024-01-02T10:00:00+0100 (journald short-iso).
const DATE_TIME =
  /(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?(?: ?(Z|[+-]\d{2}(?::?\d{2})?|UTC|GMT)(?![\w:]))?/g;
// Jan  2 10:00:00 (journald/syslog short: no year, no zone).
const SYSLOG =
  /(?:^|\s)(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?(?=\s)/;
// 08:12:20,561 (WildFly default console pattern: time only).
const TIME_ONLY = /(?:^|[\s|\]])(\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?(?=\s|$)/;

const MONTHS: Record<string, number> = {
  Jan: 1,
  Feb: 2,
  Mar: 3,
  Apr: 4,
  May: 5,
  Jun: 6,
  Jul: 7,
  Aug: 8,
  Sep: 9,
  Oct: 10,
  Nov: 11,
  Dec: 12,
};

/**
 * Finds the timestamp in the text before an event (the log prefix). When several are present (kubectl's
 * RFC 3339 stamp in front of Keycloak's own), the one that states a zone wins, then the first.
 */
export function findLogTimestamp(prefix: string): LogTimestamp | null {
  let best: LogTimestamp | null = null;
  DATE_TIME.lastIndex = 0;
  for (let m = DATE_TIME.exec(prefix); m !== null; m = DATE_TIME.exec(prefix)) {
    const stamp = dateTimeStamp(m);
    if (stamp === null) continue;
    if (stamp.offsetMinutes !== undefined) return stamp;
    best ??= stamp;
  }
  if (best !== null) return best;

  const syslog = SYSLOG.exec(prefix);
  if (syslog !== null) {
    return valid({
      month: MONTHS[syslog[1] ?? ""],
      day: Number(syslog[2]),
      hour: Number(syslog[3]),
      minute: Number(syslog[4]),
      second: Number(syslog[5]),
      millis: fractionToMillis(syslog[6]),
    });
  }

  const time = TIME_ONLY.exec(prefix);
  if (time !== null) {
    return timeOnlyStamp(time);
  }
  return null;
}

/** Parses an ISO 8601 / RFC 3339 string such as JSON log timestamps; null when it is not one. */
export function parseIsoTimestamp(text: string): LogTimestamp | null {
  DATE_TIME.lastIndex = 0;
  const m = DATE_TIME.exec(text);
  if (m === null || m.index !== 0) return null;
  return dateTimeStamp(m);
}

/**
 * The stamp of a date-and-time match: groups 1-6 year to second, 7 the fraction, 8 the zone (either may be
 * absent); null when a part is out of range.
 */
function dateTimeStamp(m: readonly (string | undefined)[]): LogTimestamp | null {
  return dateTimeParts(
    Number(m[1]),
    Number(m[2]),
    Number(m[3]),
    Number(m[4]),
    Number(m[5]),
    Number(m[6]),
    fractionToMillis(m[7]),
    parseOffset(m[8]),
  );
}

/** A date-and-time stamp from its parts, as dateTimeStamp builds it; null when a part is out of range. */
export function dateTimeParts(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  millis: number,
  offsetMinutes: number | undefined,
): LogTimestamp | null {
  return valid({ year, month, day, hour, minute, second, millis, offsetMinutes });
}

/** The stamp of a time-only match (groups 1-3 hour to second, 4 the fraction); null when out of range. */
function timeOnlyStamp(m: readonly (string | undefined)[]): LogTimestamp | null {
  return timeOnlyParts(Number(m[1]), Number(m[2]), Number(m[3]), fractionToMillis(m[4]));
}

/** A time-only stamp from its parts, as timeOnlyStamp builds it; null when a part is out of range. */
export function timeOnlyParts(
  hour: number,
  minute: number,
  second: number,
  millis: number,
): LogTimestamp | null {
  return valid({ hour, minute, second, millis });
}

function fractionToMillis(fraction: string | undefined): number {
  if (fraction === undefined) return 0;
  return Number(fraction.length >= 3 ? fraction.slice(0, 3) : fraction.padEnd(3, "0"));
}

function parseOffset(zone: string | undefined): number | undefined {
  if (zone === undefined) return undefined;
  if (zone === "Z" || zone === "UTC" || zone === "GMT") return 0;
  const sign = zone.startsWith("-") ? -1 : 1;
  const digits = zone.slice(1).replace(":", "");
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  return sign * (hours * 60 + minutes);
}

function valid(stamp: Partial<LogTimestamp> & Pick<LogTimestamp, "hour" | "minute" | "second" | "millis">) {
  const { month, day, hour, minute, second } = stamp;
  if (month !== undefined && (month < 1 || month > 12)) return null;
  if (day !== undefined && (day < 1 || day > 31)) return null;
  if (hour > 23 || minute > 59 || second > 60) return null;
  if (stamp.offsetMinutes !== undefined && Math.abs(stamp.offsetMinutes) > 18 * 60) return null;
  return stamp as LogTimestamp;
}
