import { afterAll, describe, expect, it } from "vitest";
import { syncSource } from "@/lib/ingest/sync/sync-source";
import { startDemoKeycloak } from "@/packages/demo-keycloak/src";
import { testSql, truncateAll } from "../../helpers/db";
import { FAST_SESSION, registerSource, serverKeys, storedKeys } from "./sync-fixture";

/**
 * Same-millisecond ties in unstable order with a realistic overlap (one minute over a twenty-minute
 * history): a run must not rely on a later run's overlap to pick up rows it skipped, because rows older than
 * the overlap are never read again. Page boundaries cut through tie runs, and one millisecond holds more
 * than a page of events.
 */
const sql = testSql();
const REALM = "acme";

afterAll(async () => {
  await sql.end();
});

describe.each([
  { mode: "modern" as const, seed: 21 },
  { mode: "legacy" as const, seed: 22 },
])("$mode server", ({ mode, seed }) => {
  it("one pass stores every event of tie runs that straddle page boundaries", async () => {
    await truncateAll(sql);
    const kc = await startDemoKeycloak({ mode, seed, traffic: false, realms: [REALM] });
    try {
      const now = Date.now();
      kc.store.generateBulk(REALM, 20_000, {
        startTime: now - 20 * 60_000,
        endTime: now - 60_000,
        seed,
        tiesEvery: 2,
      });
      // 1,200 distinct events in one millisecond: more than two pages of 500.
      const crowded = now - 10 * 60_000;
      const sample = kc.store.allUserEvents(REALM)[0]!;
      kc.store.addUserEvents(
        REALM,
        Array.from({ length: 1_200 }, (_, i) => ({
          ...sample,
          id: `00000000-0000-4000-9000-${String(i).padStart(12, "0")}`,
          time: crowded,
          details: { username: `burst-${i}` },
        })),
      );
      // Three identical events (a retried request): distinct by id on 26.2+, by their `#n` copy number
      // before.
      kc.store.addUserEvents(
        REALM,
        [1, 2, 3].map((i) => ({
          ...sample,
          id: `00000000-0000-4000-a000-${String(i).padStart(12, "0")}`,
          time: now - 15 * 60_000,
          details: { username: "retried" },
        })),
      );
      kc.faults.setUnstableTies(true);
      const source = await registerSource(sql, kc, { realms: [REALM] });
      const opts = { overlapMs: 60_000, settleMs: 100, pageSize: 500, session: FAST_SESSION };

      const first = await syncSource(sql, source, opts);
      expect(first.status).toBe("ok");
      const second = await syncSource(sql, source, opts);
      expect(second.status).toBe("ok");

      const server = serverKeys(kc, REALM, "user", mode === "legacy");
      expect(server.length).toBe(21_203);
      expect(await storedKeys(sql, source.id, REALM, "user")).toEqual(server);
    } finally {
      await kc.close();
    }
  });
});
