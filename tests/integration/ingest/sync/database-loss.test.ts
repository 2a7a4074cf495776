import { afterAll, beforeAll, expect, it } from "vitest";
import { type EmbeddedDatabase, startEmbeddedPostgres } from "@/lib/db/embedded";
import { applyMigrations } from "@/lib/db/migrate";
import { createSql } from "@/lib/db/sql";
import { syncSource } from "@/lib/ingest/sync/sync-source";
import { type DemoKeycloak, startDemoKeycloak } from "@/packages/demo-keycloak/src";
import { FAST_SESSION, registerSource, serverKeys, sleep, storedKeys } from "./sync-fixture";

/**
 * PostgreSQL stops in the middle of a sync (a restart, a failover): the sync reports an error instead of
 * crashing, and once the database is back the next sync completes the set. A database of its own, since
 * this one is shut down.
 */
const DATA_DIR = ".data/sync-test-db-loss";
const REALM = "acme";
let kc: DemoKeycloak;
let db: EmbeddedDatabase;
const unhandled: unknown[] = [];
const onUnhandled = (err: unknown) => unhandled.push(err);

beforeAll(async () => {
  process.on("unhandledRejection", onUnhandled);
  db = await startEmbeddedPostgres({ dataDir: DATA_DIR, port: 54371, ephemeralDurability: true });
  const sql = createSql(db.url, 1);
  try {
    await sql`drop schema if exists public cascade`;
    await sql`create schema public`;
    await applyMigrations(sql);
  } finally {
    await sql.end();
  }
  kc = await startDemoKeycloak({ seed: 61, traffic: false, realms: [REALM] });
  const now = Date.now();
  kc.store.generateBulk(REALM, 20_000, {
    startTime: now - 600_000,
    endTime: now - 30_000,
    seed: 61,
    tiesEvery: 3,
  });
});
afterAll(async () => {
  process.off("unhandledRejection", onUnhandled);
  await kc?.close();
  await db?.stop();
});

// postgres.js 3.4.9 throws an uncatchable TypeError when a query is written to a connection whose server has
// just gone away (here the stream lock's unlock and the ROLLBACK of the page being written); the patch in
// scripts/patches/apply-patches.ts turns that into a CONNECTION_CLOSED error. Without it this test crashes.
it("a sync whose database stops reports an error, and the next one completes the set", async () => {
  let sql = createSql(db.url, 4);
  const source = await registerSource(sql, kc, { realms: [REALM] });
  const opts = { overlapMs: 900_000, settleMs: 100, pageSize: 500, session: FAST_SESSION };
  kc.faults.slow(50, { path: `/admin/realms/${REALM}/events` });
  let pages = 0;
  const running = syncSource(sql, source, { ...opts, onPage: () => pages++ });
  while (pages < 5) await sleep(20);
  await db.stop();
  const outcome = await running;
  expect(outcome.status).toBe("error");
  expect(outcome.streams.find((s) => s.kind === "user")?.status).toBe("error");
  await sql.end({ timeout: 1 }).catch(() => {});

  kc.faults.slow(0);
  db = await startEmbeddedPostgres({ dataDir: DATA_DIR, port: db.port, ephemeralDurability: true });
  sql = createSql(db.url, 4);
  try {
    const partial = await storedKeys(sql, source.id, REALM, "user");
    expect(partial.length).toBeGreaterThan(0);
    expect(partial.length).toBeLessThan(20_000);
    const again = await syncSource(sql, source, opts);
    expect(again.status).toBe("ok");
    expect(await storedKeys(sql, source.id, REALM, "user")).toEqual(serverKeys(kc, REALM, "user", false));
    expect(unhandled).toEqual([]);
  } finally {
    await sql.end();
  }
});
