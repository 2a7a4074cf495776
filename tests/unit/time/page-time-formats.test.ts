import { describe, expect, it } from "vitest";
import { formatClock } from "@/lib/time/format";
import { liveIntervalMs } from "@/lib/time/live-interval";

describe("the live interval in the URL", () => {
  it("is 30 s without a value, off when off, and seconds or minutes as written", () => {
    expect(liveIntervalMs(null)).toBe(30_000);
    expect(liveIntervalMs("off")).toBeNull();
    expect(liveIntervalMs("10s")).toBe(10_000);
    expect(liveIntervalMs("1m")).toBe(60_000);
    expect(liveIntervalMs("2s")).toBe(2_000);
  });

  it("falls back to the default for a value out of bounds or unreadable, so a typo keeps the page", () => {
    for (const bad of ["0s", "2h", "61m", "fast", "-5s", "5"]) expect(liveIntervalMs(bad)).toBe(30_000);
  });
});

describe("the updated-at stamp", () => {
  it("is the time of day on the page's clock", () => {
    const t = Date.parse("2026-03-01T13:05:03.400Z");
    expect(formatClock(t, "UTC")).toBe("13:05:03");
    expect(formatClock(t, "Europe/Berlin")).toBe("14:05:03");
  });
});

describe("an instant in a From/To field", () => {
  it("reads on the wall clock, as precise as needed, and parses back to the same range", async () => {
    const { parseInstant } = await import("@/lib/time/time-range");
    const { formatInstantInput } = await import("@/lib/time/format");
    const first = Date.parse("2026-03-01T13:05:00.000Z");
    const last = Date.parse("2026-03-01T15:00:00.000Z") - 1;
    expect(formatInstantInput(first, "Europe/Berlin", "start")).toBe("2026-03-01T14:05");
    expect(formatInstantInput(last, "Europe/Berlin", "end")).toBe("2026-03-01T15:59");
    for (const [ms, edge] of [
      [first, "start"],
      [last, "end"],
      [first + 7_000, "start"],
      [first + 7_123, "start"],
      [first + 6_999, "end"],
      [first + 7_122, "end"],
    ] as const) {
      const text = formatInstantInput(ms, "Asia/Kolkata", edge);
      expect(parseInstant(text, "Asia/Kolkata", edge), text).toBe(edge === "end" ? ms + 1 : ms);
    }
  });
});
