import { describe, expect, it } from "vitest";
import { CAUSE_COLORS } from "@/app/_components/format/cause-colors";
import { toFailureChartData } from "@/app/_components/format/failure-chart-data";
import type { FailureSeries } from "@/lib/queries/overview/failure-series";

const HOUR = 3_600_000;
const START = Date.parse("2026-03-10T00:00:00Z");

function series(hours: number, previous?: number[]): FailureSeries {
  return {
    bucket: "hour",
    timeZone: "Asia/Kolkata",
    buckets: Array.from({ length: hours }, (_, i) => ({
      start: START + i * HOUR,
      end: START + (i + 1) * HOUR,
      total: i,
      values: (i === 0 ? {} : { "missing-scope": i, "cause-from-the-future": 0 }) as Record<string, number>,
    })),
    causes: ["missing-scope", "cause-from-the-future"],
    total: (hours * (hours - 1)) / 2,
    ...(previous
      ? { previous: { range: { from: START - hours * HOUR, to: START }, total: 0, totals: previous } }
      : {}),
  };
}

describe("the denial chart's data", () => {
  it("labels buckets on the viewer's clock and gives each cause its title and fixed colour", () => {
    const data = toFailureChartData(series(3), [], "Asia/Kolkata");
    expect(data.buckets.map((b) => b.label)).toEqual(["05:30", "06:30", "07:30"]);
    expect(data.causes).toEqual([
      { id: "missing-scope", title: "Missing scope", color: CAUSE_COLORS["missing-scope"] },
      { id: "cause-from-the-future", title: "cause-from-the-future", color: expect.any(String) },
    ]);
    expect(data.hasPrevious).toBe(false);
  });

  it("carries the previous period bucket by bucket when compared", () => {
    const data = toFailureChartData(series(3, [7, 8, 9]), [], "UTC");
    expect(data.buckets.map((b) => b.previous)).toEqual([7, 8, 9]);
    expect(data.hasPrevious).toBe(true);
  });

  it("maps a spike to the buckets it covers, clipped to the chart", () => {
    const spikes = [
      { from: START + HOUR, to: START + 3 * HOUR, cause: "missing-scope" },
      { from: START - 5 * HOUR, to: START + HOUR, cause: "cors" },
      { from: START + 10 * HOUR, to: START + 20 * HOUR, cause: "cors" },
    ];
    expect(toFailureChartData(series(4), spikes, "UTC").spikes).toEqual([
      { first: 1, last: 2, label: "Missing scope" },
      { first: 0, last: 0, label: "CORS origin rejected" },
    ]);
  });
});
