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
