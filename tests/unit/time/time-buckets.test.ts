import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/server/errors";
import { chooseBucket } from "@/lib/time/choose-bucket";
import {
  alignRange,
  bucketStart,
  fillBuckets,
  MAX_BUCKETS,
  previousPeriod,
  timeBuckets,
} from "@/lib/time/time-buckets";
import { instantOfWallClock, isTimeZone, zonedTime } from "@/lib/time/zoned-time";

const utc = (iso: string) => Date.parse(iso);
const HOUR = 3_600_000;
const MINUTE = 60_000;

/** How a viewer in the zone reads an instant, e.g. "2026-03-29 03:00 +02:00". */
function local(instant: number, timeZone: string): string {
  const t = zonedTime(instant, timeZone);
  const pad = (n: number) => String(n).padStart(2, "0");
  const off = Math.abs(t.offsetMs) / MINUTE;
  const sign = t.offsetMs < 0 ? "-" : "+";
  return `${t.year}-${pad(t.month)}-${pad(t.day)} ${pad(t.hour)}:${pad(t.minute)} ${sign}${pad(Math.floor(off / 60))}:${pad(off % 60)}`;
}

describe("chooseBucket", () => {
  const cases = [
    { span: 15 * MINUTE, bucket: "minute" },
    { span: 60 * MINUTE, bucket: "minute" },
    { span: 61 * MINUTE, bucket: "hour" },
    { span: 24 * HOUR, bucket: "hour" },
    { span: 48 * HOUR, bucket: "hour" },
    { span: 48 * HOUR + MINUTE, bucket: "day" },
    { span: 30 * 24 * HOUR, bucket: "day" },
  ] as const;
  for (const { span, bucket } of cases) {
    it(`a span of ${span / MINUTE} minutes is shown by ${bucket}`, () => {
      const from = utc("2026-05-01T00:00:00Z");
      expect(chooseBucket({ from, to: from + span })).toBe(bucket);
    });
  }
});

describe("day buckets follow the viewer's calendar", () => {
  const cases = [
    { zone: "Europe/Berlin", day: "2026-03-29", start: "2026-03-28T23:00:00Z", hours: 23 },
    { zone: "Europe/Berlin", day: "2026-10-25", start: "2026-10-24T22:00:00Z", hours: 25 },
    { zone: "Europe/Berlin", day: "2026-06-10", start: "2026-06-09T22:00:00Z", hours: 24 },
    { zone: "America/New_York", day: "2026-03-08", start: "2026-03-08T05:00:00Z", hours: 23 },
    { zone: "America/New_York", day: "2026-11-01", start: "2026-11-01T04:00:00Z", hours: 25 },
    { zone: "Asia/Kolkata", day: "2026-03-29", start: "2026-03-28T18:30:00Z", hours: 24 },
    { zone: "UTC", day: "2026-03-29", start: "2026-03-29T00:00:00Z", hours: 24 },
  ];
  for (const { zone, day, start, hours } of cases) {
    it(`${day} in ${zone} starts at ${start} and lasts ${hours} hours`, () => {
      const noon = utc(start) + 12 * HOUR;
      const [bucket] = timeBuckets({ from: noon, to: noon + 1 }, "day", zone);
      expect(bucket?.start).toBe(utc(start));
      expect(((bucket?.end ?? 0) - (bucket?.start ?? 0)) / HOUR).toBe(hours);
      expect(local(bucket?.start ?? 0, zone).slice(0, 16)).toBe(`${day} 00:00`);
    });
  }

  it("a week of day buckets across the spring change is seven local midnights", () => {
    const zone = "Europe/Berlin";
    const buckets = timeBuckets(
      { from: utc("2026-03-25T23:00:00Z"), to: utc("2026-04-01T22:00:00Z") },
      "day",
      zone,
    );
    expect(buckets.map((b) => local(b.start, zone))).toEqual([
      "2026-03-26 00:00 +01:00",
      "2026-03-27 00:00 +01:00",
      "2026-03-28 00:00 +01:00",
      "2026-03-29 00:00 +01:00",
      "2026-03-30 00:00 +02:00",
      "2026-03-31 00:00 +02:00",
      "2026-04-01 00:00 +02:00",
    ]);
  });

  it("a day whose midnight is skipped starts when the clocks jump (America/Santiago, 2026-09-06)", () => {
    const zone = "America/Santiago";
    const start = bucketStart(utc("2026-09-06T15:00:00Z"), "day", zone);
    expect(local(start, zone)).toBe("2026-09-06 01:00 -03:00");
    expect(start).toBe(utc("2026-09-06T04:00:00Z"));
  });
});

describe("hour buckets across a DST change", () => {
  it("Berlin, spring forward: 02:00 does not exist, every bucket is one real hour", () => {
    const zone = "Europe/Berlin";
    const buckets = timeBuckets(
      { from: utc("2026-03-28T23:00:00Z"), to: utc("2026-03-29T03:00:00Z") },
      "hour",
      zone,
    );
    expect(buckets.map((b) => local(b.start, zone))).toEqual([
      "2026-03-29 00:00 +01:00",
      "2026-03-29 01:00 +01:00",
      "2026-03-29 03:00 +02:00",
      "2026-03-29 04:00 +02:00",
    ]);
    expect(buckets.every((b) => b.end - b.start === HOUR)).toBe(true);
  });

  it("Berlin, fall back: 02:00 happens twice and each is its own bucket", () => {
    const zone = "Europe/Berlin";
    const buckets = timeBuckets(
      { from: utc("2026-10-24T23:00:00Z"), to: utc("2026-10-25T03:00:00Z") },
      "hour",
      zone,
    );
    expect(buckets.map((b) => local(b.start, zone))).toEqual([
      "2026-10-25 01:00 +02:00",
      "2026-10-25 02:00 +02:00",
      "2026-10-25 02:00 +01:00",
      "2026-10-25 03:00 +01:00",
    ]);
    expect(buckets.every((b) => b.end - b.start === HOUR)).toBe(true);
    expect(bucketStart(utc("2026-10-25T00:59:59Z"), "hour", zone)).toBe(utc("2026-10-25T00:00:00Z"));
    expect(bucketStart(utc("2026-10-25T01:00:00Z"), "hour", zone)).toBe(utc("2026-10-25T01:00:00Z"));
  });

  it("New York, fall back: the repeated 01:00 hour is two buckets", () => {
    const zone = "America/New_York";
    const buckets = timeBuckets(
      { from: utc("2026-11-01T04:00:00Z"), to: utc("2026-11-01T08:00:00Z") },
      "hour",
      zone,
    );
    expect(buckets.map((b) => local(b.start, zone))).toEqual([
      "2026-11-01 00:00 -04:00",
      "2026-11-01 01:00 -04:00",
      "2026-11-01 01:00 -05:00",
      "2026-11-01 02:00 -05:00",
    ]);
  });

  it("Kolkata (+05:30): hour buckets start on the local hour, half past in UTC", () => {
    const zone = "Asia/Kolkata";
    const buckets = timeBuckets(
      { from: utc("2026-05-01T10:00:00Z"), to: utc("2026-05-01T12:00:00Z") },
      "hour",
      zone,
    );
    expect(buckets.map((b) => new Date(b.start).toISOString())).toEqual([
      "2026-05-01T09:30:00.000Z",
      "2026-05-01T10:30:00.000Z",
      "2026-05-01T11:30:00.000Z",
    ]);
  });

  it("Lord Howe (30-minute DST): the hour when clocks go back half an hour lasts 90 minutes", () => {
    const zone = "Australia/Lord_Howe";
    const buckets = timeBuckets(
      { from: utc("2026-04-04T13:00:00Z"), to: utc("2026-04-04T17:00:00Z") },
      "hour",
      zone,
    );
    expect(buckets.map((b) => [local(b.start, zone), (b.end - b.start) / MINUTE])).toEqual([
      ["2026-04-05 00:00 +11:00", 60],
      ["2026-04-05 01:00 +11:00", 90],
      ["2026-04-05 02:00 +10:30", 60],
      ["2026-04-05 03:00 +10:30", 60],
    ]);
  });
});

describe("minute buckets", () => {
  it("cover the range, the first holding `from` and the last holding the instant before `to`", () => {
    const buckets = timeBuckets(
      { from: utc("2026-05-01T10:00:30Z"), to: utc("2026-05-01T10:03:00Z") },
      "minute",
      "Asia/Kolkata",
    );
    expect(buckets.map((b) => new Date(b.start).toISOString().slice(11, 19))).toEqual([
      "10:00:00",
      "10:01:00",
      "10:02:00",
    ]);
  });

  it("refuse a range that would draw more points than a chart can hold", () => {
    const from = utc("2026-05-01T00:00:00Z");
    const tooMany = () => timeBuckets({ from, to: from + (MAX_BUCKETS + 1) * MINUTE }, "minute", "UTC");
    expect(tooMany).toThrow(AppError);
    expect(tooMany).toThrow("choose a larger bucket or a shorter range");
  });
});

describe("alignRange", () => {
  it("widens a range to whole local days", () => {
    const zone = "America/New_York";
    const aligned = alignRange(
      { from: utc("2026-03-07T15:00:00Z"), to: utc("2026-03-08T15:00:00Z") },
      "day",
      zone,
    );
    expect(local(aligned.from, zone)).toBe("2026-03-07 00:00 -05:00");
    expect(local(aligned.to, zone)).toBe("2026-03-09 00:00 -04:00");
    expect((aligned.to - aligned.from) / HOUR).toBe(47);
  });
});

describe("fillBuckets", () => {
  const buckets = timeBuckets(
    { from: utc("2026-05-01T00:00:00Z"), to: utc("2026-05-01T04:00:00Z") },
    "hour",
    "UTC",
  );

  it("shows quiet hours as zero and sums values per key", () => {
    const filled = fillBuckets(buckets, [
      { at: utc("2026-05-01T00:10:00Z"), key: "missing-role", value: 3 },
      { at: utc("2026-05-01T00:50:00Z"), key: "missing-role", value: 2 },
      { at: utc("2026-05-01T00:20:00Z"), key: "cors", value: 1 },
      { at: utc("2026-05-01T03:00:00Z"), key: "cors", value: 7 },
    ]);
    expect(filled.map((b) => b.total)).toEqual([6, 0, 0, 7]);
    expect(filled[0]?.values).toEqual({ "missing-role": 5, cors: 1 });
    expect(filled[1]?.values).toEqual({});
  });

  it("drops rows outside the buckets and values that are not numbers", () => {
    const filled = fillBuckets(buckets, [
      { at: utc("2026-04-30T23:59:59Z"), key: "cors", value: 5 },
      { at: utc("2026-05-01T04:00:00Z"), key: "cors", value: 5 },
      { at: utc("2026-05-01T01:00:00Z"), key: "cors", value: Number.NaN },
    ]);
    expect(filled.map((b) => b.total)).toEqual([0, 0, 0, 0]);
  });
});

describe("previousPeriod", () => {
  it("the 7 local days before a week that follows the spring change last 167 hours", () => {
    const zone = "Europe/Berlin";
    const week = { from: utc("2026-03-29T22:00:00Z"), to: utc("2026-04-05T22:00:00Z") };
    const previous = previousPeriod(week, zone);
    expect(local(previous.from, zone)).toBe("2026-03-23 00:00 +01:00");
    expect(previous.to).toBe(week.from);
    expect((previous.to - previous.from) / HOUR).toBe(167);
  });

  it("an unaligned range moves back by its duration", () => {
    const range = { from: utc("2026-05-01T10:17:00Z"), to: utc("2026-05-02T08:00:00Z") };
    expect(previousPeriod(range, "Asia/Kolkata")).toEqual({
      from: range.from - (range.to - range.from),
      to: range.from,
    });
  });
});

describe("zoned time", () => {
  it("knows real zones and rejects made-up ones", () => {
    expect(isTimeZone("Asia/Kolkata")).toBe(true);
    expect(isTimeZone("Mars/Olympus_Mons")).toBe(false);
    expect(isTimeZone("")).toBe(false);
    expect(isTimeZone(42)).toBe(false);
  });

  it("reads a skipped wall time with the offset from before the change", () => {
    const wall = { year: 2026, month: 3, day: 29, hour: 2, minute: 30, second: 0 };
    expect(instantOfWallClock(wall, "Europe/Berlin")).toBe(utc("2026-03-29T01:30:00Z"));
  });

  it("resolves a repeated wall time to the earlier or the later instant", () => {
    const wall = { year: 2026, month: 10, day: 25, hour: 2, minute: 30, second: 0 };
    expect(instantOfWallClock(wall, "Europe/Berlin", "earlier")).toBe(utc("2026-10-25T00:30:00Z"));
    expect(instantOfWallClock(wall, "Europe/Berlin", "later")).toBe(utc("2026-10-25T01:30:00Z"));
  });
});
