import { describe, expect, it } from "vitest";
import {
  advancePatterns,
  type Detection,
  type PatternChange,
  type PatternWindow,
  patternKey,
} from "@/lib/analytics/patterns";

const HOUR = 3_600_000;
const T0 = Date.parse("2026-06-02T14:00:00Z");
const at = (hours: number) => T0 + hours * HOUR;

const scope = {
  sourceId: "3d6f0a52-5a4e-4f0e-9a8e-2b1f4c7d9e10",
  realm: "acme",
  cause: "missing-role",
  scopeKind: "client",
  scopeValue: "orders-ui",
} as const;

const spike = (fromHour: number, toHour: number, score = 12, extra: Partial<Detection> = {}): Detection => ({
  ...scope,
  from: at(fromHour),
  to: at(toHour),
  score,
  baseline: 20,
  ...extra,
});

/** Runs refreshes one after another, feeding each result into the next, like the scheduler does. */
function replay(steps: { now: number; detections: Detection[] }[]): {
  patterns: PatternWindow[];
  log: PatternChange[][];
} {
  let patterns: PatternWindow[] = [];
  const log: PatternChange[][] = [];
  for (const step of steps) {
    const changes = advancePatterns(patterns, step.detections, step.now);
    log.push(changes);
    const byKey = new Map(patterns.map((p) => [patternKey(p), p]));
    for (const c of changes) byKey.set(patternKey(c.pattern), c.pattern);
    patterns = [...byKey.values()];
  }
  return { patterns, log };
}

describe("advancePatterns", () => {
  it("opens a pattern for a new spike", () => {
    const [change, ...rest] = advancePatterns([], [spike(0, 1)], at(1));
    expect(rest).toEqual([]);
    expect(change?.action).toBe("create");
    expect(change?.pattern).toMatchObject({
      ...scope,
      firstSeen: at(0),
      lastSeen: at(1),
      status: "open",
      peakScore: 12,
    });
  });

  it("keeps one pattern, with a stable key, while the spike goes on", () => {
    const { patterns, log } = replay([
      { now: at(1), detections: [spike(0, 1)] },
      { now: at(2), detections: [spike(0, 2, 20)] },
      { now: at(3), detections: [spike(0, 3, 15)] },
    ]);
    expect(patterns).toHaveLength(1);
    expect(patterns[0]).toMatchObject({
      firstSeen: at(0),
      lastSeen: at(3),
      status: "ongoing",
      peakScore: 20,
    });
    expect(log.map((changes) => changes.map((c) => c.action))).toEqual([["create"], ["update"], ["update"]]);
  });

  it("changes nothing when the same spike is detected again", () => {
    const { log } = replay([
      { now: at(1.5), detections: [spike(0, 1)] },
      { now: at(1.6), detections: [spike(0, 1)] },
    ]);
    expect(log[1]).toEqual([]);
  });

  it("resolves a pattern after three quiet hours, and opens a new one when failures return later", () => {
    const { patterns, log } = replay([
      { now: at(2), detections: [spike(0, 2)] },
      { now: at(4), detections: [] },
      { now: at(5), detections: [] },
      { now: at(9), detections: [spike(8, 9)] },
    ]);
    expect(log[1]).toEqual([]);
    expect(log[2]?.map((c) => c.pattern.status)).toEqual(["resolved"]);
    expect(patterns.map((p) => [p.firstSeen, p.status])).toEqual([
      [at(0), "resolved"],
      [at(8), "open"],
    ]);
  });

  it("treats a spike that dips for an hour as one incident", () => {
    const { patterns } = replay([
      { now: at(2), detections: [spike(0, 2)] },
      { now: at(5), detections: [spike(0, 2), spike(3, 5)] },
    ]);
    expect(patterns).toHaveLength(1);
    expect(patterns[0]).toMatchObject({ firstSeen: at(0), lastSeen: at(5), status: "ongoing" });
  });

  it("merges adjacent windows found in one detection run", () => {
    const changes = advancePatterns([], [spike(4, 5, 9), spike(0, 2, 14), spike(2, 3, 7)], at(5));
    expect(changes).toHaveLength(1);
    expect(changes[0]?.pattern).toMatchObject({ firstSeen: at(0), lastSeen: at(5), peakScore: 14 });
  });

  it("keeps scopes apart: another client or cause is another pattern", () => {
    const changes = advancePatterns(
      [],
      [spike(0, 1), spike(0, 1, 8, { scopeValue: "billing-ui" }), spike(0, 1, 8, { cause: "cors" })],
      at(1),
    );
    expect(changes.map((c) => `${c.pattern.cause}/${c.pattern.scopeValue}`).sort()).toEqual([
      "cors/orders-ui",
      "missing-role/billing-ui",
      "missing-role/orders-ui",
    ]);
  });

  it("reopens a resolved pattern when late events show it was still going on", () => {
    const resolved: PatternWindow = {
      ...scope,
      firstSeen: at(0),
      lastSeen: at(2),
      status: "resolved",
      peakScore: 10,
      baseline: 20,
    };
    const [change] = advancePatterns([resolved], [spike(3, 4)], at(4.5));
    expect(change).toMatchObject({
      action: "update",
      pattern: { firstSeen: at(0), lastSeen: at(4), status: "ongoing" },
    });
  });

  it("counts an hour in progress as seen until now", () => {
    const [change] = advancePatterns([], [spike(0, 1)], at(0.25));
    expect(change?.pattern.lastSeen).toBe(at(0.25));
    expect(change?.pattern.status).toBe("open");
  });

  it("builds keys that cannot collide through separators in realm names", () => {
    const a = patternKey({ ...scope, realm: "a|b", scopeValue: "c", firstSeen: 1 });
    const b = patternKey({ ...scope, realm: "a", scopeValue: "b|c", firstSeen: 1 });
    expect(a).not.toBe(b);
    expect(patternKey({ ...scope, firstSeen: 1 })).toBe(patternKey({ ...scope, firstSeen: 1 }));
  });
});
