import { describe, expect, it } from "vitest";
import type { FailureSpike } from "@/lib/queries/overview/detect-failure-spikes";
import type { PatternInRange } from "@/lib/queries/patterns/patterns-in-range";
import { linkSpikesToPatterns } from "@/lib/screens/overview/link-spikes";

const HOUR = 3_600_000;
const T = Date.parse("2026-03-10T06:00:00Z");

function spike(cause: string, others: string[] = []): FailureSpike {
  return {
    from: T,
    to: T + 3 * HOUR,
    hours: 3,
    observed: 300,
    expected: 30,
    peak: { start: T, value: 120, coverage: 1, score: 9, expected: 10, spread: 3, basis: "seasonal" },
    score: 9,
    ongoing: false,
    explanation: "",
    summary: "",
    cause,
    causes: [cause, ...others].map((c, i) => ({ cause: c, share: 1 / (i + 1) })),
  };
}

function pattern(id: string, cause: string, from: number, to: number, eventCount = 10): PatternInRange {
  return { id, cause, clientId: null, firstSeen: from, lastSeen: to, eventCount };
}

describe("linking spikes to their patterns", () => {
  it("takes the pattern of the spike's cause active during the spike, the listed (largest) first", () => {
    const patterns = [
      pattern("before", "cors", T - 10 * HOUR, T - HOUR),
      pattern("big", "cors", T + HOUR, T + 9 * HOUR, 900),
      pattern("small", "cors", T, T + HOUR, 20),
    ];
    expect(linkSpikesToPatterns([spike("cors")], patterns)[0]?.patternId).toBe("big");
  });

  it("falls back to another cause behind the increase, in order of share, and to none", () => {
    const patterns = [
      pattern("role", "missing-role", T, T + HOUR),
      pattern("aud", "wrong-audience", T, T + HOUR),
    ];
    const linked = linkSpikesToPatterns(
      [spike("cors", ["wrong-audience", "missing-role"]), spike("cors", ["user-state"])],
      patterns,
    );
    expect(linked.map((s) => s.patternId)).toEqual(["aud", null]);
  });

  it("counts a pattern last seen in the spike's first instant, not one first seen at its end", () => {
    const patterns = [
      pattern("ended", "cors", T - HOUR, T),
      pattern("later", "cors", T + 3 * HOUR, T + 5 * HOUR),
    ];
    expect(linkSpikesToPatterns([spike("cors")], patterns)[0]?.patternId).toBe("ended");
  });
});
