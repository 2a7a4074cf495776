import type postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { refreshPatterns } from "@/lib/analytics/queries/refresh-patterns";
import { closePrisma, getPrisma } from "@/lib/db/prisma";
import {
  DEMO_SERVICE_ACCOUNT,
  type DemoIncident,
  type DemoKeycloak,
  startDemoKeycloak,
} from "@/lib/demo-keycloak";
import { classifyRow } from "@/lib/ingest/classify-row";
import { listSources, syncSource } from "@/lib/ingest/sync-source";
import { upsertSource } from "@/lib/sources/register";
import { testSql, truncateAll } from "../helpers/db";

/**
 * The whole pipeline on the demo Keycloak's planted incidents: sync (classification at ingest), rollups,
 * pattern detection with attribution and admin-change correlation. Each incident Keycloak records as events
 * must come out as a pattern of the right cause, scoped to the right client or user, with the admin change
 * planted before it ranked first.
 */
let sql: postgres.Sql;
let demo: DemoKeycloak;
let incidents: DemoIncident[];
type PatternRow = {
  realm: string;
  cause: string;
  scope_kind: string;
  scope_value: string;
  client_id: string | null;
  user_id: string | null;
  suspected_changes: { resourcePath: string | null; score: number }[] | null;
  first_seen: Date;
  last_seen: Date;
};

/**
 * A pattern covers an incident when it has the incident's realm and cause and is scoped to its client or user,
 * or is realm-wide over the incident's time. Realm-wide is right when Keycloak records no client: a
 * USER_INFO_REQUEST_ERROR carries neither clientId nor userId (the check runs before event.client()).
 */
function covers(p: PatternRow, i: DemoIncident): boolean {
  if (p.realm !== i.realm || p.cause !== i.cause) return false;
  if (p.client_id === i.client || p.scope_value === i.client) return true;
  if (i.userId !== null && p.user_id === i.userId) return true;
  const end = i.end ?? Date.now();
  return p.scope_kind === "realm" && p.first_seen.getTime() <= end && p.last_seen.getTime() >= i.start;
}
let patterns: PatternRow[];

beforeAll(async () => {
  process.env.REALMWATCH_SECRET_KEY ??= "integration-test-key-0123456789abcdef";
  sql = testSql();
  await truncateAll(sql);
  demo = await startDemoKeycloak({ port: 0, seed: 1, traffic: { days: 14, live: false } });
  incidents = demo.incidents();
  await upsertSource(getPrisma(), {
    name: "demo",
    serverUrl: demo.url,
    authRealm: "master",
    clientId: DEMO_SERVICE_ACCOUNT.clientId,
    clientSecret: DEMO_SERVICE_ACCOUNT.secret,
    realms: ["*"],
  });
  await closePrisma();
  for (const source of await listSources(sql)) {
    const outcome = await syncSource(sql, source, {
      overlapMs: 300_000,
      settleMs: 0,
      pageSize: 5000,
      classify: classifyRow,
    });
    expect(outcome.status, outcome.message).toBe("ok");
  }
  await refreshPatterns(sql, { now: Date.now(), horizonMs: 15 * 86_400_000 });
  patterns = await sql<PatternRow[]>`
    select realm, cause, scope_kind, scope_value, client_id, user_id, suspected_changes,
           first_seen, last_seen from patterns order by first_seen, id`;
}, 240_000);

afterAll(async () => {
  await demo?.close();
  if (sql) await truncateAll(sql);
  await sql?.end();
});

describe("planted incidents recorded as Keycloak events", () => {
  it("every one is found as a pattern of its cause, attributed to its client or user", () => {
    const eventIncidents = incidents.filter((i) => i.signal === "event");
    expect(eventIncidents.length).toBeGreaterThanOrEqual(8);
    const missing = eventIncidents.filter((i) => !patterns.some((p) => covers(p, i)));
    expect(missing.map((i) => `${i.id} (${i.realm}/${i.client}: ${i.cause})`)).toEqual([]);
  });

  it("ranks the admin change planted before each incident first among the suspects", () => {
    const withChange = incidents.filter((i) => i.signal === "event" && i.adminEventResourcePath);
    expect(withChange.length).toBeGreaterThan(0);
    const wrong: string[] = [];
    for (const i of withChange) {
      // A client can have more than one pattern of a cause (another stretch of failures): the incident's is the
      // one its time falls in.
      const ofClient = patterns.filter(
        (x) =>
          x.realm === i.realm &&
          x.cause === i.cause &&
          (x.client_id === i.client || x.scope_value === i.client),
      );
      const end = i.end ?? Date.now();
      const p =
        ofClient.find((x) => x.first_seen.getTime() <= end && x.last_seen.getTime() >= i.start) ??
        ofClient[0];
      const first = p?.suspected_changes?.[0]?.resourcePath ?? null;
      if (first !== i.adminEventResourcePath)
        wrong.push(`${i.id}: expected ${i.adminEventResourcePath}, got ${first}`);
    }
    expect(wrong).toEqual([]);
  });
});
