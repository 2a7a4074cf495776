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

  it("maps a spike to the buckets it covers, clipped to the chart, each opening the explorer without a pattern", () => {
    const spikes = [
      { from: START + HOUR, to: START + 3 * HOUR, cause: "missing-scope" },
      { from: START - 5 * HOUR, to: START + HOUR, cause: "cors" },
      { from: START + 10 * HOUR, to: START + 20 * HOUR, cause: "cors" },
    ];
    const explore = new URLSearchParams({ realm: "acme", tz: "UTC", range: "24h" });
    expect(toFailureChartData(series(4), spikes, "UTC", { explore }).spikes).toEqual([
      {
        first: 1,
        last: 2,
        label: "Missing scope",
        when: "Tue 10 Mar 01:00–03:00",
        href: "/events?realm=acme&tz=UTC&from=2026-03-10T01%3A00&to=2026-03-10T02%3A59",
      },
      {
        first: 0,
        last: 0,
        label: "CORS origin rejected",
        when: "Mon 09 Mar 19:00 to Tue 10 Mar 01:00",
        href: "/events?realm=acme&tz=UTC&from=2026-03-09T19%3A00&to=2026-03-10T00%3A59",
      },
    ]);
  });

  it("opens each bar's failures in the explorer, from its first minute to its last on the viewer's clock", () => {
    const explore = new URLSearchParams({
      realm: "acme",
      tz: "Asia/Kolkata",
      range: "7d",
      outcome: "failures",
    });
    const data = toFailureChartData(series(2), [], "Asia/Kolkata", { explore });
    expect(data.buckets.map((b) => b.href)).toEqual([
      "/events?realm=acme&tz=Asia%2FKolkata&outcome=failures&from=2026-03-10T05%3A30&to=2026-03-10T06%3A29",
      "/events?realm=acme&tz=Asia%2FKolkata&outcome=failures&from=2026-03-10T06%3A30&to=2026-03-10T07%3A29",
    ]);
    expect(data.bucket).toBe("hour");
  });

  it("opens a spike's pattern when it has one", () => {
    const spikes = [{ from: START + HOUR, to: START + 2 * HOUR, cause: "cors", patternId: "p-1" }];
    expect(toFailureChartData(series(4), spikes, "UTC").spikes[0]?.href).toBe("/patterns/p-1?tz=UTC");
  });

  it("shades only the bars the spike's extra failures make up a quarter or more of", () => {
    // Bars of 0, 1, 2, 3 failures; the spike has 6 failures over 3 hours where 3 are usual: 1 extra per hour.
    const spike = { from: START + HOUR, to: START + 4 * HOUR, cause: "cors", observed: 6, expected: 3 };
    const data = toFailureChartData(series(5), [spike], "UTC");
    // 1 extra of 1 (100%), of 2 (50%), of 3 (33%): all shaded; 0.6 extra an hour: 20% of the bar of 3, not shaded.
    expect(data.spikes.map((s) => [s.first, s.last])).toEqual([[1, 3]]);
    const small = { ...spike, observed: 4.8 };
    expect(toFailureChartData(series(5), [small], "UTC").spikes.map((s) => [s.first, s.last])).toEqual([
      [1, 2],
    ]);
  });

  it("says a spike covering the whole chart in words instead of shading every bar", () => {
    const spike = {
      from: START - HOUR,
      to: START + 10 * HOUR,
      cause: "missing-scope",
      observed: 99,
      expected: 1,
    };
    const data = toFailureChartData(series(3), [spike], "UTC");
    expect(data.spikes).toEqual([]);
    expect(data.around?.label).toBe("Missing scope, Mon 09 Mar 23:00 to Tue 10 Mar 10:00");
  });

  it("marks admin changes once per bar, named, linking to them among the admin events", () => {
    const change = (minute: number, kind: "client-updated" | "realm-updated") => ({
      time: START + minute * 60_000 + 5_000,
      sourceId: "s-1",
      realm: "acme",
      operationType: "UPDATE",
      kind,
    });
    const data = toFailureChartData(series(3), [], "UTC", {
      explore: new URLSearchParams({ tz: "UTC" }),
      changes: [change(70, "client-updated"), change(65, "realm-updated"), change(600, "realm-updated")],
    });
    expect(data.marks).toEqual([
      {
        index: 1,
        title:
          "2 admin changes: Realm settings updated (UPDATE) at 2026-03-10 01:05; Client settings updated (UPDATE) at 2026-03-10 01:10",
        href: "/events?tab=admin&tz=UTC&source=s-1&realm=acme&from=2026-03-10T01%3A05&to=2026-03-10T01%3A10",
        kind: "admin",
      },
    ]);
  });

  it("marks a Keycloak version change in its bar, naming the source and both versions", () => {
    const data = toFailureChartData(series(3), [], "UTC", {
      explore: new URLSearchParams({ tz: "UTC" }),
      versions: [
        {
          time: START + 2 * HOUR + 60_000,
          sourceId: "s-1",
          sourceName: "prod",
          previous: "26.1.3",
          version: "26.6.3",
        },
        // Outside the chart: not marked.
        {
          time: START + 9 * HOUR,
          sourceId: "s-1",
          sourceName: "prod",
          previous: "26.6.3",
          version: "26.6.4",
        },
      ],
    });
    expect(data.marks).toEqual([
      {
        index: 2,
        kind: "version",
        title: "Keycloak of prod: 26.1.3 → 26.6.3, detected at 2026-03-10 02:01",
        href: "/sources",
      },
    ]);
  });
});
