import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SyncOptions, syncSource } from "@/lib/ingest/sync/sync-source";
import { type DemoKeycloak, startDemoKeycloak } from "@/packages/demo-keycloak/src";
import { testSql, truncateAll } from "../../helpers/db";
import { FAST_SESSION, registerSource, serverKeys, storedKeys } from "./sync-fixture";

/**
 * Each run re-reads a short overlap before the cursor and the stretch that has just become an overlap old
 * (lib/ingest/sync/sync-stream.ts, agedRead): an event that becomes visible later than the short overlap but
 * within the full one is stored once it is an overlap old, and no run re-reads the whole overlap. The server and
 * realmwatch share a simulated clock.
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

describe("the short overlap and the aged stretch", () => {
  it("re-reads a short overlap and a poll's worth of aged events each run, and stores an event that became visible late", async () => {
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
    const agedUntil = async () => {
      const [row] = await sql<{ aged_until: Date | null }[]>`
        select aged_until from sync_streams where source_id = ${source.id} and realm = ${REALM} and kind = 'user'`;
      return row?.aged_until?.getTime() ?? null;
    };
    await run(); // the history, read whole
    expect(await agedUntil()).toBe(clock - 1_000 - 300_000);
    // Events stamped two minutes ago that Keycloak commits only now: a slow request's successes.
    clock += 10_000;
    const lateTime = clock - 120_000;
    const late = kc.faults.lateVisible(REALM, { count: 12, lagMs: 0, time: lateTime });
    // A steady trickle after them, as live traffic.
    kc.store.generateBulk(REALM, 200, { startTime: clock - 9_000, endTime: clock - 2_000, seed: 32 });
    clock += 10_000;
    await run(); // from the cursor less 30 s
    const stored = new Set(await storedKeys(sql, source.id, REALM, "user"));
    expect(late.filter((e) => stored.has(e.id ?? ""))).toEqual([]);
    // The late events are read again once they are an overlap old, by the run whose window ends past that.
    let storedAt: number | null = null;
    for (let i = 0; i < 40 && storedAt === null; i++) {
      clock += 10_000;
      await run();
      const now = new Set(await storedKeys(sql, source.id, REALM, "user"));
      if (late.every((e) => now.has(e.id ?? ""))) storedAt = clock;
    }
    expect(storedAt).not.toBeNull();
    expect(storedAt! - lateTime).toBeGreaterThanOrEqual(300_000);
    expect(storedAt! - lateTime).toBeLessThanOrEqual(300_000 + 1_000 + 10_000);
    expect(await storedKeys(sql, source.id, REALM, "user")).toEqual(serverKeys(kc, REALM, "user", false));
    // No run after the first read the whole overlap again (1,500 events of the history at 5 a second): each
    // read its last 30 s and about 10 s of aged events.
    expect(Math.max(...reads.slice(1))).toBeLessThan(500);
    expect(await agedUntil()).toBe(clock - 1_000 - 300_000);
  });
});
