import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SyncOptions, syncSource } from "@/lib/ingest/sync/sync-source";
import { type DemoKeycloak, startDemoKeycloak } from "@/packages/demo-keycloak/src";
import { testSql, truncateAll } from "../../helpers/db";
import { FAST_SESSION, registerSource, serverKeys, storedKeys } from "./sync-fixture";

/**
 * Most runs re-read a short overlap, and once per overlap's length a full run re-reads from the overlap before
 * the previous full run's cursor (lib/ingest/sync/sync-stream.ts, overlapFor): an event that becomes visible
 * later than the short overlap but within the full one is still stored, and the runs between read only the
 * short overlap again. The server and realmwatch share a simulated clock.
 */
const sql = testSql();
const REALM = "acme";
const NOW = Date.parse("2026-11-22T12:00:00Z");
let clock = NOW;
let kc: DemoKeycloak;

beforeAll(async () => {
  await truncateAll(sql);
  kc = await startDemoKeycloak({
    mode: "modern",
    seed: 31,
    traffic: false,
    realms: [REALM],
    now: () => clock,
  });
  kc.store.generateBulk(REALM, 3_000, { startTime: NOW - 10 * 60_000, endTime: NOW - 1_000, seed: 31 });
});

afterAll(async () => {
  await kc?.close();
  await sql.end();
});

describe("the short overlap", () => {
  it("re-reads only the short overlap on most runs and still stores an event that became visible late", async () => {
    const source = await registerSource(sql, kc, { realms: [REALM] });
    const reads: number[] = [];
    let read = 0;
    const opts: SyncOptions = {
      overlapMs: 300_000,
      shortOverlapMs: 30_000,
      settleMs: 1_000,
      pageSize: 500,
      session: FAST_SESSION,
      now: () => clock,
      onPage: (p) => {
        if (p.key.kind === "user") read = Math.max(read, p.read);
      },
    };
    const run = async () => {
      read = 0;
      const outcome = await syncSource(sql, source, opts);
      expect(outcome.status).toBe("ok");
      reads.push(read);
    };
    await run(); // the history, read whole
    // Events stamped two minutes ago that Keycloak commits only now: a slow request's successes.
    clock += 10_000;
    const late = kc.faults.lateVisible(REALM, { count: 12, lagMs: 0, time: clock - 120_000 });
    // A steady trickle after them, as live traffic.
    kc.store.generateBulk(REALM, 200, { startTime: clock - 9_000, endTime: clock - 2_000, seed: 32 });
    clock += 10_000;
    await run(); // a short run: from the cursor less 30 s
    const stored = new Set(await storedKeys(sql, source.id, REALM, "user"));
    expect(late.filter((e) => stored.has(e.id ?? ""))).toEqual([]);
    // The late events wait for the next full run, at most an overlap after the last one.
    for (let i = 0; i < 30; i++) {
      clock += 10_000;
      await run();
      if (reads.at(-1)! > 1_000) break;
    }
    const after = new Set(await storedKeys(sql, source.id, REALM, "user"));
    expect(late.filter((e) => !after.has(e.id ?? ""))).toEqual([]);
    expect(await storedKeys(sql, source.id, REALM, "user")).toEqual(serverKeys(kc, REALM, "user", false));
    // The runs between read their last 30 s again (the history thins out: 5 events a second, the trickle of 200
    // in the first ones); the full run, its 5 minutes.
    const between = reads.slice(1, -1);
    expect(between.length).toBeGreaterThan(20);
    expect(Math.max(...between)).toBeLessThan(400);
    expect(reads.at(-1)).toBeGreaterThan(1_000);
  });
});
