import { afterAll, expect, it } from "vitest";
import { syncSource } from "@/lib/ingest/sync/sync-source";
import { startDemoKeycloak } from "@/packages/demo-keycloak/src";
import { testSql, truncateAll } from "../../helpers/db";
import { FAST_SESSION, registerSource, serverKeys, sleep } from "./sync-fixture";

/** Two workers started on the same streams at once (two app instances, a CLI next to the app). */
const sql = testSql(4);
const other = testSql(4);
const REALM = "acme";

afterAll(async () => {
  await sql.end();
  await other.end();
});

it("two concurrent syncs of one source never store an event twice", async () => {
  await truncateAll(sql);
  const kc = await startDemoKeycloak({ seed: 41, traffic: false, realms: [REALM] });
  try {
    const now = Date.now();
    kc.store.generateBulk(REALM, 10_000, {
      startTime: now - 600_000,
      endTime: now - 30_000,
      seed: 41,
      tiesEvery: 2,
    });
    kc.faults.slow(20, { path: `/admin/realms/${REALM}/events` });
    kc.faults.insertWhilePaging({ count: 4, pages: 5, realm: REALM });
    const source = await registerSource(sql, kc, { realms: [REALM] });
    const opts = { overlapMs: 900_000, settleMs: 100, pageSize: 500, session: FAST_SESSION };

    const [a, b] = await Promise.all([syncSource(sql, source, opts), syncSource(other, source, opts)]);
    const userStreams = [...a.streams, ...b.streams].filter((s) => s.kind === "user");
    expect(userStreams.map((s) => s.status)).not.toContain("error");
    expect(userStreams.map((s) => s.status)).toContain("ok");

    // The paging inserts landed behind the run's position (the next run reads them through the overlap) or
    // carry Keycloak's now, after the run's window ended. A window ends on a lower bound of Keycloak's clock
    // (its Date header has whole seconds), so a run started within a second of them leaves them to the run
    // after, which is not a loss: sync until a run's proven end passes the newest event.
    kc.faults.slow(0);
    const newest = Math.max(...kc.store.allUserEvents(REALM).map((e) => e.time));
    let cursor = Number.NEGATIVE_INFINITY;
    for (let run = 0; run < 10 && cursor <= newest; run++) {
      if (run > 0) await sleep(200);
      const again = await syncSource(sql, source, opts);
      cursor = again.streams.find((s) => s.kind === "user")?.result?.cursor ?? cursor;
    }
    expect(cursor).toBeGreaterThan(newest);

    const [row] = await sql<{ n: number; distinct_ids: number }[]>`
      select count(*)::int as n, count(distinct id)::int as distinct_ids from user_events
      where source_id = ${source.id} and realm = ${REALM}`;
    const server = serverKeys(kc, REALM, "user", false);
    expect(server.length).toBe(10_000 + 4 * 5);
    expect(row).toEqual({ n: server.length, distinct_ids: server.length });
  } finally {
    await kc.close();
  }
});
