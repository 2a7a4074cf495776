import type postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SuspectedChange } from "@/lib/analytics/admin-correlation";
import { createUserNameResolver } from "@/lib/ingest/sync/resolve-user-names";
import { refreshPatterns } from "@/lib/patterns/refresh-patterns";
import { type DemoIncident, type DemoKeycloak, startDemoKeycloak } from "@/packages/demo-keycloak/src";
import { ingestDemoHistory } from "@/testkit/demo-history";
import { testSql, truncateAll } from "../helpers/db";

/**
 * The whole pipeline on a 14-day demo history with a fixed now: sync (classification at ingest), the denials
 * Keycloak never records (access log, resource-server reports), rollups, incident detection with attribution and
 * admin-change correlation. Every planted incident must come out as exactly one pattern of its cause and scope,
 * starting within an hour of the planted start, with the right status and the planted admin change ranked first,
 * by name. The same must hold whether detection runs once after the backfill or every hour as now advances.
 */
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/**
 * Tuesday 2026-12-01 09:47 UTC: the history holds two weekends, and incidents planted at night whose first failures
 * come hours later (the demo's traffic follows office hours). Detection split some of them at a Sunday-morning low
 * and ended a lockout's user pattern late; the demo's history ending at every hour of a week was the check.
 */
const NOW = Date.UTC(2026, 11, 1, 9, 47);

let sql: postgres.Sql;
let demo: DemoKeycloak;
let incidents: DemoIncident[];

interface PatternRow {
  id: string;
  realm: string;
  cause: string;
  scope_kind: string;
  scope_value: string;
  client_id: string | null;
  user_id: string | null;
  status: string;
  kind: string;
  suspected_changes: SuspectedChange[] | null;
  first_seen: Date;
  last_seen: Date;
}

const listPatterns = () =>
  sql<PatternRow[]>`
    select id, realm, cause, scope_kind, scope_value, client_id, user_id, status, kind, suspected_changes,
           first_seen, last_seen
    from patterns order by first_seen, realm, cause, scope_kind, scope_value`;

/**
 * The scope a planted incident must be found in: a person's own problem (a missing role of marco.rossi, a lockout)
 * is that user's; a service account's is its client's (an access-log line names it by its user agent); failures
 * recorded without a client (userinfo rejects the token before it knows the client: UserInfoEndpoint) are the
 * realm's.
 */
function expectedScope(i: DemoIncident): { kind: string; value: string } {
  if (i.id === "userinfo-missing-openid") return { kind: "realm", value: "" };
  // A refused CORS request reaches only the access log, which names no client (the browser's request is refused
  // before the body's client_id is read): the realm's.
  if (i.id === "cors-invalid-origin") return { kind: "realm", value: "" };
  if (i.user && i.userId && !i.user.startsWith("service-account-")) return { kind: "user", value: i.userId };
  return { kind: "client", value: i.client };
}

function patternsOf(all: readonly PatternRow[], i: DemoIncident): PatternRow[] {
  const scope = expectedScope(i);
  return all.filter(
    (p) =>
      p.realm === i.realm &&
      p.cause === i.cause &&
      p.scope_kind === scope.kind &&
      p.scope_value === scope.value,
  );
}

async function freshPatterns(): Promise<void> {
  await sql`delete from patterns`;
}

beforeAll(async () => {
  process.env.REALMWATCH_SECRET_KEY ??= "integration-test-key-0123456789abcdef";
  sql = testSql();
  await truncateAll(sql);
  demo = await startDemoKeycloak({ port: 0, seed: 1, traffic: { days: 14, live: false, now: () => NOW } });
  incidents = demo.incidents();
  await ingestDemoHistory(sql, demo.url);
}, 240_000);

afterAll(async () => {
  await demo?.close();
  if (sql && !process.env.DEBUG_PATTERNS) await truncateAll(sql);
  await sql?.end();
});

/**
 * The first failure of a pattern's cause and scope from its incident's planted start on: where the pattern must
 * begin. A misconfiguration made at 03:00 fails from the first request it meets, which at night can come hours later.
 */
async function firstFailure(p: PatternRow, i: DemoIncident): Promise<number | null> {
  const [row] = await sql<{ first: Date | null }[]>`
    select min(time) as first from user_events
    where realm = ${p.realm} and cause = ${p.cause} and is_failure and copy_of is null
      and time >= ${new Date(i.start - 60_000)}
      and ${
        p.scope_kind === "user"
          ? sql`user_id = ${p.scope_value}`
          : p.scope_kind === "client"
            ? sql`client_id = ${p.scope_value}`
            : sql`true`
      }`;
  return row?.first?.getTime() ?? null;
}

async function checkIncidents(all: readonly PatternRow[]): Promise<string[]> {
  const wrong: string[] = [];
  for (const i of incidents) {
    const found = patternsOf(all, i);
    const label = `${i.id} (${i.realm}/${i.client}: ${i.cause})`;
    if (found.length !== 1) {
      wrong.push(`${label}: ${found.length} patterns of its cause and scope`);
      continue;
    }
    const p = found[0]!;
    const first = await firstFailure(p, i);
    const startOff = first === null ? Number.POSITIVE_INFINITY : Math.abs(p.first_seen.getTime() - first);
    if (startOff > HOUR)
      wrong.push(`${label}: starts ${Math.round(startOff / 60_000)} min from its first failure`);
    if (p.first_seen.getTime() < i.start - 60_000) wrong.push(`${label}: starts before the planted start`);
    const resolved = i.end !== null;
    if ((p.status === "resolved") !== resolved) wrong.push(`${label}: status ${p.status}`);
    if (i.adminEventResourcePath) {
      const top = p.suspected_changes?.[0];
      if (top?.resourcePath !== i.adminEventResourcePath || top.time !== i.adminEventTime)
        wrong.push(`${label}: first suspect ${top?.resourcePath ?? "none"} at ${top?.time}`);
      else if (!top.resourceName || /[0-9a-f]{8}-[0-9a-f]{4}-/.test(top.resourceName))
        wrong.push(`${label}: the suspect is not named (${top.resourceName})`);
      else if (top.by !== "admin") wrong.push(`${label}: the suspect's admin is ${top.by}`);
    }
  }
  return wrong;
}

describe("planted incidents of a 14-day history", () => {
  it("finds each as one pattern of its cause and scope, from its start, with its status and its change", async () => {
    await freshPatterns();
    const result = await refreshPatterns(sql, {
      now: NOW,
      resolveUser: createUserNameResolver(sql),
      full: true,
    });
    expect(result.skipped).toBe(false);
    const once = await listPatterns();
    if (process.env.DEBUG_PATTERNS)
      for (const p of once)
        console.log(
          JSON.stringify({
            r: p.realm,
            c: p.cause,
            k: p.scope_kind,
            v: p.scope_value,
            cl: p.client_id,
            u: p.user_id,
            st: p.status,
            kind: p.kind,
            f: p.first_seen.toISOString(),
            l: p.last_seen.toISOString(),
            top: p.suspected_changes?.[0]?.reason,
          }),
        );
    if (process.env.DEBUG_PATTERNS)
      console.log(JSON.stringify(incidents.map((i) => [i.id, new Date(i.start).toISOString(), i.userId])));
    expect(incidents.length).toBeGreaterThanOrEqual(13);
    expect(await checkIncidents(once)).toEqual([]);
  }, 120_000);

  it("finds the same patterns when detection runs every hour as now advances through the 14 days", async () => {
    await freshPatterns();
    const resolveUser = createUserNameResolver(sql);
    // On the hour, as a server that refreshes hourly would: every hour it reads is complete.
    const first = Math.ceil((NOW - 14 * DAY) / HOUR) * HOUR + HOUR;
    for (let now = first; now < NOW; now += HOUR) await refreshPatterns(sql, { now, resolveUser });
    await refreshPatterns(sql, { now: NOW, resolveUser });
    const hourly = await listPatterns();
    const shape = (rows: readonly PatternRow[]) =>
      rows.map((p) => ({
        key: [p.realm, p.cause, p.scope_kind, p.scope_value, p.kind, p.status],
        first: p.first_seen.getTime(),
        last: p.last_seen.getTime(),
        top: p.suspected_changes?.[0]?.adminEventId ?? null,
      }));
    // Once after the backfill: a read of the whole history, as the first refresh after a sync of old events is.
    await freshPatterns();
    await refreshPatterns(sql, { now: NOW, resolveUser, full: true });
    const once = await listPatterns();
    expect(shape(hourly)).toEqual(shape(once));
    expect(await checkIncidents(hourly)).toEqual([]);
  }, 600_000);
});
