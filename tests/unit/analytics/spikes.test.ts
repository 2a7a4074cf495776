import { describe, expect, it } from "vitest";
import { detectSpikes, markGaps, type Spike } from "@/lib/analytics/spikes";
import { zonedTime } from "@/lib/time/zoned-time";
import { HOUR, hourlySeries, WEEK, withValue } from "@/testkit/synthetic-series";

const MONDAY = Date.parse("2026-05-04T00:00:00Z");
const FIVE_WEEKS = (5 * WEEK) / HOUR;
const TUESDAY_14 = Date.parse("2026-06-02T14:00:00Z");

/** Failures by local hour of the week: 20 an hour, 200 on Monday 09:00-10:00. */
function mondayMorningPeak(timeZone: string) {
  return (start: number) => {
    const t = zonedTime(start, timeZone);
    return t.weekday === 0 && t.hour === 9 ? 200 : 20;
  };
}

describe("detectSpikes", () => {
  it("finds nothing in five weeks of steady noise", () => {
    for (const seed of [1, 2, 3]) {
      const points = hourlySeries({ from: MONDAY, hours: FIVE_WEEKS, mean: () => 20, seed });
      expect(detectSpikes(points, { timeZone: "UTC" })).toEqual([]);
    }
  });

  it("does not make an incident of a few failures after a silent month", () => {
    const silent = hourlySeries({ from: MONDAY, hours: FIVE_WEEKS, mean: () => 0 });
    expect(detectSpikes(withValue(silent, TUESDAY_14, 1), { timeZone: "UTC" })).toEqual([]);
    expect(detectSpikes(withValue(silent, TUESDAY_14, 9), { timeZone: "UTC" })).toEqual([]);
    const spikes = detectSpikes(withValue(silent, TUESDAY_14, 30), { timeZone: "UTC" });
    expect(spikes.map((s) => s.from)).toEqual([TUESDAY_14]);
  });

  it("finds a single spike and explains it against the usual for that hour of the week", () => {
    const steady = hourlySeries({ from: MONDAY, hours: FIVE_WEEKS, mean: () => 20 });
    const [spike, ...rest] = detectSpikes(withValue(steady, TUESDAY_14, 312), { timeZone: "UTC" });
    expect(rest).toEqual([]);
    expect(spike).toMatchObject({
      from: TUESDAY_14,
      to: TUESDAY_14 + HOUR,
      hours: 1,
      observed: 312,
      ongoing: false,
    });
    expect(spike?.expected).toBe(20);
    expect(spike?.explanation).toBe(
      "312 failures in the hour from 14:00; the usual for Tuesday 14:00 is 20 (±4.5): 65x the typical spread",
    );
  });

  it("finds the same spike in noisy data, with a baseline close to the true level", () => {
    const noisy = hourlySeries({ from: MONDAY, hours: FIVE_WEEKS, mean: () => 20, seed: 7 });
    const spikes = detectSpikes(withValue(noisy, TUESDAY_14, 312), { timeZone: "UTC" });
    expect(spikes).toHaveLength(1);
    expect(spikes[0]?.peak.expected).toBeGreaterThan(14);
    expect(spikes[0]?.peak.expected).toBeLessThan(26);
    expect(spikes[0]?.explanation).toMatch(
      /^312 failures in the hour from 14:00; the usual for Tuesday 14:00 is \d+(\.\d)? \(±\d+(\.\d)?\): \d+x the typical spread$/,
    );
  });

  it("reports a ramp to a new level once, as one spike that is still going on", () => {
    const rampStart = FIVE_WEEKS - 24;
    const points = hourlySeries({
      from: MONDAY,
      hours: FIVE_WEEKS,
      seed: 11,
      mean: (_, i) => (i < rampStart ? 20 : 20 + Math.min(10, i - rampStart) * 18),
    });
    const spikes = detectSpikes(points, { timeZone: "UTC" });
    expect(spikes).toHaveLength(1);
    const [spike] = spikes;
    expect(spike?.ongoing).toBe(true);
    expect(spike?.from).toBeGreaterThan(MONDAY + rampStart * HOUR);
    expect(spike?.from).toBeLessThan(MONDAY + (rampStart + 10) * HOUR);
    expect(spike?.to).toBe(MONDAY + FIVE_WEEKS * HOUR);
    expect(spike?.summary).toContain("still going on");
  });

  it("ends a level shift when failures return to normal", () => {
    const shift = FIVE_WEEKS - 48;
    const points = hourlySeries({
      from: MONDAY,
      hours: FIVE_WEEKS,
      seed: 12,
      mean: (_, i) => (i >= shift && i < shift + 12 ? 120 : 20),
    });
    const spikes = detectSpikes(points, { timeZone: "UTC" });
    expect(spikes).toHaveLength(1);
    expect(spikes[0]).toMatchObject({ from: MONDAY + shift * HOUR, hours: 12, ongoing: false });
  });

  it("knows the Monday morning peak is usual, and a Tuesday one is not", () => {
    const points = hourlySeries({ from: MONDAY, hours: FIVE_WEEKS, seed: 5, mean: mondayMorningPeak("UTC") });
    const afterTwoWeeks = (spikes: { from: number }[]) => spikes.filter((s) => s.from >= MONDAY + 2 * WEEK);
    expect(afterTwoWeeks(detectSpikes(points, { timeZone: "UTC" }))).toEqual([]);

    const tuesdayNine = Date.parse("2026-06-02T09:00:00Z");
    const spikes = afterTwoWeeks(detectSpikes(withValue(points, tuesdayNine, 200), { timeZone: "UTC" }));
    expect(spikes.map((s) => s.from)).toEqual([tuesdayNine]);
  });

  it("follows the viewer's wall clock across a DST change (Europe/Berlin, 2026-03-29)", () => {
    const zone = "Europe/Berlin";
    const from = Date.parse("2026-03-01T23:00:00Z"); // Monday 2 March, 00:00 CET
    const points = hourlySeries({ from, hours: FIVE_WEEKS, seed: 9, mean: mondayMorningPeak(zone) });
    const afterTwoWeeks = (spikes: { from: number }[]) => spikes.filter((s) => s.from >= from + 2 * WEEK);
    expect(afterTwoWeeks(detectSpikes(points, { timeZone: zone }))).toEqual([]);
    // The same data judged on UTC hours sees the first peak after the change (07:00Z, an hour early) as a spike.
    const onUtc = afterTwoWeeks(detectSpikes(points, { timeZone: "UTC" }));
    expect(onUtc.map((s) => new Date(s.from).toISOString())).toContain("2026-03-30T07:00:00.000Z");
  });

  it("excludes event gaps from the baseline: missing data is not zero", () => {
    const points = hourlySeries({ from: MONDAY, hours: FIVE_WEEKS, seed: 5, mean: mondayMorningPeak("UTC") });
    const lastMonday = MONDAY + 4 * WEEK;
    const peak = lastMonday + 9 * HOUR;
    // Two earlier Monday mornings lost to event expiry: the database has no rows, so the query says 0.
    const lost = [
      { from: lastMonday - WEEK + 6 * HOUR, to: lastMonday - WEEK + 12 * HOUR },
      { from: lastMonday - 2 * WEEK + 6 * HOUR, to: lastMonday - 2 * WEEK + 12 * HOUR },
    ];
    let asZero = withValue(points, peak, 450);
    for (const gap of lost) for (let t = gap.from; t < gap.to; t += HOUR) asZero = withValue(asZero, t, 0);
    const lastWeek = (spikes: Spike[]) => spikes.filter((s) => s.from >= lastMonday);

    const [spike, ...rest] = lastWeek(detectSpikes(markGaps(asZero, lost), { timeZone: "UTC" }));
    expect(rest).toEqual([]);
    expect(spike?.from).toBe(peak);
    expect(spike?.explanation).toContain("the usual for Monday 09:00 is");
    expect(spike?.peak.expected).toBeGreaterThan(150);
    // Read as zeros, the lost mornings halve the usual Monday peak and widen its spread: the spike is missed.
    expect(lastWeek(detectSpikes(asZero, { timeZone: "UTC" }))).toEqual([]);
  });

  it("never reports an hour whose data is missing", () => {
    const steady = hourlySeries({ from: MONDAY, hours: FIVE_WEEKS, mean: () => 20 });
    const gap = { from: TUESDAY_14, to: TUESDAY_14 + HOUR };
    expect(detectSpikes(markGaps(withValue(steady, TUESDAY_14, 312), [gap]), { timeZone: "UTC" })).toEqual(
      [],
    );
  });

  it("judges the hour in progress against the part of the usual hour that has passed", () => {
    const steady = hourlySeries({ from: MONDAY, hours: FIVE_WEEKS, mean: () => 20 });
    const last = steady[steady.length - 1]!;
    const partial = (value: number) => [...steady.slice(0, -1), { start: last.start, value, coverage: 0.25 }];
    expect(detectSpikes(partial(6), { timeZone: "UTC" })).toEqual([]);
    const [spike] = detectSpikes(partial(60), { timeZone: "UTC" });
    expect(spike?.ongoing).toBe(true);
    expect(spike?.explanation).toMatch(
      /^60 failures in the first 15 minutes of the hour from 23:00; the usual for that part of Sunday 23:00 is 5 /,
    );
  });

  it("falls back to the previous day's level while there is less than two weeks of history", () => {
    const points = hourlySeries({ from: MONDAY, hours: 72, mean: () => 20 });
    const [spike] = detectSpikes(withValue(points, MONDAY + 60 * HOUR, 150), { timeZone: "UTC" });
    expect(spike?.peak.basis).toBe("recent");
    expect(spike?.explanation).toContain("the usual over the previous day is 20");
  });

  it("judges only the hours a caller asks for, still learning the baseline from the rest", () => {
    const steady = hourlySeries({ from: MONDAY, hours: FIVE_WEEKS, mean: () => 20 });
    const spiked = withValue(steady, TUESDAY_14, 312);
    expect(detectSpikes(spiked, { timeZone: "UTC", judgeFrom: TUESDAY_14 + HOUR })).toEqual([]);
    const [spike] = detectSpikes(spiked, { timeZone: "UTC", judgeFrom: TUESDAY_14 - 24 * HOUR });
    expect(spike?.explanation).toContain("the usual for Tuesday 14:00 is 20");
  });

  it("treats values that are not counts as unknown", () => {
    const steady = hourlySeries({ from: MONDAY, hours: FIVE_WEEKS, mean: () => 20 });
    const broken = withValue(withValue(steady, TUESDAY_14, Number.NaN), TUESDAY_14 + HOUR, -5);
    expect(detectSpikes(broken, { timeZone: "UTC" })).toEqual([]);
  });
});
