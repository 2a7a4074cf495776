import { describe, expect, it } from "vitest";
import { lagsFrom } from "@/scripts/bench/sustained";

describe("the sustained benchmark's ingest lag", () => {
  it("counts an event as stored at the first reading that reaches its time", () => {
    // Readings once a second; the newest stored event jumps by 10 s at each poll, 12 s after the events' times.
    const readings = [
      { at: 100_000, newest: 80_000 },
      { at: 101_000, newest: 80_000 },
      { at: 102_000, newest: 90_000 },
      { at: 112_000, newest: 100_000 },
    ];
    const lags = lagsFrom(readings);
    expect(lags).toHaveLength(200);
    // Events between 80 s and 90 s were stored at 102 s: 12.0-21.9 s late; between 90 s and 100 s at 112 s.
    expect(lags[0]).toBeCloseTo(12, 5);
    expect(lags.at(-1)).toBeCloseTo(21.9, 5);
    expect(lags.every((l) => l >= 12 && l < 22)).toBe(true);
  });

  it("has no lag to report without progress", () => {
    expect(lagsFrom([{ at: 1, newest: 0 }])).toEqual([]);
  });
});
