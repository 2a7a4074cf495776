/**
 * How Keycloak turns the `dateFrom` / `dateTo` query parameters into epoch milliseconds.
 * Returns null where Keycloak answers 400.
 */

const DAY_MS = 86_400_000;
const ISO_LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const JAVA_LONG = /^[+-]?\d{1,19}$/;

/**
 * 26.2+ (services/.../util/DateUtil.java): a value containing '-' is a strict ISO `LocalDate` in UTC,
 * anything else goes through `Long.parseLong` as epoch milliseconds.
 */
export function parseModernDate(value: string, edge: "start" | "end"): number | null {
  if (value.includes("-")) {
    const m = ISO_LOCAL_DATE.exec(value);
    if (!m) return null;
    const year = Number(m[1]);
    const month = Number(m[2]);
    const day = Number(m[3]);
    const start = Date.UTC(year, month - 1, day);
    const check = new Date(start);
    // ResolverStyle.STRICT: 2023-02-30 is rejected, not rolled over.
    if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
    // LocalTime.MAX truncated to milliseconds.
    return edge === "start" ? start : start + DAY_MS - 1;
  }
  if (!JAVA_LONG.test(value)) return null;
  const n = BigInt(value);
  if (n > 9223372036854775807n || n < -9223372036854775808n) return null;
  return Number(n);
}

const LENIENT_DATE_PREFIX = /^(\d+)-(\d+)-(\d+)/;

export interface LocalDay {
  y: number;
  m: number;
  d: number;
}

/**
 * Before 26.2: `new SimpleDateFormat("yyyy-MM-dd").parse(value)`, read in the JVM's time zone by the
 * caller. The format is lenient (2023-02-30 rolls over to March 2, one-digit months pass) and `parse`
 * ignores trailing text; an epoch value has no '-' after its digits and fails.
 */
export function parseLegacyDay(value: string): LocalDay | null {
  const m = LENIENT_DATE_PREFIX.exec(value);
  if (!m) return null;
  const rolled = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (Number.isNaN(rolled.getTime())) return null;
  return { y: rolled.getUTCFullYear(), m: rolled.getUTCMonth() + 1, d: rolled.getUTCDate() };
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The zone's offset from UTC at `epochMs`, in milliseconds. */
export function zoneOffsetMs(timeZone: string, epochMs: number): number {
  const parts: Record<string, number> = {};
  for (const p of formatterFor(timeZone).formatToParts(new Date(epochMs))) {
    if (p.type !== "literal") parts[p.type] = Number(p.value);
  }
  const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return wall - (epochMs - (((epochMs % 1000) + 1000) % 1000));
}

/** Epoch milliseconds of a wall-clock time in `timeZone` (as java.util.Calendar resolves it). */
export function wallTimeToEpoch(
  timeZone: string,
  wall: { y: number; m: number; d: number; h?: number; mi?: number; s?: number; ms?: number },
): number {
  const asUtc = Date.UTC(wall.y, wall.m - 1, wall.d, wall.h ?? 0, wall.mi ?? 0, wall.s ?? 0, wall.ms ?? 0);
  let guess = asUtc - zoneOffsetMs(timeZone, asUtc);
  guess = asUtc - zoneOffsetMs(timeZone, guess);
  return guess;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}
