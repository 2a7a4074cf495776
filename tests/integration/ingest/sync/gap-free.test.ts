import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SyncOptions, syncSource } from "@/lib/ingest/sync/sync-source";
import { type DemoKeycloak, startDemoKeycloak } from "@/packages/demo-keycloak/src";
import { testSql, truncateAll } from "../../helpers/db";
import {
  adminHistory,
  demoRealmId,
  FAST_SESSION,
  registerSource,
  serverKeys,
  sleep,
  storedKeys,
  syncUntilQuiet,
} from "./sync-fixture";

/**
 * The acceptance bar of ingestion: against a 26.2+ server ("ranged" sync) and an older one ("daily" sync),
 * 100,000 user events with same-millisecond ties in unstable order, events inserted while paging (also
 * inside the page just read), success events that become visible late, and every fault the demo server
 * injects. After syncing until quiet, the stored set is exactly the server's set: no loss, no duplicate.
 */
const sql = testSql();
const REALM = "acme";
const EVENTS_PATH = `/admin/realms/${REALM}/`;

afterAll(async () => {
  await sql.end();
});

describe.each([
  { mode: "modern" as const, seed: 11 },
  { mode: "legacy" as const, seed: 12 },
])("$mode server", ({ mode, seed }) => {
  let kc: DemoKeycloak;
  const now = Date.now();

  beforeAll(async () => {
    await truncateAll(sql);
    kc = await startDemoKeycloak({ mode, seed, traffic: false, realms: [REALM] });
    kc.store.generateBulk(REALM, 100_000, {
      startTime: now - 20 * 60_000,
      endTime: now - 60_000,
      seed,
      tiesEvery: 4,
    });
    const realmId = demoRealmId(kc, REALM);
    kc.store.addAdminEvents(REALM, adminHistory(realmId, 3_000, now - 20 * 60_000, now - 60_000));
  });
  afterAll(async () => {
    await kc?.close();
  });

  it("stores exactly the server's events despite ties, paging inserts, late commits and faults", async () => {
    const source = await registerSource(sql, kc, { realms: [REALM] });
    kc.faults.setUnstableTies(true);
    kc.faults.insertWhilePaging({ count: 6, pages: 12, realm: REALM, kind: "user" });
    const lag = 1_500;
    kc.faults.lateVisible(REALM, { count: 25, lagMs: lag, time: now - 5 * 60_000 });

    // Faults are injected as paging reaches them, so each one hits a run in the middle of a stream.
    let pages = 0;
    let adminStarted = false;
    const faultAtPage: Record<number, () => void> = {
      3: () => kc.faults.failNext(2, { status: 503, path: EVENTS_PATH }),
      6: () => kc.faults.hangNext(1, { path: EVENTS_PATH }),
      9: () => kc.faults.expireTokensNow(),
      12: () => kc.faults.slow(25, { path: EVENTS_PATH }),
      20: () => kc.faults.slow(0),
      30: () => kc.faults.failNext(1, { status: 502, path: EVENTS_PATH }),
    };
    const opts: SyncOptions = {
      // The overlap reaches back over the whole history: events inserted behind the page being read and
      // late commits are found by the next run.
      overlapMs: 30 * 60_000,
      settleMs: 100,
      pageSize: 1_000,
      session: FAST_SESSION,
      onPage: (p) => {
        pages++;
        faultAtPage[pages]?.();
        if (p.key.kind === "admin" && !adminStarted) {
          adminStarted = true;
          kc.faults.insertWhilePaging({ count: 4, pages: 3, realm: REALM, kind: "admin" });
        }
      },
    };

    const first = await syncSource(sql, source, opts);
    // The late commits become visible only now: wait for them, then sync until nothing new arrives.
    await sleep(lag + 200);
    const outcomes = await syncUntilQuiet(sql, source, opts);

    expect(first.status).toBe("ok");
    expect(outcomes.at(-1)?.mode).toBe(mode === "modern" ? "ranged" : "daily");
    expect(pages).toBeGreaterThan(30);
    // Each injected fault met a run in the middle of a stream: Keycloak answered event pages with them.
    const answered = (status: number) =>
      kc.accessLog().some((l) => l.includes(EVENTS_PATH) && l.includes(`" ${status} `));
    for (const status of [503, 502, 401]) expect(answered(status)).toBe(true);
    expect(kc.faults.insertedWhilePaging.length).toBe(6 * 12);
    const legacy = mode === "legacy";
    const userServer = serverKeys(kc, REALM, "user", legacy);
    expect(userServer.length).toBe(100_000 + 25 + 6 * 12);
    const userStored = await storedKeys(sql, source.id, REALM, "user");
    expect(userStored.length).toBe(userServer.length);
    expect(userStored).toEqual(userServer);

    const adminServer = serverKeys(kc, REALM, "admin", legacy);
    expect(adminServer.length).toBe(3_000 + 4 * 3);
    expect(await storedKeys(sql, source.id, REALM, "admin")).toEqual(adminServer);
  });
});
