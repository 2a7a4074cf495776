import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DemoKeycloak, startDemoKeycloak } from "@/packages/demo-keycloak/src";
import { feedDemoDenials } from "@/packages/demo-keycloak/src/feed/feed-demo-denials";
import { testDatabaseUrl, testSql } from "../../../../tests/integration/helpers/db";

const SOURCE = "demo-feed-test";
const sql = (() => {
  testDatabaseUrl();
  return testSql(2);
})();
let demo: DemoKeycloak;
let sourceId = "";

beforeAll(async () => {
  demo = await startDemoKeycloak({ seed: 7, traffic: { days: 3, eventsPerDay: 300, live: false } });
  const [row] = await sql<{ id: string }[]>`
    insert into sources (id, name, kind, server_url, updated_at)
    values (gen_random_uuid(), ${SOURCE}, 'api', ${demo.url}, now()) returning id`;
  sourceId = row!.id;
});

afterAll(async () => {
  await sql`delete from user_events where source_id = ${sourceId}`;
  await sql`delete from report_nonces where source_id = ${sourceId}`;
  await sql`delete from app_state where key = ${`demo-feed:${sourceId}`}`;
  await sql`delete from sources where id = ${sourceId}`;
  await sql.end();
  await demo?.close();
});

const causesByOrigin = () =>
  sql<{ origin: string; cause: string; n: number }[]>`
    select origin, cause, count(*)::int as n from user_events where source_id = ${sourceId}
    group by origin, cause order by origin, cause`;

describe("feedDemoDenials", () => {
  it("brings in the demo's access-log denials and resource-server reports, classified", async () => {
    const result = await feedDemoDenials(sql, demo.url, sourceId, { pageSize: 2000, maxPages: 50 });
    expect(result.more).toBe(false);
    expect(result.accessLines).toBe(demo.accessLog().length);
    expect(result.reports).toBe(demo.reports().length);
    expect(result.reportsStored).toBe(demo.reports().length);
    const rows = await causesByOrigin();
    expect(rows.filter((r) => r.origin === "report").reduce((n, r) => n + r.n, 0)).toBe(
      demo.reports().length,
    );
    // The demo's planted incidents that only an access log or a resource server can show.
    const found = new Set(rows.map((r) => `${r.origin} ${r.cause}`));
    for (const expected of [
      "access-log cors",
      "access-log missing-role",
      "access-log missing-scope",
      "report missing-role",
    ]) {
      expect(found).toContain(expected);
    }
  });

  it("stores nothing twice: a second feed reads from its cursors, and a lost cursor re-reads harmlessly", async () => {
    const before = await causesByOrigin();
    const again = await feedDemoDenials(sql, demo.url, sourceId);
    expect(again).toMatchObject({ accessLines: 0, reports: 0 });
    await sql`delete from app_state where key = ${`demo-feed:${sourceId}`}`;
    const replayed = await feedDemoDenials(sql, demo.url, sourceId, { pageSize: 2000, maxPages: 50 });
    expect(replayed).toMatchObject({ accessEventsStored: 0, reportsStored: 0 });
    expect(await causesByOrigin()).toEqual(before);
  });
});
