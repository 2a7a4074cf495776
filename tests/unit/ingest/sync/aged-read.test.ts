import { describe, expect, it } from "vitest";
import { agedRead } from "@/lib/ingest/sync/sync-stream";

const S = 1_000;
const settings = { overlapMs: 300 * S, shortOverlapMs: 30 * S };
const W = Date.parse("2026-11-22T12:00:00Z");

describe("agedRead: what a ranged run reads", () => {
  it("reads the whole history on a stream's first run and ages what is an overlap old", () => {
    expect(agedRead(null, null, W, settings)).toEqual({
      from: 0,
      again: null,
      aged: null,
      agedUntil: W - 300 * S,
    });
  });

  it("reads the whole overlap once when the stream has no aged_until yet (a release before it)", () => {
    expect(agedRead(W - 10 * S, null, W, settings)).toEqual({
      from: W - 310 * S,
      again: null,
      aged: null,
      agedUntil: W - 300 * S,
    });
  });

  it("reads the new events, then the short overlap, then the stretch that became an overlap old since the last run", () => {
    expect(agedRead(W - 10 * S, W - 310 * S, W, settings)).toEqual({
      from: W - 10 * S,
      again: { from: W - 40 * S, to: W - 10 * S },
      aged: { from: W - 310 * S, to: W - 300 * S },
      agedUntil: W - 300 * S,
    });
  });

  it("does not read an aged stretch the new events' window already holds (a run catching up)", () => {
    // The cursor is an hour behind: the window from it holds every event an overlap old.
    expect(agedRead(W - 3_600 * S, W - 3_700 * S, W, settings)).toEqual({
      from: W - 3_600 * S,
      again: { from: W - 3_630 * S, to: W - 3_600 * S },
      aged: { from: W - 3_700 * S, to: W - 3_630 * S },
      agedUntil: W - 300 * S,
    });
    expect(agedRead(W - 3_600 * S, W - 3_600 * S, W, settings).aged).toBeNull();
  });

  it("reads nothing again with a short overlap of 0 but the aged stretch", () => {
    expect(agedRead(W - 10 * S, W - 310 * S, W, { overlapMs: 300 * S, shortOverlapMs: 0 })).toEqual({
      from: W - 10 * S,
      again: null,
      aged: { from: W - 310 * S, to: W - 300 * S },
      agedUntil: W - 300 * S,
    });
  });

  it("never moves aged_until back when Keycloak's clock does", () => {
    expect(agedRead(W - 10 * S, W - 200 * S, W, settings)).toEqual({
      from: W - 10 * S,
      again: { from: W - 40 * S, to: W - 10 * S },
      aged: null,
      agedUntil: W - 200 * S,
    });
  });

  it("reads the whole overlap on every run without a shorter one", () => {
    for (const s of [{ overlapMs: 300 * S }, { overlapMs: 300 * S, shortOverlapMs: 300 * S }])
      expect(agedRead(W - 10 * S, W - 310 * S, W, s)).toEqual({
        from: W - 310 * S,
        again: null,
        aged: null,
        agedUntil: null,
      });
  });
});
