import { afterAll, beforeEach, describe, expect, it } from "vitest";
import {
  dayOf,
  daysBetween,
  ensurePartitions,
  listDayPartitions,
  listDetached,
  listMonthPartitions,
  partitionName,
  tierName,
} from "@/lib/db/event-partitions";
import { classifyRow } from "@/lib/ingest/write/classify-row";
import { writeAdminEvents, writeUserEvents } from "@/lib/ingest/write/write-events";
import {
  type AdminEventRow,
  isRejected,
  toAdminEventRow,
  toUserEventRow,
  type UserEventRow,
} from "@/lib/keycloak/event-rows";
import { listIncidentSeries } from "@/lib/patterns/incident-series";
import { refreshPatterns } from "@/lib/patterns/refresh-patterns";
import { getUserDrilldown } from "@/lib/queries/drilldown/user-drilldown";
import { deleteExpiredEvents } from "@/lib/retention/delete-expired-events";
import { runRetention } from "@/lib/retention/run-retention";
import { SOURCE_ID, seedSource } from "@/testkit/seed-production";
import { testSql, truncateAll } from "../helpers/db";

const sql = testSql(6);
const NOW = Date.parse("2026-11-22T12:00:00Z");
const DAY = 86_400_000;
const CUTOFF = new Date(NOW - 90 * DAY);
const REALMS = ["acme", "beta", "gamma"];

beforeEach(async () => {
  await truncateAll(sql);
  await seedSource(sql);
});

afterAll(async () => {
  await sql.end();
});

/** `count` events per realm, spread evenly from `from` over `spanMs`. */
async function insertEvents(prefix: string, from: number, spanMs: number, count: number) {
  // Rows inserted by hand need their days' partitions, which the writer would otherwise create.
  await ensurePartitions(sql, "user_events", daysBetween(from, from + spanMs));
  for (const realm of REALMS) {
    await sql`
      insert into user_events (source_id, realm, id, time, type, is_failure)
      select ${SOURCE_ID}, ${realm}, ${prefix} || i, ${new Date(from)}::timestamptz + (i::float8 * ${Math.floor(spanMs / count)}) * interval '1 millisecond',
             'LOGIN_ERROR', true
      from generate_series(0, ${count - 1}) i`;
  }
}

const countWhere = async (before: boolean) => {
  const [row] = await sql<{ n: number }[]>`
    select count(*)::int as n from user_events where ${before ? sql`time < ${CUTOFF}` : sql`time >= ${CUTOFF}`}`;
  return row?.n ?? 0;
};

describe("retention", () => {
  it("deletes expired events in batches while ingestion keeps writing, losing nothing newer", async () => {
    await insertEvents("old-", NOW - 200 * DAY, 100 * DAY, 4000);
    await insertEvents("kept-", NOW - 90 * DAY + 60_000, 89 * DAY, 1000);
    await ensurePartitions(sql, "user_events", [NOW]);
    // The row exactly at the cutoff is kept: retention deletes strictly older events.
    await sql`insert into user_events (source_id, realm, id, time, type, is_failure)
              values (${SOURCE_ID}, 'acme', 'edge', ${CUTOFF}, 'LOGIN', false)`;

    let ingesting = true;
    let ingested = 0;
    const ingestion = (async () => {
      while (ingesting) {
        await sql`
          insert into user_events (source_id, realm, id, time, type, is_failure)
          select ${SOURCE_ID}, 'acme', 'live-' || ${ingested} || '-' || i, ${new Date(NOW)}, 'LOGIN', false
          from generate_series(1, 50) i`;
        ingested += 50;
      }
    })();

    const batchSizes: number[] = [];
    const progress = await deleteExpiredEvents(sql, "user_events", CUTOFF, {
      batchSize: 1000,
      onBatch: (n) => {
        batchSizes.push(n);
      },
    });
    ingesting = false;
    await ingestion;

    expect(progress.deleted).toBe(3 * 4000);
    expect(progress.batches).toBeGreaterThanOrEqual(12);
    expect(Math.max(...batchSizes)).toBeLessThanOrEqual(1000);
    expect(await countWhere(true)).toBe(0);
    expect(await countWhere(false)).toBe(3 * 1000 + 1 + ingested);
    expect(ingested).toBeGreaterThan(0);
  });

  it("leaves rollups alone", async () => {
    await insertEvents("old-", NOW - 200 * DAY, 10 * DAY, 10);
    await sql`
      insert into rollup_day (source_id, realm, bucket, type, error, cause, client_id, origin, events, failures)
      values (${SOURCE_ID}, 'acme', ${new Date(NOW - 200 * DAY)}, 'LOGIN_ERROR', '', '', '', 'api', 10, 10)`;
    await deleteExpiredEvents(sql, "user_events", CUTOFF);
    const [row] = await sql<{ n: number }[]>`select sum(failures)::int as n from rollup_day`;
    expect(row?.n).toBe(10);
  });
});

describe("retention by partitions", () => {
  const config = {
    userEventDays: 90,
    successEventDays: 90,
    summaryDays: 400,
    adminEventDays: 365,
    batchSize: 500,
    truncateIp: false,
    hashUsernames: false,
  };
  const liveEvent = (n: number, time: number): UserEventRow => {
    const row = toUserEventRow(
      {
        id: `live-${n}`,
        time,
        type: n % 10 ? "LOGIN" : "LOGIN_ERROR",
        userId: `u-${n % 13}`,
        clientId: "app",
      },
      { sourceId: SOURCE_ID, realm: "acme", origin: "api" },
    );
    if (isRejected(row)) throw new Error(row.rejected);
    return row;
  };

  it("drops whole expired days while a sync writes: nothing lost that should stay, nothing kept that should go", async () => {
    await insertEvents("old-", NOW - 200 * DAY, 100 * DAY, 400);
    // The day that straddles the cutoff: its older hours go, its newer ones stay.
    await insertEvents("straddle-old-", CUTOFF.getTime() - 6 * 3_600_000, 6 * 3_600_000 - 1, 60);
    await insertEvents("straddle-new-", CUTOFF.getTime(), 6 * 3_600_000, 60);
    await insertEvents("kept-", CUTOFF.getTime() + DAY, 80 * DAY, 300);
    const oldDays = (await listDayPartitions(sql, "user_events")).filter(
      (p) => p.day + DAY <= CUTOFF.getTime(),
    );
    expect(oldDays.length).toBeGreaterThanOrEqual(100);

    // The real write path, as a sync page: its days are created and held by the writer.
    let writing = true;
    let written = 0;
    const sync = (async () => {
      while (writing) {
        const batch = Array.from({ length: 50 }, (_, i) =>
          liveEvent(written + i, NOW - (written + i) * 1000),
        );
        written += await writeUserEvents(sql, batch);
      }
    })();
    const result = await runRetention(sql, config, new Date(NOW));
    writing = false;
    await sync;

    expect(written).toBeGreaterThan(0);
    expect(result.partitionsDropped.sort()).toEqual(oldDays.map((p) => p.name).sort());
    // Only the straddling day went by batched delete.
    expect(result.deleted[0]?.deleted).toBe(3 * 60);
    const left = await listDayPartitions(sql, "user_events");
    expect(left.filter((p) => p.day + DAY <= CUTOFF.getTime())).toEqual([]);
    expect(await countWhere(true)).toBe(0);
    expect(await countWhere(false)).toBe(3 * 60 + 3 * 300 + written);
    const [live] = await sql<
      { n: number }[]
    >`select count(*)::int as n from user_events where id like 'live-%'`;
    expect(live?.n).toBe(written);
  });
});

describe("retention of admin events by months", () => {
  const config = {
    userEventDays: 90,
    successEventDays: 7,
    summaryDays: 400,
    adminEventDays: 365,
    batchSize: 50,
    truncateIp: false,
    hashUsernames: false,
  };
  const change = (id: string, time: number, realm = "acme"): AdminEventRow => {
    const r = toAdminEventRow(
      { id, time, operationType: "UPDATE", resourceType: "CLIENT", resourcePath: `clients/${id}` },
      { sourceId: SOURCE_ID, realm, origin: "api" },
    );
    if (isRejected(r)) throw new Error(r.rejected);
    return r;
  };
  const count = async (where: "expired" | "kept") => {
    const cutoff = new Date(NOW - config.adminEventDays * DAY);
    const [row] = await sql<{ n: number }[]>`
      select count(*)::int as n from admin_events
      where ${where === "expired" ? sql`time < ${cutoff}` : sql`time >= ${cutoff}`}`;
    return row?.n ?? 0;
  };

  it("drops whole expired months while a sync writes changes: nothing lost that should stay, nothing kept that should go", async () => {
    const cutoff = NOW - config.adminEventDays * DAY;
    // Two years of changes, one every 29 hours in each of two realms, and a few on both sides of the cutoff.
    for (const realm of ["acme", "beta"]) {
      const old = Array.from({ length: 600 }, (_, i) =>
        change(`${realm}-h-${i}`, NOW - 30 * DAY - i * 29 * 3_600_000, realm),
      );
      expect(await writeAdminEvents(sql, old)).toBe(600);
    }
    await writeAdminEvents(sql, [change("edge-before", cutoff - 1), change("edge-at", cutoff)]);
    const expiredBefore = await count("expired");
    const keptBefore = await count("kept");
    const wholeMonths = (await listMonthPartitions(sql, "admin_events"))
      .filter(
        (m) => Date.UTC(new Date(m.month).getUTCFullYear(), new Date(m.month).getUTCMonth() + 1, 1) <= cutoff,
      )
      .map((m) => m.name);
    expect(wholeMonths.length).toBeGreaterThanOrEqual(8);

    // The real write path, as a sync's admin pages arriving during the pass.
    let writing = true;
    let written = 0;
    const sync = (async () => {
      while (writing) {
        const batch = Array.from({ length: 20 }, (_, i) =>
          change(`live-${written + i}`, NOW - (written + i) * 60_000),
        );
        written += await writeAdminEvents(sql, batch);
      }
    })();
    const result = await runRetention(sql, config, new Date(NOW));
    writing = false;
    await sync;

    expect(written).toBeGreaterThan(0);
    expect(result.partitionsDropped.filter((n) => n.startsWith("admin_events")).sort()).toEqual(
      wholeMonths.sort(),
    );
    // Only the month that straddles the cutoff went by batched delete.
    const straddling = result.deleted.find((d) => d.table === "admin_events");
    expect(straddling?.deleted).toBeGreaterThan(0);
    expect(straddling?.deleted).toBeLessThan(expiredBefore);
    expect(await count("expired")).toBe(0);
    expect(await count("kept")).toBe(keptBefore + written);
    const [edge] = await sql<{ id: string }[]>`select id from admin_events where id like 'edge-%'`;
    expect(edge?.id).toBe("edge-at");
    expect(await listDetached(sql, "admin_events")).toEqual([]);
  });

  it("drops a month a stopped pass left detached, and writes a late change of an expired month once the month is made again", async () => {
    const old = Date.parse("2025-02-10T10:00:00Z");
    await writeAdminEvents(sql, [change("feb-1", old)]);
    await sql`alter table admin_events detach partition admin_events_p202502`;
    expect(await listDetached(sql, "admin_events")).toEqual(["admin_events_p202502"]);
    const result = await runRetention(sql, config, new Date(NOW));
    expect(result.partitionsDropped).toContain("admin_events_p202502");
    expect(await listDetached(sql, "admin_events")).toEqual([]);
    // An import of an old log brings a change of that month again: stored (its month made again), then expired.
    expect(await writeAdminEvents(sql, [change("feb-2", old + 1000)])).toBe(1);
    const [stored] = await sql<
      { n: number }[]
    >`select count(*)::int as n from admin_events where id = 'feb-2'`;
    expect(stored?.n).toBe(1);
    await runRetention(sql, config, new Date(NOW));
    expect(await count("expired")).toBe(0);
  });
});

describe("retention on its own timer", () => {
  it("runs one pass at a time across processes, and a pass deletes what is past its days", async () => {
    const { runRetentionExclusive } = await import("@/lib/retention/retention-timer");
    await insertEvents("old-", NOW - 200 * DAY, 10 * DAY, 30);
    // Another process (a replica, or `npm run sync`) holds the lock: this one skips.
    const other = await sql.reserve();
    try {
      await other`select pg_advisory_lock(${0x7277_7274})`;
      expect(await runRetentionExclusive(sql, new Date(NOW))).toEqual({
        ran: false,
        reason: "another pass is running",
      });
      expect(await countWhere(true)).toBe(90);
      await other`select pg_advisory_unlock(${0x7277_7274})`;
    } finally {
      other.release();
    }
    const outcome = await runRetentionExclusive(sql, new Date(NOW));
    expect(outcome.ran).toBe(true);
    expect(await countWhere(true)).toBe(0);
    // The lock is released after the pass: the next one runs too.
    expect((await runRetentionExclusive(sql, new Date(NOW))).ran).toBe(true);
  });
});

describe("tiered retention", () => {
  const config = {
    userEventDays: 90,
    successEventDays: 7,
    summaryDays: 400,
    adminEventDays: 365,
    batchSize: 500,
    truncateIp: false,
    hashUsernames: false,
  };
  const HOUR = 3_600_000;
  const SUCCESS_CUTOFF = new Date(NOW - 7 * DAY);
  const event = (id: string, time: number, fields: Record<string, unknown>): UserEventRow => {
    const row = toUserEventRow(
      { id, time, clientId: "app", ipAddress: "10.0.0.7", ...fields },
      { sourceId: SOURCE_ID, realm: "acme", origin: "api" },
    );
    if (isRejected(row)) throw new Error(row.rejected);
    return row;
  };
  /** Three weeks of one user: a login and a token a day, a wrong password a day, and a lockout 15 days ago. */
  const history = (): UserEventRow[] => {
    const rows: UserEventRow[] = [];
    for (let d = 1; d <= 20; d++) {
      const at = NOW - d * DAY - HOUR;
      rows.push(event(`login-${d}`, at, { type: "LOGIN", userId: "u-x" }));
      rows.push(event(`token-${d}`, at + 60_000, { type: "CODE_TO_TOKEN", userId: "u-x" }));
      rows.push(
        event(`wrong-${d}`, at - HOUR, {
          type: "LOGIN_ERROR",
          userId: "u-x",
          error: "invalid_user_credentials",
        }),
      );
    }
    rows.push(
      event("lock", NOW - 15 * DAY + HOUR, { type: "USER_DISABLED_BY_TEMPORARY_LOCKOUT", userId: "u-x" }),
    );
    rows.push(
      event("denied", NOW - 15 * DAY + 2 * HOUR, {
        type: "LOGIN_ERROR",
        userId: "u-x",
        error: "user_temporarily_disabled",
      }),
    );
    // A user whose only success is 12 days old.
    rows.push(event("once", NOW - 12 * DAY, { type: "LOGIN", userId: "u-y" }));
    return rows;
  };
  const range = { from: NOW - 30 * DAY, to: NOW };
  const drill = (userId: string) => getUserDrilldown(sql, { realm: "acme", userId, range });
  const facts = (d: Awaited<ReturnType<typeof drill>>) => ({
    failures: d.failures,
    successes: d.successes,
    byCause: d.byCause,
    lastSuccess: d.lastSuccess,
    lockout: d.lockout,
  });

  it("drops the successes tier after its days while a sync writes, and the user's page keeps its counts, last success and lockout", async () => {
    const rows = history();
    expect(await writeUserEvents(sql, rows)).toBe(rows.length);
    const before = { x: facts(await drill("u-x")), y: facts(await drill("u-y")) };
    expect(before.y).toMatchObject({ successes: 1, lastSuccess: NOW - 12 * DAY });
    expect(before.x.lockout).toMatchObject({ state: "cleared", clearedBy: "login" });
    const expiring = rows.filter((r) => !r.isFailure && r.time < SUCCESS_CUTOFF.getTime()).length;
    const failures = rows.filter((r) => r.isFailure).length;

    let writing = true;
    let written = 0;
    const sync = (async () => {
      while (writing) {
        const batch = Array.from({ length: 50 }, (_, i) =>
          event(`live-${written + i}`, NOW - (written + i) * 1000, {
            type: (written + i) % 10 ? "LOGIN" : "LOGIN_ERROR",
            userId: `u-${(written + i) % 13}`,
          }),
        );
        written += await writeUserEvents(sql, batch);
      }
    })();
    const result = await runRetention(sql, config, new Date(NOW));
    writing = false;
    await sync;

    expect(written).toBeGreaterThan(0);
    // Whole success tiers of the days before the cutoff went, failures tiers stayed.
    const droppedDays = result.partitionsDropped.filter((n) => n.endsWith("_s"));
    expect(droppedDays.length).toBeGreaterThanOrEqual(13);
    expect(result.partitionsDropped.filter((n) => !n.endsWith("_s"))).toEqual([]);
    const [counts] = await sql<{ old_successes: number; failures: number; kept: number; live: number }[]>`
      select (count(*) filter (where not is_failure and time < ${SUCCESS_CUTOFF}))::int as old_successes,
             (count(*) filter (where is_failure and id not like 'live-%'))::int as failures,
             (count(*) filter (where not is_failure and time >= ${SUCCESS_CUTOFF} and id not like 'live-%'))::int as kept,
             (count(*) filter (where id like 'live-%'))::int as live
      from user_events`;
    expect(counts).toEqual({
      old_successes: 0,
      failures,
      kept: rows.filter((r) => !r.isFailure && r.time >= SUCCESS_CUTOFF.getTime()).length,
      live: written,
    });
    const [summed] = await sql<{ n: number }[]>`
      select sum(successes)::int as n from user_days where user_id in ('u-x', 'u-y')`;
    expect(summed?.n).toBe(expiring);

    // The pages read the same as before.
    expect(facts(await drill("u-x"))).toEqual(before.x);
    expect(facts(await drill("u-y"))).toEqual(before.y);
    expect((await drill("u-y")).summarizedFrom).toBe(Math.floor((NOW - 12 * DAY) / DAY) * DAY);

    // A late import of a success of a day whose tier is gone: stored (the tier made again), counted, and
    // summarized by the next pass, never lost.
    expect(
      await writeUserEvents(sql, [event("late", NOW - 12 * DAY + 300_000, { type: "LOGIN", userId: "u-y" })]),
    ).toBe(1);
    expect(await drill("u-y")).toMatchObject({ successes: 2, lastSuccess: NOW - 12 * DAY + 300_000 });
    const again = await runRetention(sql, config, new Date(NOW));
    expect(again.partitionsDropped).toEqual([tierName("user_events", dayOf(NOW - 12 * DAY), false)]);
    expect(await drill("u-y")).toMatchObject({ successes: 2, lastSuccess: NOW - 12 * DAY + 300_000 });
    // A range that ends inside a summarized day never shows a success after its end.
    const cut = NOW - 12 * DAY + 60_000;
    const early = await getUserDrilldown(sql, {
      realm: "acme",
      userId: "u-y",
      range: { from: range.from, to: cut },
    });
    expect(early.lastSuccess ?? 0).toBeLessThan(cut);

    // Failures past their own days go the same way, and still count.
    await runRetention(sql, { ...config, userEventDays: 10 }, new Date(NOW));
    const [left] = await sql<{ n: number }[]>`
      select count(*)::int as n from user_events where is_failure and time < ${new Date(NOW - 10 * DAY)}`;
    expect(left?.n).toBe(0);
    expect(facts(await drill("u-x"))).toEqual(before.x);
  });

  it("detection reads the same users' series and finds the same patterns after their raw successes expire", async () => {
    // Three weeks of two users with wrong passwords every day: u-busy among a dozen logins a day (a user mistyping
    // now and then: no series of their own), u-stuck among two (a series, its traffic read hour by hour).
    const rows: UserEventRow[] = [];
    for (let d = 1; d <= 20; d++) {
      const day = Math.floor(NOW / DAY) * DAY - d * DAY;
      for (let h = 8; h < 20; h++)
        rows.push(event(`busy-ok-${d}-${h}`, day + h * HOUR + 60_000, { type: "LOGIN", userId: "u-busy" }));
      for (const h of [7, 15])
        rows.push(
          event(`stuck-ok-${d}-${h}`, day + h * HOUR + 120_000, { type: "LOGIN", userId: "u-stuck" }),
        );
      for (const [user, wrong] of [
        ["u-busy", 5],
        ["u-stuck", 12],
      ] as const) {
        for (let i = 0; i < wrong; i++)
          rows.push(
            event(`${user}-wrong-${d}-${i}`, day + 9 * HOUR + i * 60_000, {
              type: "LOGIN_ERROR",
              userId: user,
              error: "invalid_user_credentials",
            }),
          );
      }
    }
    for (const r of rows) classifyRow(r);
    expect(await writeUserEvents(sql, rows)).toBe(rows.length);
    const userSeries = async () =>
      (await listIncidentSeries(sql, { now: NOW, historyDays: 30 }))
        .filter((s) => s.scopeKind === "user")
        .map((s) => ({ user: s.scopeValue, cause: s.cause, failures: s.failures, traffic: s.traffic }));
    const patterns = async () => {
      await refreshPatterns(sql, { now: NOW, full: true, historyDays: 30 });
      return sql`
        select cause, scope_kind, scope_value, first_seen, status from patterns
        order by cause, scope_kind, scope_value, first_seen`;
    };
    const before = { series: await userSeries(), patterns: await patterns() };
    expect(before.series.map((s) => s.user)).toEqual(["u-stuck"]);
    // u-stuck fails at most of its attempts, day after day: a persistent pattern of its own.
    expect(before.patterns).toContainEqual(
      expect.objectContaining({ cause: "user-credentials", scope_kind: "user", scope_value: "u-stuck" }),
    );
    // Its traffic holds its successes: two a day besides the failures.
    expect(before.series[0]?.traffic.reduce<number>((a, b) => a + (b ?? 0), 0)).toBe(20 * 14);

    const result = await runRetention(sql, config, new Date(NOW));
    expect(result.partitionsDropped.filter((n) => n.endsWith("_s")).length).toBeGreaterThanOrEqual(13);
    const [left] = await sql<{ n: number }[]>`
      select count(*)::int as n from user_events where not is_failure and time < ${SUCCESS_CUTOFF}`;
    expect(left?.n).toBe(0);

    expect(await userSeries()).toEqual(before.series);
    expect(await patterns()).toEqual(before.patterns);
  });

  it("finishes a table a stopped pass left detached: summarized once, then dropped", async () => {
    const rows = history();
    await writeUserEvents(sql, rows);
    const day = dayOf(NOW - 12 * DAY);
    // A pass that stopped after its detach: the tier stands alone.
    await sql`alter table ${sql(partitionName("user_events", day))} detach partition ${sql(tierName("user_events", day, false))}`;
    expect(await listDetached(sql, "user_events")).toEqual([tierName("user_events", day, false)]);
    await runRetention(sql, config, new Date(NOW));
    expect(await listDetached(sql, "user_events")).toEqual([]);
    const [summed] = await sql<{ n: number }[]>`select sum(successes)::int as n from user_days`;
    expect(summed?.n).toBe(rows.filter((r) => !r.isFailure && r.time < SUCCESS_CUTOFF.getTime()).length);
  });
});
