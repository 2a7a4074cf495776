import { afterAll, expect, it } from "vitest";
import { syncSource } from "@/lib/ingest/sync/sync-source";
import { startDemoKeycloak } from "@/packages/demo-keycloak/src";
import { testSql, truncateAll } from "../../helpers/db";
import { FAST_SESSION, registerSource, serverKeys } from "./sync-fixture";

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
    const statuses = [...a.streams, ...b.streams].filter((s) => s.kind === "user").map((s) => s.status);
    expect(statuses).not.toContain("error");
    expect(statuses).toContain("ok");
    kc.faults.slow(0);
    await syncSource(sql, source, opts);

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
