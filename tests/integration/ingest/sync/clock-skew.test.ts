import { afterAll, describe, expect, it } from "vitest";
import { type SyncOptions, syncSource } from "@/lib/ingest/sync/sync-source";
import type { KeycloakAdminEvent, KeycloakUserEvent } from "@/lib/keycloak/types";
import { startDemoKeycloak } from "@/packages/demo-keycloak/src";
import { testSql, truncateAll } from "../../helpers/db";
import {
  adminHistory,
  demoRealmId,
  FAST_SESSION,
  registerSource,
  serverKeys,
  storedKeys,
  syncUntilQuiet,
} from "./sync-fixture";

/**
 * Keycloak stamps events with its own clock (EventBuilder: `Time.currentTimeMillis()` of the node), which
 * may run minutes away from realmwatch's. With Keycloak 10 minutes behind, a window ending on realmwatch's
 * clock passes events not written yet and the cursor leaves them behind the 5-minute overlap for good;
 * 10 minutes ahead, events stamped in realmwatch's future must wait, never be skipped. Both clocks are
 * simulated: the demo server's runs `offset` away from realmwatch's, and its answers carry it in `Date`.
 * Events arrive between syncs every 5 simulated seconds, some become visible late (success events commit
 * with an earlier time), and events are inserted while paging. The stored set must equal the server's.
 */
const sql = testSql();
const REALM = "acme";
const OVERLAP = 5 * 60_000;
const SETTLE = 2_000;
const STEP = 5_000;

afterAll(async () => {
  await sql.end();
});

describe.each([
  { mode: "modern" as const, offset: -10 * 60_000, seed: 31, dateHeader: true },
  { mode: "modern" as const, offset: 10 * 60_000, seed: 32, dateHeader: true },
  { mode: "legacy" as const, offset: -10 * 60_000, seed: 33, dateHeader: true },
  { mode: "legacy" as const, offset: 10 * 60_000, seed: 34, dateHeader: true },
  // Without a Date header the skew is unknown: the cursor never passes the newest event Keycloak showed.
  { mode: "modern" as const, offset: -10 * 60_000, seed: 35, dateHeader: false },
  { mode: "modern" as const, offset: 10 * 60_000, seed: 36, dateHeader: false },
])(
  "$mode server, Keycloak's clock $offset ms off, Date header: $dateHeader",
  ({ mode, offset, seed, dateHeader }) => {
    it("stores exactly the server's events while syncing every few seconds", async () => {
      await truncateAll(sql);
      // realmwatch's clock, fixed; it moves only when the test moves it. Two minutes before midnight UTC, so the
      // daily mode's day boundaries fall inside the run.
      let now = Date.parse("2026-03-10T23:58:00.250Z");
      const clock = () => now;
      const kc = await startDemoKeycloak({
        mode,
        seed,
        traffic: false,
        realms: [REALM],
        now: clock,
        clockOffsetMs: offset,
        dateHeader,
      });
      try {
        const kcNow = () => now + offset;
        kc.store.generateBulk(REALM, 5_000, {
          startTime: kcNow() - 20 * 60_000,
          endTime: kcNow() - 60_000,
          seed,
          tiesEvery: 4,
        });
        const realmId = demoRealmId(kc, REALM);
        kc.store.addAdminEvents(REALM, adminHistory(realmId, 300, kcNow() - 20 * 60_000, kcNow() - 60_000));
        const sample = kc.store.allUserEvents(REALM)[0]!;
        let n = 0;
        const id = (block: string) => `00000000-0000-4000-${block}-${String(++n).padStart(12, "0")}`;
        const userEvents = (count: number, time: number): KeycloakUserEvent[] =>
          Array.from({ length: count }, (_, i) => ({
            ...sample,
            id: id("b000"),
            time: time - (i % 3),
            details: { username: `arrival-${n}` },
          }));
        const adminEvents = (count: number, time: number): KeycloakAdminEvent[] =>
          Array.from({ length: count }, () => ({
            id: id("c000"),
            time,
            realmId,
            operationType: "UPDATE",
            resourceType: "USER",
            resourcePath: `users/arrival-${n}`,
            authDetails: { realmId, clientId: "admin-cli-uuid", userId: "admin-1", ipAddress: "10.0.0.9" },
          }));

        const source = await registerSource(sql, kc, { realms: [REALM] });
        // Events written while a sync pages: at Keycloak's now, and committed late with a time inside the
        // window being read (before its end, now - settle).
        let pagingInserts = 0;
        const opts: SyncOptions = {
          overlapMs: OVERLAP,
          settleMs: SETTLE,
          pageSize: 400,
          session: FAST_SESSION,
          now: clock,
          onPage: (p) => {
            if (p.key.kind !== "user") return;
            kc.store.addUserEvents(REALM, [
              ...userEvents(1, kcNow()),
              ...userEvents(1, kcNow() - SETTLE - 500),
            ]);
            pagingInserts += 2;
          },
        };
        kc.faults.setUnstableTies(true);
        for (let step = 0; step < 24; step++) {
          const t = kcNow();
          kc.store.addUserEvents(REALM, userEvents(30, t));
          // Success events committed 3 s after they were stamped.
          kc.store.addUserEvents(REALM, userEvents(5, t - 1_000), { visibleAt: t + 3_000 });
          kc.store.addAdminEvents(REALM, adminEvents(3, t));
          const outcome = await syncSource(sql, source, opts);
          expect(outcome.status).toBe("ok");
          now += STEP;
        }
        // The last late commits become visible, then syncs run until nothing new arrives. Without a Date
        // header, events stamped in realmwatch's future wait until its clock reaches them.
        opts.onPage = undefined;
        now += 2 * STEP + (dateHeader ? 0 : Math.max(0, offset));
        await syncUntilQuiet(sql, source, opts);

        expect(pagingInserts).toBeGreaterThan(24 * 2);
        const legacy = mode === "legacy";
        const userServer = serverKeys(kc, REALM, "user", legacy);
        expect(userServer.length).toBe(5_000 + 24 * 35 + pagingInserts);
        expect(await storedKeys(sql, source.id, REALM, "user")).toEqual(userServer);
        const adminServer = serverKeys(kc, REALM, "admin", legacy);
        expect(adminServer.length).toBe(300 + 24 * 3);
        expect(await storedKeys(sql, source.id, REALM, "admin")).toEqual(adminServer);

        // The skew is measured and kept with each stream; more than a third of the overlap is a warning.
        const streams = await sql<
          { kind: string; clock_skew_ms: number | null; status_message: string | null }[]
        >`
        select kind, clock_skew_ms, status_message from sync_streams where source_id = ${source.id} order by kind`;
        expect(streams.map((s) => s.kind)).toEqual(["admin", "user"]);
        for (const s of streams) {
          if (!dateHeader) {
            expect(s.clock_skew_ms).toBeNull();
            continue;
          }
          expect(Math.abs((s.clock_skew_ms ?? Number.NaN) - offset)).toBeLessThan(1_500);
          expect(s.status_message).toContain(
            `runs 10 min ${offset > 0 ? "ahead of" : "behind"} realmwatch's`,
          );
        }
      } finally {
        await kc.close();
      }
    });
  },
);
