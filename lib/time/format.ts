/** Times and numbers as the dashboard prints them, in the viewer's zone. */

const timeFormats = new Map<string, Intl.DateTimeFormat>();

function timeFormat(timeZone: string): Intl.DateTimeFormat {
  let f = timeFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      fractionalSecondDigits: 3,
      hourCycle: "h23",
      timeZoneName: "short",
    });
    timeFormats.set(timeZone, f);
  }
  return f;
}

/** "2026-03-01 14:05:03.123 GMT+1": the instant on the viewer's clock, to the millisecond Keycloak stamps. */
export function formatTime(ms: number, timeZone: string): string {
  const parts: Record<string, string> = {};
  for (const p of timeFormat(timeZone).formatToParts(ms)) parts[p.type] = p.value;
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}.${parts.fractionalSecond} ${parts.timeZoneName}`;
}

const integer = new Intl.NumberFormat("en-US");

export function formatCount(n: number): string {
  return integer.format(n);
}

/** "0.8" confidence as "80%". */
export function formatShare(share: number): string {
  return `${Math.round(share * 100)}%`;
}

/** "2026-03-01 14:05 GMT+1": to the minute, for incidents and buckets. */
export function formatMinute(ms: number, timeZone: string): string {
  const full = formatTime(ms, timeZone);
  return `${full.slice(0, 16)}${full.slice(full.indexOf(" ", 11))}`;
}

/** "14:05:03": the time of day on the viewer's clock, for "updated at" stamps. */
export function formatClock(ms: number, timeZone: string): string {
  return formatTime(ms, timeZone).slice(11, 19);
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/**
 * An instant as a From/To field shows it, on the viewer's wall clock: `yyyy-MM-ddTHH:mm`, with seconds and
 * milliseconds only when needed, so it reads back (lib/time/time-range.ts parseInstant) as exactly the same
 * instant. A To field is inclusive of its last unit: `to` is the last millisecond in, as epoch milliseconds are.
 */
export function formatInstantInput(ms: number, timeZone: string, edge: "start" | "end"): string {
  const bound = edge === "end" ? ms + 1 : ms;
  const unit = bound % 60_000 === 0 ? 60_000 : bound % 1000 === 0 ? 1000 : 1;
  const shown = edge === "end" ? bound - unit : bound;
  const t = formatTime(shown, timeZone);
  const minute = `${t.slice(0, 10)}T${t.slice(11, 16)}`;
  if (unit === 60_000) return minute;
  if (unit === 1000) return `${minute}:${t.slice(17, 19)}`;
  return `${minute}:${t.slice(17, 19)}.${pad(shown % 1000, 3)}`;
}
