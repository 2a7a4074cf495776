import type postgres from "postgres";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { applyRollups, ROLLUP_GRAINS, rebuildRollups } from "@/lib/analytics/rollups";
import { eventRow, SOURCE_ID, seedUserEvents } from "@/testkit/seed-events";
import { syntheticUserEvents } from "@/testkit/synthetic-events";
import { testSql, truncateAll } from "../helpers/db";

const sql = testSql();
afterAll(() => sql.end());
beforeEach(() => truncateAll(sql));

async function snapshot(db: postgres.Sql): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const { table } of ROLLUP_GRAINS) {
    const rows = await db<{ line: string }[]>`
      select concat_ws(' ', source_id, realm, to_char(bucket at time zone 'UTC', 'YYYY-MM-DD HH24:MI'), type, error, cause,
                       client_id, origin, events, failures) as line
      from ${db(table)} order by 1`;
    out[table] = rows.map((r) => r.line);
  }
  return out;
}

const T = Date.parse("2026-05-04T10:15:20Z");

describe("applyRollups", () => {
  it("counts events and failures per UTC minute, hour and day from a staging table", async () => {
    const rows = [
      eventRow({ id: "a", time: T }),
      eventRow({ id: "b", time: T + 30_000 }),
      eventRow({ id: "c", time: T + 60_000, type: "LOGIN", error: null, cause: null, isFailure: false }),
      eventRow({ id: "d", time: T + 3_600_000, clientId: null }),
    ];
    await sql.begin(async (tx) => {
      await tx`create temp table staging (like user_events including defaults) on commit drop`;
      await tx`insert into staging ${tx(rows.map(toColumns))}`;
      await tx`insert into user_events select * from staging`;
      await applyRollups(tx, tx`select * from staging`);
    });
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

  it("takes the insert itself as a CTE and adds to rows that exist", async () => {
    const insertBatch = (ids: string[]) =>
      sql.begin(async (tx) => {
        await tx`create temp table staging (like user_events including defaults) on commit drop`;
        await tx`insert into staging ${tx(ids.map((id) => toColumns(eventRow({ id, time: T }))))}`;
        await applyRollups(
          tx,
          tx`insert into user_events select * from staging on conflict do nothing returning *`,
        );
      });
    await insertBatch(["a", "b"]);
    await insertBatch(["b", "c"]); // "b" is a duplicate: not inserted, so not counted again
    const [hour] = await sql`select events, failures from rollup_hour`;
    expect(hour).toEqual({ events: 3, failures: 3 });
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
    await rebuildRollups(sql, { sourceId: SOURCE_ID, realm: "acme" });
    const rows = await sql`select realm, cause, events from rollup_hour order by realm`;
    expect(rows).toEqual([
      { realm: "acme", cause: "missing-role", events: 1 },
      { realm: "retail", cause: "user-credentials", events: 99 },
    ]);
  });
});

function toColumns(r: ReturnType<typeof eventRow>) {
  return {
    source_id: r.sourceId,
    realm: r.realm,
    id: r.id,
    time: new Date(r.time),
    type: r.type,
    client_id: r.clientId,
    user_id: r.userId,
    ip_address: r.ipAddress,
    error: r.error,
    is_failure: r.isFailure,
    cause: r.cause,
    origin: r.origin,
  };
}
