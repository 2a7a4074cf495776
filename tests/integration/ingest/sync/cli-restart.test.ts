import { afterAll, beforeAll, expect, it } from "vitest";
import { type DemoKeycloak, startDemoKeycloak } from "@/packages/demo-keycloak/src";
import { testDatabaseUrl, testSql, truncateAll } from "../../helpers/db";
import { serverKeys, sleep, spawnSyncCli, storedKeys } from "./sync-fixture";

/**
 * The sync CLI killed with SIGKILL in the middle of a run (no chance to clean up) and started again: every
 * page was committed with its cursor, so the second run resumes and the stored set is exactly the server's.
 */
const sql = testSql();
const REALM = "acme";
let kc: DemoKeycloak;

beforeAll(async () => {
  await truncateAll(sql);
  kc = await startDemoKeycloak({ seed: 31, traffic: false, realms: [REALM] });
  const now = Date.now();
  kc.store.generateBulk(REALM, 20_000, {
    startTime: now - 3_600_000,
    endTime: now - 60_000,
    seed: 31,
    tiesEvery: 3,
  });
});
afterAll(async () => {
  await kc?.close();
  await sql.end();
});

async function storedCount(): Promise<number> {
  const [row] = await sql<{ n: number }[]>`select count(*)::int as n from user_events where realm = ${REALM}`;
  return row?.n ?? 0;
}

it("a sync killed with SIGKILL mid-run and restarted stores every event once", async () => {
  kc.faults.slow(60, { path: `/admin/realms/${REALM}/events` });
  const killed = spawnSyncCli(testDatabaseUrl(), kc, { realms: REALM });
  let stored = 0;
  for (let i = 0; i < 600 && stored < 3_000; i++) {
    await sleep(50);
    stored = await storedCount();
  }
  killed.child.kill("SIGKILL");
  const first = await killed.exit;
  expect(first.signal).toBe("SIGKILL");
  const partial = await storedCount();
  expect(partial).toBeGreaterThanOrEqual(3_000);
  expect(partial).toBeLessThan(20_000);

  kc.faults.slow(0);
  const again = await spawnSyncCli(testDatabaseUrl(), kc, { realms: REALM }).exit;
  expect(again.stderr).toContain("default: ok");
  expect(again.code).toBe(0);

  const [source] = await sql<{ id: string }[]>`select id from sources where name = 'default'`;
  expect(await storedKeys(sql, source!.id, REALM, "user")).toEqual(serverKeys(kc, REALM, "user", false));
});

it("the CLI exits with 2 when every stream failed (a wrong secret)", async () => {
  const run = await spawnSyncCli(testDatabaseUrl(), kc, { realms: REALM, secret: "not-the-secret" }).exit;
  expect(run.code).toBe(2);
  expect(run.stderr).toContain('rejected the service account "realmwatch"');
});
