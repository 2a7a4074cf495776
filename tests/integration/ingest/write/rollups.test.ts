import type postgres from "postgres";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { ROLLUP_TABLES, rebuildRollups } from "@/lib/ingest/write/rollup-batch";
import { writeUserEvents } from "@/lib/ingest/write/write-events";
import { eventRow, SOURCE_ID, seedUserEvents } from "@/testkit/seed-events";
import { syntheticUserEvents } from "@/testkit/synthetic-events";
import { testSql, truncateAll } from "../../helpers/db";

const sql = testSql();
afterAll(() => sql.end());
beforeEach(() => truncateAll(sql));

async function snapshot(db: postgres.Sql): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const { table } of ROLLUP_TABLES) {
    const rows = await db<{ line: string }[]>`
      select concat_ws(' ', source_id, realm, to_char(bucket at time zone 'UTC', 'YYYY-MM-DD HH24:MI'), type, error, cause,
                       client_id, origin, events, failures) as line
      from ${db(table)} order by 1`;
    out[table] = rows.map((r) => r.line);
  }
  const realmHours = await db<{ line: string }[]>`
    select concat_ws(' ', source_id, realm, to_char(bucket at time zone 'UTC', 'YYYY-MM-DD HH24:MI'), events,
                     failures) as line
    from rollup_realm_hour order by 1`;
  out.rollup_realm_hour = realmHours.map((r) => r.line);
  return out;
}

/** The hours where a realm's total (rollup_realm_hour) is not the sum of its rollup_hour cells. */
async function realmHourDrift(db: postgres.Sql): Promise<readonly unknown[]> {
  return db`
    select coalesce(h.source_id, r.source_id) as source_id, coalesce(h.realm, r.realm) as realm,
           coalesce(h.bucket, r.bucket) as bucket, h.events as cells, r.events as total
    from (select source_id, realm, bucket, sum(events)::int as events, sum(failures)::int as failures
          from rollup_hour group by source_id, realm, bucket) as h
    full join rollup_realm_hour r using (source_id, realm, bucket)
    where h.events is distinct from r.events or h.failures is distinct from r.failures`;
}

const T = Date.parse("2026-05-04T10:15:20Z");

describe("rollups kept at ingest", () => {
  it("counts events and failures per UTC minute, hour and day", async () => {
    const rows = [
      eventRow({ id: "a", time: T }),
      eventRow({ id: "b", time: T + 30_000 }),
      eventRow({ id: "c", time: T + 60_000, type: "LOGIN", error: null, cause: null, isFailure: false }),
      eventRow({ id: "d", time: T + 3_600_000, clientId: null }),
    ];
    await writeUserEvents(sql, rows);
    const minutes =
      await sql`select to_char(bucket at time zone 'UTC', 'HH24:MI') as at, type, client_id, events, failures
                              from rollup_minute order by bucket, type`;
    expect(minutes.map((r) => `${r.at} ${r.type} ${r.client_id || "-"} ${r.events}/${r.failures}`)).toEqual([
      "10:15 LOGIN_ERROR orders-ui 2/2",
      "10:16 LOGIN orders-ui 1/0",
      "11:15 LOGIN_ERROR - 1/1",
    ]);
    const [day] =
      await sql`select sum(events)::int as events, sum(failures)::int as failures from rollup_day`;
    expect(day).toEqual({ events: 4, failures: 3 });
  });

  it("counts only the rows a batch inserted, and adds to rows that exist", async () => {
    const insertBatch = (ids: string[]) =>
      writeUserEvents(
        sql,
        ids.map((id) => eventRow({ id, time: T })),
      );
    await insertBatch(["a", "b"]);
    await insertBatch(["b", "c"]); // "b" is a duplicate: not inserted, so not counted again
    const [hour] = await sql`select events, failures from rollup_hour`;
    expect(hour).toEqual({ events: 3, failures: 3 });
    const [realmHour] = await sql`select events, failures from rollup_realm_hour`;
    expect(realmHour).toEqual({ events: 3, failures: 3 });
    const [stored] = await sql`select count(*)::int as n from user_events`;
    expect(stored?.n).toBe(3);
  });
});

describe("rebuildRollups", () => {
  it("rebuilds exactly what ingest kept current", async () => {
    const from = Date.parse("2026-05-01T00:00:00Z");
    await seedUserEvents(
      sql,
      syntheticUserEvents({ seed: 3, sourceId: SOURCE_ID, from, to: from + 3 * 86_400_000, events: 5_000 }),
    );
    const kept = await snapshot(sql);
    expect(kept.rollup_minute?.length).toBeGreaterThan(1000);
    expect(kept.rollup_realm_hour?.length).toBeGreaterThan(24);
    expect(await realmHourDrift(sql)).toEqual([]);
    await rebuildRollups(sql);
    expect(await snapshot(sql)).toEqual(kept);
  });

  it("rebuilds one realm and leaves the others alone", async () => {
    await seedUserEvents(sql, [
      eventRow({ id: "a", time: T, realm: "acme" }),
      eventRow({ id: "b", time: T, realm: "retail" }),
    ]);
    await sql`update user_events set cause = 'missing-role' where realm = 'acme'`;
    await sql`update rollup_hour set events = 99 where realm = 'retail'`;
    await sql`update rollup_realm_hour set events = 99`;
    await rebuildRollups(sql, { sourceId: SOURCE_ID, realm: "acme" });
    const rows = await sql`select realm, cause, events from rollup_hour order by realm`;
    expect(rows).toEqual([
      { realm: "acme", cause: "missing-role", events: 1 },
      { realm: "retail", cause: "user-credentials", events: 99 },
    ]);
    const totals = await sql`select realm, events from rollup_realm_hour order by realm`;
    expect(totals).toEqual([
      { realm: "acme", events: 1 },
      { realm: "retail", events: 99 },
    ]);
  });
});
