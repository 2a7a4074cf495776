import { AppError } from "@/lib/server/errors";
import type { TimeRange } from "@/lib/time/time-buckets";
import { instantOfWallClock } from "@/lib/time/zoned-time";

/** Date presets, as analytics dashboards offer them: the last hour, day, week, month up to now. */
export const RANGE_PRESETS = {
  "1h": { label: "Last hour", ms: 3_600_000 },
  "24h": { label: "Last 24 hours", ms: 86_400_000 },
  "7d": { label: "Last 7 days", ms: 7 * 86_400_000 },
  "30d": { label: "Last 30 days", ms: 30 * 86_400_000 },
} as const;
export type RangePreset = keyof typeof RANGE_PRESETS;
export const DEFAULT_PRESET: RangePreset = "24h";
/** Longer custom ranges are refused: every chart and count stays bounded. */
export const MAX_RANGE_MS = 400 * 86_400_000;

export function isRangePreset(value: unknown): value is RangePreset {
  return typeof value === "string" && Object.hasOwn(RANGE_PRESETS, value);
}

/** What the user asked for: a preset, or a custom from/to as typed. */
export interface RangeInput {
  range?: string;
  from?: string;
  to?: string;
}

/** A half-open [from, to) range in epoch ms, and how it was asked for (to rebuild links). */
export interface ResolvedRange extends TimeRange {
  preset: RangePreset | null;
  /** The custom bounds exactly as typed, when custom. */
  fromText: string | null;
  toText: string | null;
}

/**
 * The range a request means. A custom end is inclusive of the unit it was typed in: "to=2026-03-01" includes
 * the whole of 1 March in the viewer's zone (Keycloak's own dateTo, and what users expect), "to=...T14:05"
 * includes that minute, an epoch-ms end includes that millisecond. Internally the range is half-open.
 */
export function resolveRange(input: RangeInput, timeZone: string, now: number): ResolvedRange {
  if (!input.from && !input.to) {
    const preset = isRangePreset(input.range) ? input.range : DEFAULT_PRESET;
    return { from: now - RANGE_PRESETS[preset].ms, to: now, preset, fromText: null, toText: null };
  }
  const to = input.to ? parseInstant(input.to, timeZone, "end", "to") : now;
  const from = input.from
    ? parseInstant(input.from, timeZone, "start", "from")
    : to - RANGE_PRESETS[DEFAULT_PRESET].ms;
  if (!(from < to)) throw new AppError("bad_request", "The start of the range must be before its end.");
  if (to - from > MAX_RANGE_MS) {
    throw new AppError("bad_request", "The range is longer than 400 days: choose a shorter one.");
  }
  return { from, to, preset: null, fromText: input.from ?? null, toText: input.to ?? null };
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const WALL = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/;
const ZONED = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.(\d{1,3}))?)?(?:Z|[+-]\d{2}:?\d{2})$/;
const EPOCH_MS = /^\d{10,15}$/;

/**
 * An instant from what a user typed: `yyyy-MM-dd` and `yyyy-MM-ddTHH:mm[:ss[.SSS]]` on the viewer's wall clock,
 * an ISO time with its own offset, or epoch milliseconds. For an end, the instant just after the typed unit.
 */
export function parseInstant(text: string, timeZone: string, edge: "start" | "end", field = "time"): number {
  const s = text.trim();
  const day = DAY.exec(s);
  if (day) {
    const [y, m, d] = [Number(day[1]), Number(day[2]), Number(day[3])];
    assertCalendarDate(y, m, d, text, field);
    const next = edge === "end" ? 1 : 0;
    return instantOfWallClock({ year: y, month: m, day: d + next, hour: 0, minute: 0, second: 0 }, timeZone);
  }
  const wall = WALL.exec(s);
  if (wall) {
    const [y, m, d, h, min] = [1, 2, 3, 4, 5].map((i) => Number(wall[i]));
    assertCalendarDate(y!, m!, d!, text, field);
    if (h! > 23 || min! > 59 || Number(wall[6] ?? 0) > 59) throw badTime(text, field);
    const start = instantOfWallClock(
      { year: y!, month: m!, day: d!, hour: h!, minute: min!, second: Number(wall[6] ?? 0) },
      timeZone,
    );
    const ms = wall[7] ? Number(wall[7].padEnd(3, "0")) : 0;
    return start + ms + (edge === "end" ? unitOf(wall[6], wall[7]) : 0);
  }
  if (ZONED.test(s)) {
    const at = Date.parse(s);
    if (!Number.isFinite(at)) throw badTime(text, field);
    const frac = /:\d{2}:(\d{2})(\.\d+)?/.exec(s);
    return at + (edge === "end" ? unitOf(frac?.[1], frac?.[2]?.slice(1)) : 0);
  }
  if (EPOCH_MS.test(s)) return Number(s) + (edge === "end" ? 1 : 0);
  throw badTime(text, field);
}

/** The length of the smallest unit typed: a minute, a second, or a millisecond. */
function unitOf(seconds: string | undefined, fraction: string | undefined): number {
  if (fraction) return 1;
  return seconds === undefined ? 60_000 : 1_000;
}

function assertCalendarDate(y: number, m: number, d: number, text: string, field: string): void {
  const probe = new Date(Date.UTC(y, m - 1, d));
  if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== m - 1 || probe.getUTCDate() !== d) {
    throw badTime(text, field);
  }
}

function badTime(text: string, field: string): AppError {
  return new AppError(
    "bad_request",
    `"${text.slice(0, 40)}" is not a valid ${field}: use yyyy-MM-dd, yyyy-MM-ddTHH:mm, an ISO time with an offset, or epoch milliseconds.`,
  );
}
