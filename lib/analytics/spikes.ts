import { MAD_TO_SIGMA, mad, median } from "@/lib/analytics/robust-stats";
import type { TimeRange } from "@/lib/time/time-buckets";
import { zonedTime } from "@/lib/time/zoned-time";

/**
 * Spike detection on an hourly failure series.
 *
 * The baseline of an hour is the median of the same hour of the week (on the viewer's wall clock, so Monday 09:00
 * stays Monday 09:00 across a DST change) over the previous 4 weeks. Failures follow people: logins peak on
 * weekday mornings, batch clients fail at night; an hour compared with the hours just before it would flag every
 * Monday 09:00. The median of 4 ignores one odd week (a holiday, last week's incident); 2 weeks are the minimum
 * to call anything usual. Until a source has 2 weeks of history the baseline is the median of the previous 24
 * known hours instead. The two are not mixed once weekly history exists: max(weekly, recent) would hide a night
 * spike behind the day's level, and the recent level would turn a sustained shift into its own baseline within
 * a day; the recent hours feed the spread instead (below).
 *
 * The spread is the largest of: the MAD of those 4 slot values; the MAD of the last week's residuals
 * (observed - baseline, 168 points, a far better noise estimate than 4 samples); √baseline, since failure counts
 * are at least as noisy as a Poisson count of that mean; and a floor of 2, so a flat-zero history does not make
 * a single failure infinitely unusual. Each MAD is scaled by 1.4826 to read as a standard deviation.
 *
 * The score is a robust z: (observed - baseline) / spread. An hour opens a spike at score >= 4 with at least 10
 * failures and at least 1.5x the baseline; at baseline 20 that is 38 failures, which a Poisson(20) count reaches
 * about once in 4,600 hours (half a year of one series). The volume floor keeps 4 failures after a silent month from
 * being an incident; the ratio keeps a 3% wobble on a very large, very smooth series from being one.
 *
 * A spike stays open while the score is >= 2 and the count is above baseline (hysteresis), so a ramp or a level
 * shift is one spike that starts when it crosses the line and stays ongoing, not a new spike every hour. While
 * a spike is open its hours do not feed the recent level or the residual spread, so the incident never becomes
 * its own baseline; the weekly slot medians do absorb a shift that lasts beyond 2 of the 4 weeks, at which point
 * it has become the new normal.
 *
 * Missing data is not zero: hours with a null value (event gaps, before ingestion began) are neither judged nor
 * used in any baseline.
 */
export const SPIKE_THRESHOLDS = {
  weeks: 4,
  minWeeks: 2,
  recentHours: 24,
  minRecentHours: 12,
  residualHours: 168,
  openScore: 4,
  holdScore: 2,
  minFailures: 10,
  minRatio: 1.5,
  minSpread: 2,
} as const;

export type SpikeThresholds = { [K in keyof typeof SPIKE_THRESHOLDS]: number };

export interface SeriesPoint {
  /** Start of the hour. */
  start: number;
  /** Failures in the hour; null when unknown (an event gap, or before ingestion began). */
  value: number | null;
  /** Share of the hour observed so far, for the hour in progress (default 1). */
  coverage?: number;
}

export interface SpikeBaseline {
  expected: number;
  spread: number;
  /** "seasonal": the same hour of the week; "recent": the previous 24 hours (short history). */
  basis: "seasonal" | "recent";
}

export interface SpikeHour extends SpikeBaseline {
  start: number;
  value: number;
  coverage: number;
  score: number;
}

export interface Spike extends TimeRange {
  hours: number;
  /** Failures in the spike, and the baseline's sum over the same hours (for attribution). */
  observed: number;
  expected: number;
  /** The most unusual hour; `score` is its robust z. */
  peak: SpikeHour;
  score: number;
  /** The spike reaches the last point of the series: it is still going on. */
  ongoing: boolean;
  /** The peak hour in words. */
  explanation: string;
  /** The whole spike in words. */
  summary: string;
}

const HOUR_MS = 3_600_000;
const WEEK_MS = 7 * 24 * HOUR_MS;
const WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
const count = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const small = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });

/** Hours overlapping a known event gap become unknown. */
export function markGaps(points: readonly SeriesPoint[], gaps: readonly TimeRange[]): SeriesPoint[] {
  return points.map((p) =>
    gaps.some((g) => g.from < p.start + HOUR_MS && g.to > p.start) ? { ...p, value: null } : p,
  );
}

/** The spikes of an hourly failure series (sorted by start, one point per hour), oldest first. */
export function detectSpikes(
  points: readonly SeriesPoint[],
  opts: {
    timeZone: string;
    thresholds?: Partial<SpikeThresholds>;
    /** Hours before this only serve as history: a caller that wants recent spikes saves judging the rest. */
    judgeFrom?: number;
  },
): Spike[] {
  const th: SpikeThresholds = { ...SPIKE_THRESHOLDS, ...opts.thresholds };
  const judgeFrom = opts.judgeFrom ?? Number.NEGATIVE_INFINITY;
  // No hour that could open a spike: nothing to judge (most series of a refresh are like this).
  if (!points.some((p) => p.start >= judgeFrom && p.value !== null && p.value >= th.minFailures)) return [];
  const slots = new Map<number, { start: number; value: number }[]>();
  const recent: number[] = [];
  const residuals = new ResidualSpread(th);
  const spikes: Spike[] = [];
  let open: SpikeHour[] | null = null;
  let lastKnown = -1;
  points.forEach((p, i) => {
    if (p.value !== null && isCount(p.value)) lastKnown = i;
  });

  points.forEach((point, i) => {
    const value = point.value !== null && isCount(point.value) ? point.value : null;
    const slot = hourOfWeek(point.start, opts.timeZone);
    const history = slots.get(slot) ?? [];
    if (value === null) {
      slots.set(slot, history);
      return;
    }
    const coverage = clampCoverage(point.coverage);
    const baseline =
      point.start >= judgeFrom ? baselineOf(point.start, history, recent, residuals.spread(), th) : null;
    history.push({ start: point.start, value: value / coverage });
    slots.set(slot, history);

    if (baseline) {
      const expected = baseline.expected * coverage;
      const spread = Math.max(baseline.spread * coverage, Math.sqrt(expected), th.minSpread);
      const hour: SpikeHour = {
        ...baseline,
        expected,
        spread,
        start: point.start,
        value,
        coverage,
        score: 0,
      };
      hour.score = (value - expected) / spread;
      const opens = hour.score >= th.openScore && value >= th.minFailures && value >= th.minRatio * expected;
      const holds = hour.score >= th.holdScore && value > expected;
      if (open ? holds : opens) {
        open ??= [];
        open.push(hour);
        if (i === lastKnown) spikes.push(toSpike(open, true, opts.timeZone));
        return;
      }
      if (coverage === 1) residuals.push(value - baseline.expected);
    }
    if (open) {
      spikes.push(toSpike(open, false, opts.timeZone));
      open = null;
    }
    recent.push(value / coverage);
    trim(recent, th.recentHours);
  });
  return spikes;
}

/**
 * The MAD of the last week's residuals. A week of hourly noise moves slowly: recomputing it every 6 new
 * residuals instead of every hour keeps detection over hundreds of series at a few milliseconds each.
 */
class ResidualSpread {
  private readonly values: number[] = [];
  private cached = 0;
  private pending = 0;
  constructor(private readonly th: SpikeThresholds) {}

  push(residual: number): void {
    this.values.push(residual);
    trim(this.values, this.th.residualHours);
    this.pending++;
  }

  spread(): number {
    if (this.values.length < this.th.minRecentHours) return 0;
    if (this.pending >= 6 || (this.pending > 0 && this.values.length === this.th.minRecentHours)) {
      this.cached = MAD_TO_SIGMA * mad(this.values);
      this.pending = 0;
    }
    return this.cached;
  }
}

function baselineOf(
  start: number,
  history: readonly { start: number; value: number }[],
  recent: readonly number[],
  residualSpread: number,
  th: SpikeThresholds,
): SpikeBaseline | null {
  // One value per earlier week, newest first; the same local hour is 7 days +-1 hour away across a DST change.
  const seasonal: number[] = [];
  let lastWeek = 0;
  for (let i = history.length - 1; i >= 0; i--) {
    const h = history[i]!;
    const weeks = Math.round((start - h.start) / WEEK_MS);
    if (weeks > th.weeks) break;
    if (weeks >= 1 && weeks !== lastWeek && Math.abs(start - h.start - weeks * WEEK_MS) <= HOUR_MS) {
      seasonal.push(h.value);
      lastWeek = weeks;
    }
  }
  if (seasonal.length >= th.minWeeks) {
    const spread = Math.max(MAD_TO_SIGMA * mad(seasonal), residualSpread);
    return { expected: median(seasonal), spread, basis: "seasonal" };
  }
  if (recent.length >= th.minRecentHours) {
    const spread = Math.max(MAD_TO_SIGMA * mad(recent), residualSpread);
    return { expected: median(recent), spread, basis: "recent" };
  }
  return null;
}

function toSpike(hours: readonly SpikeHour[], ongoing: boolean, timeZone: string): Spike {
  const first = hours[0]!;
  const last = hours[hours.length - 1]!;
  const peak = hours.reduce((best, h) => (h.score > best.score ? h : best), first);
  const observed = hours.reduce((sum, h) => sum + h.value, 0);
  const expected = hours.reduce((sum, h) => sum + h.expected, 0);
  const from = clock(first.start, timeZone);
  const summary =
    hours.length === 1
      ? `${count.format(observed)} failures in the hour from ${from} where about ${small.format(expected)} are usual`
      : `${count.format(observed)} failures in ${hours.length} hours from ${from}${ongoing ? ", still going on," : ""} where about ${small.format(expected)} are usual`;
  return {
    from: first.start,
    to: last.start + HOUR_MS,
    hours: hours.length,
    observed,
    expected,
    peak,
    score: peak.score,
    ongoing,
    explanation: explainHour(peak, timeZone),
    summary,
  };
}

/** "312 failures in the hour from 14:00; the usual for Tuesday 14:00 is 20 (±6): 48x the typical spread". */
export function explainHour(hour: SpikeHour, timeZone: string): string {
  const local = zonedTime(hour.start, timeZone);
  const at = clock(hour.start, timeZone);
  const partial = hour.coverage < 1;
  const observed = partial
    ? `${count.format(hour.value)} failures in the first ${Math.round(hour.coverage * 60)} minutes of the hour from ${at}`
    : `${count.format(hour.value)} failures in the hour from ${at}`;
  const usualFor =
    hour.basis === "seasonal"
      ? `the usual for ${partial ? "that part of " : ""}${WEEKDAY_NAMES[local.weekday]} ${at}`
      : `the usual ${partial ? "for that long " : ""}over the previous day`;
  const times = hour.score >= 10 ? count.format(Math.floor(hour.score)) : small.format(hour.score);
  return `${observed}; ${usualFor} is ${small.format(hour.expected)} (±${small.format(hour.spread)}): ${times}x the typical spread`;
}

// Many series share one hourly axis: remember each hour's slot instead of asking Intl again.
const slotCache = new Map<string, number>();

function hourOfWeek(start: number, timeZone: string): number {
  const key = `${timeZone}|${start}`;
  let slot = slotCache.get(key);
  if (slot === undefined) {
    const local = zonedTime(start, timeZone);
    slot = local.weekday * 24 + local.hour;
    if (slotCache.size >= 50_000) slotCache.clear();
    slotCache.set(key, slot);
  }
  return slot;
}

function clock(instant: number, timeZone: string): string {
  const t = zonedTime(instant, timeZone);
  return `${String(t.hour).padStart(2, "0")}:${String(t.minute).padStart(2, "0")}`;
}

function isCount(value: number): boolean {
  return Number.isFinite(value) && value >= 0;
}

function clampCoverage(coverage: number | undefined): number {
  return coverage !== undefined && Number.isFinite(coverage) && coverage > 0 && coverage < 1 ? coverage : 1;
}

function trim(values: number[], max: number): void {
  if (values.length > max) values.splice(0, values.length - max);
}
