import type { SeriesPoint } from "@/lib/analytics/spikes";

export const HOUR = 3_600_000;
export const WEEK = 7 * 24 * HOUR;

/**
 * mulberry32, so every synthetic series is the same on every run. The one generator not shared with the demo
 * (testkit/seeded-random.ts): the spike tests were written against this stream's noise, and with the demo's
 * generator three of them see other noise (an extra spike in a level shift, a usual Monday peak flagged).
 */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A Poisson count (Knuth's method; fine for the means used here, up to a few hundred). */
export function poisson(random: () => number, mean: number): number {
  if (mean <= 0) return 0;
  const limit = Math.exp(-mean);
  let k = 0;
  let p = random();
  while (p > limit) {
    k++;
    p *= random();
  }
  return k;
}

/** An hourly series: `mean(start)` failures expected per hour, drawn as Poisson counts when a seed is given. */
export function hourlySeries(opts: {
  from: number;
  hours: number;
  mean: (start: number, index: number) => number;
  seed?: number;
}): SeriesPoint[] {
  const random = opts.seed === undefined ? null : seededRandom(opts.seed);
  return Array.from({ length: opts.hours }, (_, i) => {
    const start = opts.from + i * HOUR;
    const mean = opts.mean(start, i);
    return { start, value: random ? poisson(random, mean) : mean };
  });
}

/** The series with the value of the hour starting at `start` replaced. */
export function withValue(points: SeriesPoint[], start: number, value: number | null): SeriesPoint[] {
  return points.map((p) => (p.start === start ? { ...p, value } : p));
}
