import type postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dayOf, daysBetween, ensurePartitions, ensurePartitionsAhead } from "@/lib/db/event-partitions";
import { writeUserEvents } from "@/lib/ingest/write/write-events";
import { isRejected, toUserEventRow, type UserEventRow } from "@/lib/keycloak/event-rows";
import { testSql, truncateAll } from "../../helpers/db";

let sql: postgres.Sql;
const sourceId = "00000000-0000-4000-8000-0000000077e1";

beforeAll(async () => {
  sql = testSql();
  await truncateAll(sql);
  await sql`insert into sources (id, name, kind, updated_at) values (${sourceId}, 'writer', 'import', now())`;
});
afterAll(async () => {
  await truncateAll(sql);
  await sql.end();
});

function event(i: number, failed: boolean): UserEventRow {
  const row = toUserEventRow(
    {
      id: `ev-${i}`,
      // Two events per second: a batch spans minutes, so rollup cells of several minutes are touched.
      time: Date.UTC(2026, 10, 1, 10, 0, 0) + i * 500,
      type: failed ? "LOGIN_ERROR" : "LOGIN",
      clientId: `client-${i % 3}`,
      userId: `user-${i % 7}`,
      error: failed ? "invalid_user_credentials" : null,
      details: { username: `name-${i % 7}`, note: "tab\there\nand a newline" },
    },
    { sourceId, realm: "acme", origin: "api" },
  );
  if (isRejected(row)) throw new Error(row.rejected);
  return row;
}

const rollupTotals = async () =>
  Object.fromEntries(
    await Promise.all(
      ["rollup_minute", "rollup_hour", "rollup_day", "rollup_realm_hour"].map(async (table) => {
        const [t] = await sql<{ events: number; failures: number }[]>`
          select coalesce(sum(events), 0)::int as events, coalesce(sum(failures), 0)::int as failures
          from ${sql(table)} where source_id = ${sourceId}`;
        return [table, t];
      }),
    ),
  );

describe("writing user events", () => {
  it("stores and counts only the rows of a batch not stored yet, across COPY chunks", async () => {
    // 3,000 rows make several COPY chunks; the second batch repeats every third row of the first.
    const first = Array.from({ length: 3000 }, (_, i) => event(i, i % 4 === 0));
    expect(
      await writeUserEvents(
        sql,
        first.filter((_, i) => i % 2 === 0),
      ),
    ).toBe(1500);
    expect(await writeUserEvents(sql, first)).toBe(1500);
    expect(await writeUserEvents(sql, first)).toBe(0);

    const [stored] = await sql<{ n: number; failures: number }[]>`
      select count(*)::int as n, (count(*) filter (where is_failure))::int as failures
      from user_events where source_id = ${sourceId}`;
    expect(stored).toEqual({ n: 3000, failures: 750 });
    const totals = await rollupTotals();
    for (const table of ["rollup_minute", "rollup_hour", "rollup_day", "rollup_realm_hour"])
      expect(totals[table]).toEqual({ events: 3000, failures: 750 });

    // The text survived COPY's escaping.
    const [one] = await sql<{ details: Record<string, string> }[]>`
      select details from user_events where source_id = ${sourceId} and id = 'ev-1'`;
    expect(one?.details.note).toBe("tab\there\nand a newline");
    const names = await sql`select user_id from user_names where source_id = ${sourceId}`;
    expect(names).toHaveLength(7);
  });
});

describe("two writers of one realm", () => {
  it("checks which events are stored only once it holds the realm's write lock", async () => {
    const row = event(90_000, true);
    await ensurePartitions(sql, "user_events", [dayOf(row.time)]);
    // Another writer of the realm holds its lock and has stored the event, not yet committed.
    const other = await sql.reserve();
    try {
      await other`begin`;
      await other`select pg_advisory_xact_lock(hashtextextended(${`realmwatch:write:user_events:${sourceId}:acme`}, 0))`;
      await other`
        insert into user_events (source_id, realm, id, time, type, is_failure)
        values (${sourceId}, 'acme', ${row.id}, ${new Date(row.time)}, ${row.type}, true)`;
      const writing = writeUserEvents(sql, [row]);
      // Long enough for the write to send its statements and wait on the lock.
      await new Promise((r) => setTimeout(r, 300));
      await other`commit`;
      // Its check ran after the other writer committed: the event counts as stored, no second copy is tried.
      expect(await writing).toBe(0);
    } finally {
      await other`rollback`.catch(() => {});
      other.release();
    }
    const [n] = await sql<{ n: number }[]>`select count(*)::int as n from user_events where id = ${row.id}`;
    expect(n?.n).toBe(1);
  });
});

describe("the writer's locks", () => {
  it("holds the partitions of its batch's days, not every day of the table", async () => {
    // Sixty days kept: locked whole, the table would lock each day and both its tiers.
    const first = Date.UTC(2026, 7, 1);
    await ensurePartitions(sql, "user_events", daysBetween(first, first + 59 * 86_400_000));
    const row = { ...event(1, true), id: "locks-1", time: first + 30 * 86_400_000 + 12 * 3_600_000 };
    let held: string[] = [];
    await writeUserEvents(sql, [row], {
      alongside: async (tx) => {
        const rows = await tx<{ name: string }[]>`
          select distinct c.relname as name from pg_locks l join pg_class c on c.oid = l.relation
          where l.pid = pg_backend_pid() and l.locktype = 'relation' and c.relkind in ('r', 'p')
            and c.relname like 'user_events%'`;
        held = rows.map((r) => r.name).sort();
      },
    });
    expect(held).toEqual([
      "user_events",
      "user_events_p20260831",
      "user_events_p20260831_f",
      "user_events_p20260831_s",
    ]);
  });
});

describe("partitions gone after the writer made sure of them", () => {
  // The writer remembers the days it made sure of and sends no query for them again; a day or tier that went
  // since (retention dropped or detached it) must fail the write before its COPY (postgres.js hangs on a COPY
  // the server refuses), and the write is retried with the partitions made again.
  const day = Date.UTC(2026, 9, 3);
  const row = (i: number, failed: boolean) => ({
    ...event(i, failed),
    id: `gone-${i}`,
    time: day + i * 1000,
  });
  const tier = `user_events_p20261003_s`;

  it("writes again into a successes tier dropped since the last write of its day", async () => {
    expect(await writeUserEvents(sql, [row(1, false)])).toBe(1);
    await sql`alter table user_events_p20261003 detach partition ${sql(tier)}`;
    await sql`drop table ${sql(tier)}`;
    const started = Date.now();
    expect(await writeUserEvents(sql, [row(2, false), row(3, true)])).toBe(2);
    expect(Date.now() - started).toBeLessThan(30_000);
    const [n] = await sql<{ n: number }[]>`
      select count(*)::int as n from user_events where source_id = ${sourceId} and id like 'gone-%'`;
    expect(n?.n).toBe(2); // the first write's success went with its tier
  });

  it("makes the days ahead again, asking the database, when one went after this process made sure of it", async () => {
    const now = new Date(Date.UTC(2026, 9, 10, 12));
    await ensurePartitionsAhead(sql, now);
    await sql`alter table user_events detach partition user_events_p20261012`;
    await sql`drop table user_events_p20261012`;
    await ensurePartitionsAhead(sql, now);
    const [made] = await sql<{ ok: boolean }[]>`
      select to_regclass('user_events_p20261012_s') is not null and to_regclass('user_events_p20261012_f') is not null
        as ok`;
    expect(made?.ok).toBe(true);
  });

  it("refuses with the reason, and does not hang, while a tier of the day hangs detached", async () => {
    expect(await writeUserEvents(sql, [row(4, false)])).toBe(1);
    await sql`alter table user_events_p20261003 detach partition ${sql(tier)}`;
    try {
      await expect(writeUserEvents(sql, [row(5, false)])).rejects.toThrow(/no partition of relation/);
    } finally {
      await sql`alter table user_events_p20261003 attach partition ${sql(tier)} for values in (false)`;
    }
    expect(await writeUserEvents(sql, [row(5, false)])).toBe(1);
  });
});
