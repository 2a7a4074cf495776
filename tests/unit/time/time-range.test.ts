import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/server/errors";
import { MAX_RANGE_MS, parseInstant, RANGE_PRESETS, resolveRange } from "@/lib/time/time-range";

const NOW = Date.parse("2026-03-10T12:00:00.000Z");
const at = (iso: string) => Date.parse(iso);

/** What a user types, in which zone, and the half-open range it must mean. */
const CUSTOM_RANGES = [
  {
    name: "a whole day in Berlin (CET), end day included",
    input: { from: "2026-03-01", to: "2026-03-01" },
    tz: "Europe/Berlin",
    from: at("2026-02-28T23:00:00Z"),
    to: at("2026-03-01T23:00:00Z"),
  },
  {
    name: "the 23-hour spring-forward day in New York",
    input: { from: "2026-03-08", to: "2026-03-08" },
    tz: "America/New_York",
    from: at("2026-03-08T05:00:00Z"),
    to: at("2026-03-09T04:00:00Z"),
  },
  {
    name: "the 25-hour fall-back day in Berlin",
    input: { from: "2026-10-25", to: "2026-10-25" },
    tz: "Europe/Berlin",
    from: at("2026-10-24T22:00:00Z"),
    to: at("2026-10-25T23:00:00Z"),
  },
  {
    name: "a half-hour zone (Asia/Kolkata, +05:30)",
    input: { from: "2026-03-01", to: "2026-03-02" },
    tz: "Asia/Kolkata",
    from: at("2026-02-28T18:30:00Z"),
    to: at("2026-03-02T18:30:00Z"),
  },
  {
    name: "minutes on the wall clock, the end minute included",
    input: { from: "2026-03-01T09:15", to: "2026-03-01T09:45" },
    tz: "UTC",
    from: at("2026-03-01T09:15:00Z"),
    to: at("2026-03-01T09:46:00Z"),
  },
  {
    name: "seconds and milliseconds, the end unit included",
    input: { from: "2026-03-01 09:15:30", to: "2026-03-01T09:15:31.250" },
    tz: "UTC",
    from: at("2026-03-01T09:15:30Z"),
    to: at("2026-03-01T09:15:31.251Z"),
  },
  {
    name: "ISO times with their own offset ignore the viewer's zone",
    input: { from: "2026-03-01T10:00:00+02:00", to: "2026-03-01T12:00Z" },
    tz: "America/New_York",
    from: at("2026-03-01T08:00:00Z"),
    to: at("2026-03-01T12:01:00Z"),
  },
  {
    name: "epoch milliseconds, as Keycloak 26.2+ takes them; the end millisecond included",
    input: { from: "1772323200000", to: "1772409599999" },
    tz: "Europe/Berlin",
    from: 1772323200000,
    to: 1772409600000,
  },
] as const;

describe("custom ranges", () => {
  for (const c of CUSTOM_RANGES) {
    it(c.name, () => {
      const r = resolveRange(c.input, c.tz, NOW);
      expect({ from: r.from, to: r.to }).toEqual({ from: c.from, to: c.to });
      expect(r.preset).toBeNull();
      expect(r.fromText).toBe(c.input.from);
    });
  }

  it("defaults a missing end to now and a missing start to a day before the end", () => {
    expect(resolveRange({ from: "2026-03-10" }, "UTC", NOW)).toMatchObject({
      from: at("2026-03-10T00:00:00Z"),
      to: NOW,
    });
    const onlyTo = resolveRange({ to: "2026-03-01" }, "UTC", NOW);
    expect(onlyTo.to - onlyTo.from).toBe(RANGE_PRESETS["24h"].ms);
  });

  it.each([
    ["2026-02-30", "a day that does not exist"],
    ["2026-13-01", "a month that does not exist"],
    ["2026-03-01T24:00", "an hour that does not exist"],
    ["yesterday", "words"],
    ["2026-03-01T10:00:00+0200x", "trailing garbage"],
    ["12345", "a number too short to be epoch milliseconds"],
  ])("rejects %s (%s) with a message naming the accepted forms", (text) => {
    expect(() => resolveRange({ from: text, to: "2026-03-05" }, "UTC", NOW)).toThrow(/yyyy-MM-dd/);
  });

  it("refuses a range whose start is not before its end, and one longer than the limit", () => {
    expect(() => resolveRange({ from: "2026-03-02", to: "2026-03-01" }, "UTC", NOW)).toThrow(AppError);
    const long = new Date(NOW - MAX_RANGE_MS - 2 * 86_400_000).toISOString().slice(0, 10);
    expect(() => resolveRange({ from: long, to: "2026-03-10" }, "UTC", NOW)).toThrow(/400 days/);
  });
});

describe("presets", () => {
  it.each(Object.entries(RANGE_PRESETS))("%s ends now and spans its length", (id, preset) => {
    expect(resolveRange({ range: id }, "Europe/Berlin", NOW)).toMatchObject({
      from: NOW - preset.ms,
      to: NOW,
      preset: id,
    });
  });

  it("uses the last 24 hours when nothing is asked for, or an unknown preset", () => {
    expect(resolveRange({}, "UTC", NOW).preset).toBe("24h");
    expect(resolveRange({ range: "2y" }, "UTC", NOW).preset).toBe("24h");
  });

  it("lets a typed from/to win over a preset sent alongside (the form sends both)", () => {
    expect(resolveRange({ range: "1h", from: "2026-03-01", to: "2026-03-01" }, "UTC", NOW).preset).toBeNull();
  });
});

describe("parseInstant", () => {
  it("gives the start of a typed unit, or the instant just after it for an end", () => {
    expect(parseInstant("2026-03-01T09:15", "UTC", "start")).toBe(at("2026-03-01T09:15:00Z"));
    expect(parseInstant("2026-03-01T09:15", "UTC", "end")).toBe(at("2026-03-01T09:16:00Z"));
  });

  it("reads a wall time skipped by a DST change with the offset from before it", () => {
    // 02:30 does not exist in Berlin on 29 March 2026; it is read as 03:30 CEST.
    expect(parseInstant("2026-03-29T02:30", "Europe/Berlin", "start")).toBe(at("2026-03-29T01:30:00Z"));
  });
});
