import type postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AHEAD_DAYS,
  dayOf,
  daysBetween,
  listDayPartitions,
  listMonthPartitions,
  partitionName,
  tierName,
} from "@/lib/db/event-partitions";
import { applyMigrations, listMigrations } from "@/lib/db/migrate";
import { writeAdminEvents, writeUserEvents } from "@/lib/ingest/write/write-events";
import {
  type AdminEventRow,
  isRejected,
  toAdminEventRow,
  toUserEventRow,
  type UserEventRow,
} from "@/lib/keycloak/event-rows";
import { SOURCE_ID, seedSource } from "@/testkit/seed-production";
import { testSql, truncateAll } from "../helpers/db";

const DAY = 86_400_000;
const NOW = Date.parse("2026-11-22T12:00:00Z");
const PARTITIONING = "20261205060000_user_events_partitions";
const TIERS = "20261205090530_user_events_tiers";
const ADMIN_MONTHS = "20261206002614_admin_events_partitions";
let sql: postgres.Sql;

beforeAll(async () => {
  sql = testSql(4);
  await truncateAll(sql);
  await seedSource(sql);
});

afterAll(async () => {
  await sql`drop schema if exists partition_conversion cascade`;
  await truncateAll(sql);
  await sql.end();
});

function row(id: string, time: number, extra: Record<string, unknown> = {}): UserEventRow {
  const r = toUserEventRow(
    {
      id,
      time,
      type: "LOGIN_ERROR",
      error: "invalid_user_credentials",
      userId: "u-1",
      clientId: "app",
      ...extra,
    },
    { sourceId: SOURCE_ID, realm: "acme", origin: "api" },
  );
  if (isRejected(r)) throw new Error(r.rejected);
  return r;
}

describe("day partitions of user_events", () => {
  it("exist ahead of time after a restart: every start creates today's and the next days'", async () => {
    await applyMigrations(sql, undefined, new Date(NOW));
    const names = new Set((await listDayPartitions(sql, "user_events")).map((p) => p.name));
    for (const d of daysBetween(NOW, NOW + AHEAD_DAYS * DAY))
      expect(names).toContain(partitionName("user_events", d));
    // The process restarts ten days later: nothing written meanwhile, the new days are there before the first sync.
    const later = NOW + 10 * DAY;
    expect(await applyMigrations(sql, undefined, new Date(later))).toEqual([]);
    const after = new Set((await listDayPartitions(sql, "user_events")).map((p) => p.name));
    for (const d of daysBetween(later, later + AHEAD_DAYS * DAY))
      expect(after).toContain(partitionName("user_events", d));
  });

  it("stores an event years old or ahead of the clock by creating its day, and refuses a time no event can have", async () => {
    const old = Date.parse("2019-03-04T05:06:07.089Z");
    const ahead = Date.now() + 40 * DAY;
    expect(await writeUserEvents(sql, [row("old-1", old), row("ahead-1", ahead), row("now-1", NOW)])).toBe(3);
    const stored = await sql<{ id: string; time: Date; partition: string }[]>`
      select id, time, tableoid::regclass::text as partition from user_events order by time`;
    expect(stored.map((r) => [r.id, r.time.getTime(), r.partition])).toEqual([
      // Failures: each in its day's failures tier.
      ["old-1", old, "user_events_p20190304_f"],
      ["now-1", NOW, "user_events_p20261122_f"],
      ["ahead-1", ahead, tierName("user_events", dayOf(ahead), true)],
    ]);
    // Written again (a re-read overlap): nothing new, nothing lost.
    expect(await writeUserEvents(sql, [row("old-1", old), row("ahead-1", ahead)])).toBe(0);
    // Before 2000 or more than a year ahead is no Keycloak time: refused with its reason when the row is read.
    const far = Date.now() + 400 * DAY;
    expect(
      toUserEventRow(
        { id: "far", time: far, type: "LOGIN" },
        { sourceId: SOURCE_ID, realm: "acme", origin: "api" },
      ),
    ).toEqual({ rejected: `unusable time ${far}` });
    expect(
      toUserEventRow(
        { id: "1990", time: 631_152_000_000, type: "LOGIN" },
        { sourceId: SOURCE_ID, realm: "acme", origin: "api" },
      ),
    ).toEqual({ rejected: "unusable time 631152000000" });
  });

  it("lets a time-bounded read open only the days it covers", async () => {
    await writeUserEvents(
      sql,
      Array.from({ length: 30 }, (_, i) => row(`spread-${i}`, NOW - i * DAY)),
    );
    const plan = await sql.begin(async (tx) => {
      await tx`analyze user_events`;
      return tx<{ "QUERY PLAN": string }[]>`
        explain select count(*) from user_events
        where realm = 'acme' and user_id = 'u-1' and time >= ${new Date(NOW - 2 * DAY)} and time < ${new Date(NOW)}`;
    });
    const text = plan.map((l) => l["QUERY PLAN"]).join("\n");
    const opened = new Set(text.match(/user_events_p\d{8}/g));
    // Noon of the 20th to noon of the 22nd: three of the thirty days written.
    expect([...opened].sort()).toEqual([
      "user_events_p20261120",
      "user_events_p20261121",
      "user_events_p20261122",
    ]);
  });
});

describe("the migration to month partitions of admin events", () => {
  it("moves every admin event of an installation filled by the previous schema into its month, losing none", async () => {
    const { inSchema, migrate, rest } = await beforeMigration(ADMIN_MONTHS);
    await inSchema(
      (tx) => tx`
        insert into admin_events (source_id, realm, id, time, realm_id, auth_realm_id, auth_client_id, auth_user_id,
          auth_ip_address, operation_type, resource_type, resource_path, representation, error, details, origin,
          ingested_at)
        select ${SOURCE_ID}, case when i % 3 = 0 then 'beta' else 'acme' end, 'adm-' || i,
          ${new Date(NOW)}::timestamptz - (i * interval '3 days 7 hours 1.5 seconds'), 'rid', 'master', 'cli-uuid',
          'admin-' || (i % 4), '10.1.0.' || (i % 200), case when i % 5 = 0 then 'DELETE' else 'UPDATE' end, 'CLIENT',
          'clients/c-' || (i % 7), case when i % 2 = 0 then '{"enabled":' || (i % 4 = 0) || '}' end,
          case when i % 11 = 0 then 'unknown_error' end,
          case when i % 3 = 0 then jsonb_build_object('n', i::text) end,
          case when i % 6 = 0 then 'log' else 'api' end, ${new Date(NOW)}::timestamptz + i * interval '1 second'
        from generate_series(1, 200) i`,
    );
    const read = () =>
      inSchema(
        (tx) => tx`select to_jsonb(a) as row from admin_events a order by source_id, realm, time, id`,
      ) as Promise<{ row: Record<string, unknown> }[]>;
    const before = await read();
    expect(before).toHaveLength(200);

    await migrate();

    expect((await read()).map((r) => r.row)).toEqual(before.map((r) => r.row));
    const [placed] = (await inSchema(
      (tx) => tx`
        select count(distinct tableoid)::int as tables,
               count(distinct date_trunc('month', time at time zone 'UTC'))::int as months,
               bool_and(tableoid::regclass::text = 'admin_events_p' || to_char(time at time zone 'UTC', 'YYYYMM')) as placed,
               (select relkind from pg_class where oid = 'admin_events'::regclass) as kind
        from admin_events`,
    )) as { tables: number; months: number; placed: boolean; kind: string }[];
    expect(placed).toEqual({ tables: placed!.months, months: placed!.months, placed: true, kind: "p" });
    expect(placed!.months).toBeGreaterThan(20);
    await rest();
  });
});

/**
 * A schema of its own holding the database as the release before migration `name` left it: the migrations
 * before it applied, a source inserted. `inSchema` runs statements there, `snapshot` reads every event.
 */
async function beforeMigration(name: string) {
  const migrations = await listMigrations();
  const at = migrations.findIndex((m) => m.name === name);
  expect(at).toBeGreaterThan(0);
  await sql`drop schema if exists partition_conversion cascade`;
  await sql`create schema partition_conversion`;
  const inSchema = async (fn: (tx: postgres.TransactionSql) => Promise<unknown>) =>
    sql.begin(async (tx) => {
      await tx`select set_config('search_path', 'partition_conversion', true)`;
      return fn(tx);
    });
  await inSchema(async (tx) => {
    for (const m of migrations.slice(0, at)) await tx.unsafe(m.sql);
    await tx`insert into sources (id, name, updated_at) values (${SOURCE_ID}, 'prod', now())`;
  });
  const snapshot = () =>
    inSchema(
      (tx) => tx`select to_jsonb(e) as row from user_events e order by source_id, realm, time, id`,
    ) as Promise<{ row: Record<string, unknown> }[]>;
  return {
    inSchema,
    snapshot,
    migrate: () => inSchema((tx) => tx.unsafe(migrations[at]!.sql)),
    /** The migrations after it, which must still apply on top. */
    rest: () =>
      inSchema(async (tx) => {
        for (const m of migrations.slice(at + 1)) await tx.unsafe(m.sql);
      }),
  };
}

function adminRow(id: string, time: number): AdminEventRow {
  const r = toAdminEventRow(
    {
      id,
      time,
      operationType: "UPDATE",
      resourceType: "CLIENT",
      resourcePath: "clients/c-1",
      representation: "{}",
    },
    { sourceId: SOURCE_ID, realm: "acme", origin: "api" },
  );
  if (isRejected(r)) throw new Error(r.rejected);
  return r;
}

describe("month partitions of admin_events", () => {
  it("exist ahead of time after a restart: this month's, and the next one's once its days are near", async () => {
    // The 27th: the next AHEAD_DAYS days reach into the next month.
    const at = Date.parse("2026-11-27T12:00:00Z");
    await applyMigrations(sql, undefined, new Date(at));
    const names = (await listMonthPartitions(sql, "admin_events")).map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(["admin_events_p202611", "admin_events_p202612"]));
    // Restarted two months later with nothing written meanwhile: its month is there before the first sync.
    await applyMigrations(sql, undefined, new Date(Date.parse("2027-01-20T08:00:00Z")));
    expect((await listMonthPartitions(sql, "admin_events")).map((p) => p.name)).toContain(
      "admin_events_p202701",
    );
  });

  it("stores an admin event years old or ahead of the clock by creating its month, once", async () => {
    const old = Date.parse("2019-03-31T23:59:59.999Z");
    const ahead = Date.now() + 40 * DAY;
    const rows = [adminRow("a-old", old), adminRow("a-ahead", ahead), adminRow("a-now", NOW)];
    expect(await writeAdminEvents(sql, rows)).toBe(3);
    const stored = await sql<{ id: string; time: Date; partition: string }[]>`
      select id, time, tableoid::regclass::text as partition from admin_events
      where id like 'a-%' order by time`;
    expect(stored.map((r) => [r.id, r.time.getTime(), r.partition])).toEqual([
      ["a-old", old, "admin_events_p201903"],
      ["a-now", NOW, "admin_events_p202611"],
      ["a-ahead", ahead, partitionName("admin_events", ahead)],
    ]);
    // Written again (a re-read overlap, a replayed push): nothing new.
    expect(await writeAdminEvents(sql, rows)).toBe(0);
    // Before 2000 is no Keycloak time: refused with its reason when the row is read.
    expect(
      toAdminEventRow(
        { id: "1990", time: 631_152_000_000, operationType: "UPDATE" },
        { sourceId: SOURCE_ID, realm: "acme", origin: "api" },
      ),
    ).toEqual({ rejected: "unusable time 631152000000" });
  });

  it("lets a time-bounded read open only the months it covers, and finds a change by its id alone", async () => {
    await writeAdminEvents(
      sql,
      Array.from({ length: 8 }, (_, i) => adminRow(`m-${i}`, NOW - i * 31 * DAY)),
    );
    const plans = await sql.begin(async (tx) => {
      await tx`analyze admin_events`;
      const ranged = await tx<{ "QUERY PLAN": string }[]>`
        explain select count(*) from admin_events
        where source_id = ${SOURCE_ID} and realm = 'acme'
          and time >= ${new Date(NOW - 40 * DAY)} and time < ${new Date(NOW)}`;
      // A handful of rows per month reads cheaper without any index: make the planner show the index it has.
      await tx`set local enable_seqscan = off`;
      const byId = await tx<{ "QUERY PLAN": string }[]>`
        explain select * from admin_events where source_id = ${SOURCE_ID} and realm = 'acme' and id = 'm-3'`;
      return { ranged, byId };
    });
    const text = plans.ranged.map((l) => l["QUERY PLAN"]).join("\n");
    expect([...new Set(text.match(/admin_events_p\d{6}/g))].sort()).toEqual([
      "admin_events_p202610",
      "admin_events_p202611",
    ]);
    const [found] = await sql<{ id: string }[]>`
      select id from admin_events where source_id = ${SOURCE_ID} and realm = 'acme' and id = 'm-3'`;
    expect(found?.id).toBe("m-3");
    // Each month has its own index on the id: a lookup probes it, no month is read through.
    const byId = plans.byId.map((l) => l["QUERY PLAN"]).join("\n");
    expect(byId).not.toMatch(/Seq Scan/);
    expect(byId).toContain("admin_events_p202611_source_id_realm_id_idx");
  });
});

describe("the migration to day partitions", () => {
  it("moves every event of an installation filled by the previous schema into its day, losing none", async () => {
    const { inSchema, snapshot, migrate, rest } = await beforeMigration(PARTITIONING);
    // The database as the previous release left it, with events of several days, every column filled.
    await inSchema(async (tx) => {
      await tx`
        insert into user_events (source_id, realm, id, time, type, realm_id, client_id, user_id, session_id,
          ip_address, error, details, is_failure, username, cause, rule_id, confidence, evidence, catalogue_version,
          origin, http_method, http_path, http_status, copy_of, ingested_at)
        select ${SOURCE_ID}, case when i % 3 = 0 then 'beta' else 'acme' end, 'ev-' || i,
          ${new Date(NOW)}::timestamptz - (i * interval '7 hours 13 minutes 1.5 seconds'),
          case when i % 4 = 0 then 'LOGIN_ERROR' else 'LOGIN' end, 'rid', 'client-' || (i % 5),
          nullif('user-' || (i % 9), 'user-0'), 'sess-' || i, '10.0.0.' || (i % 250), 
          case when i % 4 = 0 then 'invalid_user_credentials' end,
          case when i % 2 = 0 then jsonb_build_object('auth_method', 'openid-connect', 'n', i::text) end,
          i % 4 = 0, 'name-' || i, case when i % 4 = 0 then 'wrong-password' end, 'r-' || i, 0.5, 'ev', 3,
          case when i % 7 = 0 then 'access-log' else 'api' end, 'POST', '/realms/acme/token',
          case when i % 7 = 0 then 401 end, case when i % 14 = 0 then 'ev-1' end,
          ${new Date(NOW)}::timestamptz + i * interval '1 second'
        from generate_series(1, 600) i`;
    });
    const before = await snapshot();
    expect(before).toHaveLength(600);

    await migrate();

    const after = await snapshot();
    expect(after.map((r) => r.row)).toEqual(before.map((r) => r.row));
    const days = (await inSchema(
      (tx) => tx`
        select count(distinct tableoid)::int as partitions, count(distinct (time at time zone 'UTC')::date)::int as days,
               bool_and(tableoid::regclass::text = 'user_events_p' || to_char(time at time zone 'UTC', 'YYYYMMDD')) as placed
        from user_events`,
    )) as { partitions: number; days: number; placed: boolean }[];
    expect(days[0]).toEqual({ partitions: days[0]!.days, days: days[0]!.days, placed: true });
    const [kind] = (await inSchema(
      (tx) => tx`select relkind from pg_class where oid = 'user_events'::regclass`,
    )) as { relkind: string }[];
    expect(kind?.relkind).toBe("p");
    // The rest of the migrations still apply on top.
    await rest();
  });
});

describe("the migration to tiers", () => {
  it("moves every event of an installation with day partitions into its day's failures or successes, losing none", async () => {
    const { inSchema, snapshot, migrate, rest } = await beforeMigration(TIERS);
    // The previous release: day partitions, eleven of them holding events, every column filled.
    await inSchema(async (tx) => {
      for (let d = 0; d < 11; d++)
        await tx`select realmwatch_event_partition('user_events'::regclass, (${new Date(NOW)}::timestamptz - ${d} * interval '1 day')::date)`;
      await tx`
        insert into user_events (source_id, realm, id, time, type, realm_id, client_id, user_id, session_id,
          ip_address, error, details, is_failure, username, cause, rule_id, confidence, evidence, catalogue_version,
          origin, http_method, http_path, http_status, copy_of)
        select ${SOURCE_ID}, case when i % 3 = 0 then 'beta' else 'acme' end, 'ev-' || i,
          ${new Date(NOW)}::timestamptz - (i * interval '23 minutes 1.5 seconds'),
          case when i % 4 = 0 then 'LOGIN_ERROR' else 'LOGIN' end, 'rid', 'client-' || (i % 5),
          nullif('user-' || (i % 9), 'user-0'), 'sess-' || i, '10.0.0.' || (i % 250),
          case when i % 4 = 0 then 'invalid_user_credentials' end,
          case when i % 2 = 0 then jsonb_build_object('auth_method', 'openid-connect', 'n', i::text) end,
          i % 4 = 0, 'name-' || i, case when i % 4 = 0 then 'wrong-password' end, 'r-' || i, 0.5, 'ev', 3,
          case when i % 7 = 0 then 'access-log' else 'api' end, 'POST', '/realms/acme/token',
          case when i % 7 = 0 then 401 end, case when i % 14 = 0 then 'ev-1' end
        from generate_series(1, 600) i`;
    });
    const before = await snapshot();
    expect(before).toHaveLength(600);

    await migrate();

    expect((await snapshot()).map((r) => r.row)).toEqual(before.map((r) => r.row));
    const [placed] = (await inSchema(
      (tx) => tx`
        select count(distinct tableoid)::int as tables,
               bool_and(tableoid::regclass::text = 'user_events_p' || to_char(time at time zone 'UTC', 'YYYYMMDD')
                        || case when is_failure then '_f' else '_s' end) as placed
        from user_events`,
    )) as { tables: number; placed: boolean }[];
    expect(placed).toEqual({ tables: 22, placed: true });
    // Every day the old layout had (the empty ones too) has both tiers, and no old table is left.
    const [tables] = (await inSchema(
      (tx) => tx`
        select count(*) filter (where relname ~ '^user_events_p[0-9]{8}$')::int as days,
               count(*) filter (where relname ~ '^user_events_p[0-9]{8}_[fs]$')::int as tiers,
               count(*) filter (where relname like '%untiered%')::int as left_over
        from pg_class where relnamespace = 'partition_conversion'::regnamespace and relkind in ('r', 'p')`,
    )) as { days: number; tiers: number; left_over: number }[];
    expect(tables).toEqual({ days: 11, tiers: 22, left_over: 0 });
    await rest();
  });
});

describe("the migration to realm hours", () => {
  it("sums an installation's hour rollups into each realm's hours", async () => {
    const { inSchema, migrate, rest } = await beforeMigration("20261205221517_rollup_realm_hour");
    await inSchema(
      (tx) => tx`
        insert into rollup_hour (source_id, realm, bucket, type, error, cause, client_id, origin, events, failures)
        select ${SOURCE_ID}, case when i % 3 = 0 then 'beta' else 'acme' end,
               date_trunc('hour', ${new Date(NOW)}::timestamptz) - ((i % 5) * interval '1 hour'),
               'LOGIN' || (i % 2), '', '', 'client-' || i, 'api', i, i % 4
        from generate_series(1, 60) i`,
    );
    await migrate();
    const rows = (await inSchema(
      (tx) => tx`
        select r.realm, r.events, r.failures, h.events as cells, h.failures as cell_failures
        from rollup_realm_hour r
        join (select realm, bucket, sum(events)::int as events, sum(failures)::int as failures
              from rollup_hour group by realm, bucket) as h using (realm, bucket)`,
    )) as { realm: string; events: number; failures: number; cells: number; cell_failures: number }[];
    // Two realms, five hours each; each hour the sum of its cells, and all 60 cells counted.
    expect(rows).toHaveLength(10);
    for (const r of rows) expect([r.events, r.failures]).toEqual([r.cells, r.cell_failures]);
    expect(rows.reduce((n, r) => n + r.events, 0)).toBe((60 * 61) / 2);
    await rest();
  });
});
