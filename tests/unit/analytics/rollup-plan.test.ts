import { describe, expect, it } from "vitest";
import { coverRange, splitHours } from "@/lib/analytics/rollup-plan";
import { timeBuckets } from "@/lib/time/time-buckets";

const utc = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

describe("splitHours", () => {
  it("reads nothing by minute when bucket boundaries fall on UTC hours (Berlin, across DST)", () => {
    const buckets = timeBuckets(
      { from: utc("2026-03-27T12:00:00Z"), to: utc("2026-03-31T12:00:00Z") },
      "day",
      "Europe/Berlin",
    );
    expect(splitHours(buckets)).toEqual([]);
  });

  it("reads the hour around each Kolkata midnight by minute", () => {
    const buckets = timeBuckets(
      { from: utc("2026-05-01T12:00:00Z"), to: utc("2026-05-03T12:00:00Z") },
      "day",
      "Asia/Kolkata",
    );
    expect(splitHours(buckets).map(iso)).toEqual([
      "2026-04-30T18:00:00.000Z",
      "2026-05-01T18:00:00.000Z",
      "2026-05-02T18:00:00.000Z",
      "2026-05-03T18:00:00.000Z",
    ]);
  });
});

describe("coverRange", () => {
  it("covers a range with whole days, whole hours and minutes, without overlap", () => {
    const cover = coverRange({ from: utc("2026-05-01T10:17:00Z"), to: utc("2026-05-04T08:30:00Z") });
    const show = (ranges: { from: number; to: number }[]) =>
      ranges.map((r) => `${iso(r.from)}..${iso(r.to)}`);
    expect(show(cover.minutes)).toEqual([
      "2026-05-01T10:17:00.000Z..2026-05-01T11:00:00.000Z",
      "2026-05-04T08:00:00.000Z..2026-05-04T08:30:00.000Z",
    ]);
    expect(show(cover.hours)).toEqual([
      "2026-05-01T11:00:00.000Z..2026-05-02T00:00:00.000Z",
      "2026-05-04T00:00:00.000Z..2026-05-04T08:00:00.000Z",
    ]);
    expect(show(cover.days)).toEqual(["2026-05-02T00:00:00.000Z..2026-05-04T00:00:00.000Z"]);
  });

  it("uses minutes alone inside one hour, and hours alone inside one day", () => {
    expect(coverRange({ from: utc("2026-05-01T10:17:00Z"), to: utc("2026-05-01T10:40:00Z") })).toEqual({
      days: [],
      hours: [],
      minutes: [{ from: utc("2026-05-01T10:17:00Z"), to: utc("2026-05-01T10:40:00Z") }],
    });
    expect(coverRange({ from: utc("2026-05-01T10:00:00Z"), to: utc("2026-05-01T20:00:00Z") })).toEqual({
      days: [],
      hours: [{ from: utc("2026-05-01T10:00:00Z"), to: utc("2026-05-01T20:00:00Z") }],
      minutes: [],
    });
  });

  it("is empty for an empty range", () => {
    const at = utc("2026-05-01T10:00:00Z");
    expect(coverRange({ from: at, to: at })).toEqual({ days: [], hours: [], minutes: [] });
  });
});
