/**
 * Wall-clock time in an IANA time zone, from Intl.DateTimeFormat alone (no tz library is installed).
 * Instants are epoch milliseconds; a wall clock is what a clock on the wall of that zone shows.
 */

export interface WallClock {
  year: number;
  /** 1-12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export interface ZonedTime extends WallClock {
  /** 0 = Monday ... 6 = Sunday (ISO order). */
  weekday: number;
  /** Milliseconds to add to UTC to get the wall clock: +3_600_000 for CET, +19_800_000 for Asia/Kolkata. */
  offsetMs: number;
}

const WEEKDAYS: Record<string, number> = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };
const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      weekday: "short",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** True for a zone name this runtime knows ("Europe/Berlin", "UTC"); false for anything else. */
export function isTimeZone(value: unknown): value is string {
  if (typeof value !== "string" || value === "" || value.length > 64) return false;
  try {
    formatterFor(value);
    return true;
  } catch {
    return false;
  }
}

/** The wall clock, weekday and UTC offset of an instant in a zone. */
export function zonedTime(instant: number, timeZone: string): ZonedTime {
  const fields: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) fields[part.type] = part.value;
  const wall: WallClock = {
    year: Number(fields.year),
    month: Number(fields.month),
    day: Number(fields.day),
    hour: Number(fields.hour),
    minute: Number(fields.minute),
    second: Number(fields.second),
  };
  const wholeSecond = Math.floor(instant / 1000) * 1000;
  return { ...wall, weekday: WEEKDAYS[fields.weekday ?? ""] ?? 0, offsetMs: wallAsUtc(wall) - wholeSecond };
}

const offsets = new Map<string, number>();
const OFFSETS_KEPT = 20_000;

/** The UTC offset of a zone at an instant, in milliseconds. */
export function zoneOffset(instant: number, timeZone: string): number {
  // Remembered: charts ask for the offsets of the same bucket starts on every request, and formatToParts was a
  // tenth of a pattern page's CPU time.
  const key = `${timeZone}\u0000${instant}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    offset = zonedTime(instant, timeZone).offsetMs;
    if (offsets.size >= OFFSETS_KEPT) offsets.clear();
    offsets.set(key, offset);
  }
  return offset;
}

/** The wall clock read as if it were UTC; normalises overflow (day 32, hour 24). */
export function wallAsUtc(wall: WallClock): number {
  return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
}

/**
 * Every instant at which the zone's clocks show this wall time: one normally, two in the repeated hour when
 * clocks go back, none in the skipped hour when they go forward. Assumes at most one offset change within a
 * day either side, which holds for every zone in the IANA database since 1970.
 */
export function instantsOfWallClock(wall: WallClock, timeZone: string): number[] {
  const naive = wallAsUtc(wall);
  const offsets = new Set([
    zoneOffset(naive - DAY_MS, timeZone),
    zoneOffset(naive, timeZone),
    zoneOffset(naive + DAY_MS, timeZone),
  ]);
  const instants: number[] = [];
  for (const offset of offsets) {
    const candidate = naive - offset;
    if (zoneOffset(candidate, timeZone) === offset) instants.push(candidate);
  }
  return [...new Set(instants)].sort((a, b) => a - b);
}

/**
 * The instant of a wall time. Ambiguous times (clocks went back) take the earlier or the later instant as asked;
 * skipped times (clocks went forward) are read with the offset from before the change, so "02:30" on the
 * spring-forward night in Berlin is 03:30 CEST, and a skipped midnight resolves to the moment the day began.
 */
export function instantOfWallClock(
  wall: WallClock,
  timeZone: string,
  pick: "earlier" | "later" = "earlier",
): number {
  const instants = instantsOfWallClock(wall, timeZone);
  const chosen = pick === "earlier" ? instants[0] : instants[instants.length - 1];
  if (chosen !== undefined) return chosen;
  const naive = wallAsUtc(wall);
  return naive - zoneOffset(naive - DAY_MS, timeZone);
}
