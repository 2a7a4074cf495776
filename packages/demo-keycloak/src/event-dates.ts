import { instantOfWallClock } from "@/lib/time/zoned-time";

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

/**
 * Epoch milliseconds of a time of a local day in the JVM's zone, as java.util.Calendar (lenient) resolves it:
 * a repeated hour (clocks went back) is read in standard time, the later instant; a skipped hour with the
 * offset from before the change.
 */
export function localDayTimeToEpoch(
  timeZone: string,
  day: LocalDay,
  time: { h: number; mi: number; s: number; ms: number } = { h: 0, mi: 0, s: 0, ms: 0 },
): number {
  const wall = { year: day.y, month: day.m, day: day.d, hour: time.h, minute: time.mi, second: time.s };
  return instantOfWallClock(wall, timeZone, "later") + time.ms;
}
