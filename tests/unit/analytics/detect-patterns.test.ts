import { describe, expect, it } from "vitest";
import { type CauseSeries, detectPatternSpikes } from "@/lib/analytics/detect-patterns";
import { HOUR, hourlySeries, WEEK } from "./synthetic-series";

const FROM = Date.parse("2026-05-04T00:00:00Z");
const HOURS = (5 * WEEK) / HOUR;
const NOW = FROM + HOURS * HOUR;
const SPIKE = NOW - 3 * HOUR;

function series(clientId: string, usual: number, during: number): CauseSeries {
  return {
    sourceId: "s",
    realm: "acme",
    cause: "proxy-misconfig",
    clientId,
    points: hourlySeries({ from: FROM, hours: HOURS, mean: (start) => (start >= SPIKE ? during : usual) }),
  };
}

const scopes = (found: ReturnType<typeof detectPatternSpikes>) =>
  found.map((f) => `${f.scopeKind}:${f.scopeValue}@${new Date(f.from).toISOString().slice(11, 16)}`);

describe("detectPatternSpikes", () => {
  it("scopes a realm-wide spike that one client dominates to that client", () => {
    const found = detectPatternSpikes([series("orders-ui", 5, 95), series("billing-ui", 5, 10)], {
      now: NOW,
      timeZone: "UTC",
    });
    expect(scopes(found)).toEqual(["client:orders-ui@21:00"]);
    expect(found[0]?.spike.ongoing).toBe(true);
  });

  it("scopes a spike spread over many clients to the realm", () => {
    const clients = ["a", "b", "c", "d"].map((c) => series(c, 2, 20));
    expect(scopes(detectPatternSpikes(clients, { now: NOW, timeZone: "UTC" }))).toEqual(["realm:@21:00"]);
  });

  it("finds a small client's spike that the realm total hides", () => {
    const found = detectPatternSpikes([series("big", 500, 500), series("small", 0, 40)], {
      now: NOW,
      timeZone: "UTC",
    });
    expect(scopes(found)).toEqual(["client:small@21:00"]);
    expect(found[0]?.baseline).toBe(0);
  });

  it("keeps failures without a client at realm scope", () => {
    const found = detectPatternSpikes([series("", 1, 60), series("orders-ui", 1, 1)], {
      now: NOW,
      timeZone: "UTC",
    });
    expect(scopes(found)).toEqual(["realm:@21:00"]);
  });

  it("leaves spikes older than the horizon to earlier runs", () => {
    const found = detectPatternSpikes([series("orders-ui", 5, 95)], {
      now: NOW + 72 * HOUR,
      timeZone: "UTC",
    });
    expect(found).toEqual([]);
  });
});
