import { afterAll, beforeAll, expect, it } from "vitest";
import { type SourceOutcome, syncSource } from "@/lib/ingest/sync/sync-source";
import { type DemoKeycloak, startDemoKeycloak } from "@/packages/demo-keycloak/src";
import { testSql, truncateAll } from "../../helpers/db";
import { FAST_SESSION, registerSource } from "./sync-fixture";

/** What a sync reports when it cannot read: each status says what is wrong and what to do. */
const sql = testSql();
const REALM = "acme";
const opts = { overlapMs: 60_000, settleMs: 0, pageSize: 500, session: FAST_SESSION };
let kc: DemoKeycloak;

beforeAll(async () => {
  await truncateAll(sql);
  kc = await startDemoKeycloak({
    seed: 51,
    traffic: false,
    realms: [REALM],
    serviceAccount: { clientId: "realmwatch-blind", secret: "blind-secret", roles: ["view-realm"] },
  });
});
afterAll(async () => {
  await kc?.close();
  await sql.end();
});

async function sourceStatus(sourceId: string) {
  return sql<{ status: string }[]>`select status from sources where id = ${sourceId}`;
}

function expectFailed(outcome: SourceOutcome) {
  expect(outcome.status).toBe("error");
  for (const s of outcome.streams) expect(s.status).toBe("error");
}

it("a service account without view-events is told which role of realm-management to assign", async () => {
  const source = await registerSource(sql, kc, {
    name: "no-view-events",
    realms: [REALM],
    clientId: "realmwatch-blind",
    secret: "blind-secret",
  });
  const outcome = await syncSource(sql, source, opts);
  expectFailed(outcome);
  expect(outcome.message).toContain('"view-events"');
  expect(outcome.message).toContain('"realm-management"');
  expect(outcome.message).toContain("service-account-realmwatch-blind");
  expect(await sourceStatus(source.id)).toEqual([{ status: "error" }]);
});

it("a wrong secret names the client and says to check the secret", async () => {
  const source = await registerSource(sql, kc, {
    name: "wrong-secret",
    realms: [REALM],
    clientId: "realmwatch-blind",
    secret: "not-the-secret",
  });
  const outcome = await syncSource(sql, source, opts);
  expectFailed(outcome);
  expect(outcome.message).toContain('rejected the service account "realmwatch-blind"');
  expect(outcome.message).toContain("Check the client secret");
});

it("Keycloak down is reported as unreachable, to be retried on the next poll", async () => {
  const source = await registerSource(sql, kc, {
    name: "down",
    realms: [REALM],
    clientId: "realmwatch-blind",
    secret: "blind-secret",
  });
  await kc.faults.down();
  try {
    const outcome = await syncSource(sql, source, opts);
    expectFailed(outcome);
    expect(outcome.message).toContain(`Keycloak at ${kc.url} is unreachable`);
    expect(outcome.message).toContain("retries on the next poll");
  } finally {
    await kc.faults.up();
  }
});
