/**
 * npm run bench -- scale [--events N] [--days D] [--repeat R] [--detection-only | --on-history]
 *
 * A large deployment's history under tiered retention. N user events (default 30,000,000) spread over D days
 * (default 90) with a realistic mix (2% failures, four realms, 150 clients each, 25,000 users each, office-hours
 * traffic, one planted incident with its admin change) are written oldest first through the product's own writer
 * (lib/ingest/write: the existence check, COPY, rollups and names in one transaction per batch of 5,000), and
 * at each UTC midnight the retention pass runs as the timer would (failures kept 90 days, successes 7, user days
 * 400): the successes of the day a week back are summarized into user_days and their table dropped. Then it
 * reports the load rate, the disk used (events, rollups, user days, the whole database) and bytes per stored
 * event, the retention passes' times, one day's detach, summary and drop timed apart, the overview over 30 days,
 * a typical and the busiest user's drill-down over 30 days (reaching back past the successes' week into the
 * user days), a client's drill-down over 7 days, the first pattern detection and the hourly refresh, and the
 * peak RSS of this process (after the load, and again after detection, which runs in it too) and of PostgreSQL's
 * processes. Goals (issue 20): overview < 100 ms, drill-downs < 50 ms, pattern refresh < 2 s, dropping one day
 * < 1 s, peak RSS < 300 MB. The database: DATABASE_URL (local only: it is wiped) or an embedded PostgreSQL in
 * .data/bench-scale with fsync off. Progress goes to stderr.
 *
 * --detection-only runs only the pattern detection (the first over the whole history, then the hourly refresh)
 * on the history an earlier run left in that database, nothing wiped or loaded, and reports its times and this
 * process's peak RSS: the detection's own memory (run it with NODE_OPTIONS=--max-old-space-size=N to see what
 * heap it needs).
 *
 * --on-history times the queries and the detection on that history likewise, and reports the peak memory of this
 * process and of PostgreSQL's processes: to compare settings (REALMWATCH_PG_SHARED_BUFFERS_MB) on one history.
 */
import { readFileSync } from "node:fs";
import v8 from "node:v8";
import type postgres from "postgres";
import { isLocalDatabaseUrl } from "@/lib/db/database";
import { startEmbeddedPostgres } from "@/lib/db/embedded";
import {
  type DayPartition,
  dayOf,
  detachConcurrently,
  listDayPartitions,
  listTiers,
  tierName,
} from "@/lib/db/event-partitions";
import { applyMigrations } from "@/lib/db/migrate";
import { createSql } from "@/lib/db/sql";
import { writeAdminEvents, writeUserEvents } from "@/lib/ingest/write/write-events";
import type { UserEventRow } from "@/lib/keycloak/event-rows";
import { refreshPatterns } from "@/lib/patterns/refresh-patterns";
import { getClientDrilldown } from "@/lib/queries/drilldown/client-drilldown";
import { getUserDrilldown } from "@/lib/queries/drilldown/user-drilldown";
import { getFailureSeries } from "@/lib/queries/overview/failure-series";
import { listTopUsersAndIps } from "@/lib/queries/overview/list-top-users-and-ips";
import type { RetentionConfig } from "@/lib/retention/retention-config";
import { runRetention } from "@/lib/retention/run-retention";
import { addToUserDays } from "@/lib/retention/user-day-summaries";
import { type SyntheticOptions, syntheticAdminEvents, syntheticUserEvents } from "@/testkit/synthetic-events";
import { rssSampler } from "./bench-db";
import { plantedMissingRole, positiveOption } from "./planted";
import { postgresMemorySampler } from "./processes";
import { type Timing, time } from "./timing";

const GOALS = { overviewMs: 100, drilldownMs: 50, refreshMs: 2_000, dropDayMs: 1_000, peakRssMiB: 300 };
const SOURCE_ID = "6b0f5d2a-1c3e-4a5b-9d7e-0f1a2b3c4d5e";
const NOW = Date.parse("2026-06-30T12:00:00Z");
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ZONE = "Europe/Berlin";
const BATCH = 5_000;
const RETENTION: RetentionConfig = {
  userEventDays: 90,
  successEventDays: 7,
  summaryDays: 400,
  adminEventDays: 365,
  batchSize: 5_000,
  truncateIp: false,
  hashUsernames: false,
};

const startedAt = performance.now();
function log(message: string): void {
  const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
  process.stderr.write(`[bench scale ${seconds}s] ${message}\n`);
}

function dataset(events: number, days: number): SyntheticOptions {
  return {
    seed: 2027,
    sourceId: SOURCE_ID,
    from: NOW - days * DAY,
    to: NOW,
    events,
    realms: ["acme", "retail", "internal", "partners"],
    clientsPerRealm: 150,
    usersPerRealm: 25_000,
    failureRate: 0.02,
    incidents: [plantedMissingRole(NOW, Math.max(200, Math.round(events / days / 24 / 50)))],
  };
}

const round = (n: number) => Math.round(n * 10) / 10;
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? round(s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!) : null;
};

/** The largest resident set (VmHWM) among PostgreSQL's processes serving this database, in MiB. */
async function postgresPeakRss(sql: postgres.Sql): Promise<number | null> {
  const pids = await sql<{ pid: number }[]>`select pid from pg_stat_activity`;
  let peak: number | null = null;
  for (const { pid } of pids) {
    try {
      const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
      if (kb) peak = Math.max(peak ?? 0, Math.round(Number(kb) / 1024));
    } catch {
      // A process that ended, or a server on another host: not measured.
    }
  }
  return peak;
}

/**
 * Writes the history oldest first in batches of one realm, running the retention pass at each UTC midnight the
 * stream crosses, as the timer would on a live server. Returns the rows written and each pass's time.
 */
async function load(sql: postgres.Sql, opts: SyntheticOptions) {
  const buffers = new Map<string, UserEventRow[]>();
  let rows = 0;
  let written = 0;
  const passes: number[] = [];
  let dropped = 0;
  const flush = async (realm: string) => {
    const batch = buffers.get(realm);
    if (!batch || batch.length === 0) return;
    buffers.set(realm, []);
    written += await writeUserEvents(sql, batch);
  };
  const flushAll = async () => {
    for (const realm of buffers.keys()) await flush(realm);
  };
  let day = dayOf(opts.from);
  const started = performance.now();
  for (const row of syntheticUserEvents(opts)) {
    const d = dayOf(row.time);
    if (d > day) {
      await flushAll();
      const t = performance.now();
      const pass = await runRetention(sql, RETENTION, new Date(d));
      passes.push(performance.now() - t);
      dropped += pass.partitionsDropped.length;
      day = d;
      if (passes.length % 10 === 0)
        log(`${rows.toLocaleString("en-US")} events, day ${passes.length}, ${dropped} tables dropped`);
    }
    let batch = buffers.get(row.realm);
    if (!batch) {
      batch = [];
      buffers.set(row.realm, batch);
    }
    batch.push(row);
    rows++;
    if (batch.length >= BATCH) await flush(row.realm);
  }
  await flushAll();
  const seconds = (performance.now() - started) / 1000;
  const final = performance.now();
  await runRetention(sql, RETENTION, new Date(NOW));
  passes.push(performance.now() - final);
  const admin = syntheticAdminEvents(opts);
  for (const realm of new Set(admin.map((a) => a.realm)))
    await writeAdminEvents(
      sql,
      admin.filter((a) => a.realm === realm),
      {},
    );
  return { rows, written, seconds, passes, dropped };
}

/** The first pattern detection over the whole history, then the hourly refresh, three times. */
async function detect(sql: postgres.Sql): Promise<{ firstDetectionMs: number; refresh: Timing }> {
  log("detecting patterns over the history, then the hourly refresh");
  const firstStarted = performance.now();
  await refreshPatterns(sql, { now: NOW - HOUR, timeZone: ZONE, full: true });
  const firstDetectionMs = Math.round(performance.now() - firstStarted);
  const refresh = await time(3, () => refreshPatterns(sql, { now: NOW, timeZone: ZONE }));
  return { firstDetectionMs, refresh };
}

/** The overview over 30 days, a typical and the busiest user's page over 30 days, a client's over 7 days. */
async function timeQueries(sql: postgres.Sql, repeat: number) {
  const month = { from: NOW - 30 * DAY, to: NOW };
  const week = { from: NOW - 7 * DAY, to: NOW };
  const busiest = (await listTopUsersAndIps(sql, { sourceId: SOURCE_ID, realm: "acme", range: week })).users
    .rows[0];
  const [typical] = await sql<{ user_id: string }[]>`
    select user_id from user_days where realm = 'acme' and source_id = ${SOURCE_ID}
    group by user_id order by sum(successes) desc, user_id offset 2000 limit 1`;
  if (!busiest || !typical) throw new Error("no users to measure");
  log("timing queries");
  const queries = {
    overview30d: await time(repeat, () =>
      getFailureSeries(sql, {
        sourceId: SOURCE_ID,
        range: month,
        timeZone: ZONE,
        bucket: "day",
        compare: true,
      }),
    ),
    userDrilldown30d: await time(repeat, () =>
      getUserDrilldown(sql, { sourceId: SOURCE_ID, realm: "acme", userId: typical.user_id, range: month }),
    ),
    busiestUserDrilldown30d: await time(repeat, () =>
      getUserDrilldown(sql, { sourceId: SOURCE_ID, realm: "acme", userId: busiest.userId, range: month }),
    ),
    clientDrilldown7d: await time(repeat, () =>
      getClientDrilldown(sql, {
        sourceId: SOURCE_ID,
        realm: "acme",
        clientId: "orders-api",
        range: week,
        timeZone: ZONE,
      }),
    ),
  };
  const typicalPage = await getUserDrilldown(sql, {
    sourceId: SOURCE_ID,
    realm: "acme",
    userId: typical.user_id,
    range: month,
  });
  return { queries, typicalPage };
}

/** The modes that measure a kept history: its schema brought up to date, and refused when there is none. */
async function requireHistory(sql: postgres.Sql, mode: string): Promise<void> {
  await applyMigrations(sql);
  const [held] = await sql<{ any: boolean }[]>`select exists(select 1 from rollup_hour) as any`;
  if (!held?.any) throw new Error(`${mode} needs the history of an earlier run: the database holds none.`);
}

async function detectionOnly(
  sql: postgres.Sql,
  rss: ReturnType<typeof rssSampler>,
): Promise<Record<string, unknown>> {
  await requireHistory(sql, "--detection-only");
  const { firstDetectionMs, refresh } = await detect(sql);
  const [stored] = await sql<{ n: number }[]>`select count(*)::int as n from patterns`;
  return {
    detectionOnly: true,
    patterns: { firstDetectionMs, refresh, stored: stored?.n ?? 0 },
    peakRssMiB: { bench: rss.peakMiB() },
    heapLimitMiB: Math.round(v8.getHeapStatistics().heap_size_limit / 2 ** 20),
    goals: { patternRefreshMs: 2_000, peakRssMiB: 300 },
  };
}

async function onHistory(
  sql: postgres.Sql,
  repeat: number,
  rss: ReturnType<typeof rssSampler>,
  pgMemory: ReturnType<typeof postgresMemorySampler>,
): Promise<Record<string, unknown>> {
  await requireHistory(sql, "--on-history");
  const { queries } = await timeQueries(sql, repeat);
  const { firstDetectionMs, refresh } = await detect(sql);
  return {
    onHistory: true,
    sharedBuffers: await sharedBuffers(sql),
    queries,
    patterns: { firstDetectionMs, refresh },
    peakRssMiB: { bench: rss.peakMiB(), postgres: await postgresPeakRss(sql) },
    postgresPeakMemoryMiB: pgMemory.peakMiB(),
    goals: GOALS,
    loadAverage: readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" "),
  };
}

async function sharedBuffers(sql: postgres.Sql): Promise<string> {
  const [row] = await sql<{ v: string }[]>`select current_setting('shared_buffers') as v`;
  return row?.v ?? "?";
}

export async function run(args: string[]): Promise<Record<string, unknown>> {
  const events = positiveOption(args, "events", 30_000_000);
  const days = positiveOption(args, "days", 90);
  const repeat = positiveOption(args, "repeat", 30);
  const given = process.env.DATABASE_URL;
  if (given && !isLocalDatabaseUrl(given))
    throw new Error("Benchmarks wipe their database: use a local DATABASE_URL.");
  const db = given
    ? null
    : await startEmbeddedPostgres({
        dataDir: ".data/bench-scale",
        port: 54351,
        database: "realmwatch_bench",
        ephemeralDurability: true,
      });
  const sql = createSql(given ?? db!.url, 4);
  const rss = rssSampler(100);
  const pgMemory = postgresMemorySampler(sql);
  try {
    if (args.includes("--detection-only")) return await detectionOnly(sql, rss);
    if (args.includes("--on-history")) return await onHistory(sql, repeat, rss, pgMemory);
    await sql`drop schema if exists public cascade`;
    await sql`create schema public`;
    const opts = dataset(events, days);
    await applyMigrations(sql, undefined, new Date(opts.from));
    log(`writing ${events.toLocaleString("en-US")} events over ${days} days, retention at each midnight`);
    const loaded = await load(sql, opts);
    // The writer's own peak, before detection runs in this process too.
    const loadPeakRssMiB = rss.peakMiB();
    log(`written ${loaded.written.toLocaleString("en-US")} in ${round(loaded.seconds)} s; vacuum analyze`);
    await sql`vacuum (analyze)`;

    const [sizes] = await sql<
      {
        events_bytes: string;
        stored: number;
        failures: number;
        rollups_bytes: string;
        user_days_bytes: string;
        user_days: number;
        database_bytes: string;
      }[]
    >`
      select (select sum(pg_total_relation_size(relid)) from pg_partition_tree('user_events'))::text as events_bytes,
             (select count(*) from user_events)::int as stored,
             (select count(*) from user_events where is_failure)::int as failures,
             (pg_total_relation_size('rollup_minute') + pg_total_relation_size('rollup_hour')
              + pg_total_relation_size('rollup_day'))::text as rollups_bytes,
             pg_total_relation_size('user_days')::text as user_days_bytes,
             (select count(*) from user_days)::int as user_days,
             pg_database_size(current_database())::text as database_bytes`;
    const mib = (b: string | undefined) => Math.round(Number(b ?? 0) / 2 ** 20);
    const bytesPerStored = Math.round(Number(sizes?.events_bytes ?? 0) / Math.max(1, sizes?.stored ?? 1));

    // One day's expiry, its steps timed apart: the oldest day's successes tier still standing is the one the
    // next pass would take (detach CONCURRENTLY, add to the user days, drop).
    let oldestWithSuccesses: DayPartition | undefined;
    for (const p of await listDayPartitions(sql, "user_events")) {
      if (p.day + DAY > NOW) break;
      if ((await listTiers(sql, p)).some((t) => t.endsWith("_s"))) {
        oldestWithSuccesses = p;
        break;
      }
    }
    let dropDay: Record<string, unknown> = { measured: false };
    if (oldestWithSuccesses) {
      const tier = tierName("user_events", dayOf(oldestWithSuccesses.day), false);
      const [count] = await sql<{ n: number }[]>`select count(*)::int as n from ${sql(tier)}`;
      const t0 = performance.now();
      await detachConcurrently(sql, oldestWithSuccesses.name, tier);
      const t1 = performance.now();
      await sql.begin(async (tx) => {
        await addToUserDays(tx, tx`${tx(tier)}`);
      });
      const t2 = performance.now();
      await sql`drop table ${sql(tier)}`;
      const t3 = performance.now();
      dropDay = {
        table: tier,
        rows: count?.n ?? 0,
        detachMs: round(t1 - t0),
        summarizeMs: round(t2 - t1),
        dropMs: round(t3 - t2),
        totalMs: round(t3 - t0),
      };
    }

    const { firstDetectionMs, refresh } = await detect(sql);

    const { queries, typicalPage } = await timeQueries(sql, repeat);
    const postgresPeakRssMiB = await postgresPeakRss(sql);
    const benchPeakRssMiB = rss.peakMiB();
    const drilldownWorst = Math.max(
      queries.userDrilldown30d.medianMs,
      queries.busiestUserDrilldown30d.medianMs,
      queries.clientDrilldown7d.medianMs,
    );
    return {
      events,
      days,
      load: {
        written: loaded.written,
        seconds: round(loaded.seconds),
        eventsPerSecond: Math.round(loaded.written / loaded.seconds),
        retentionPasses: loaded.passes.length,
        retentionPassMs: {
          median: quantile(loaded.passes, 0.5),
          p95: quantile(loaded.passes, 0.95),
          max: quantile(loaded.passes, 1),
        },
        tablesDropped: loaded.dropped,
      },
      disk: {
        storedEvents: sizes?.stored,
        storedFailures: sizes?.failures,
        eventsMiB: mib(sizes?.events_bytes),
        bytesPerStoredEvent: bytesPerStored,
        bytesPerEventWritten: Math.round(Number(sizes?.events_bytes ?? 0) / Math.max(1, loaded.written)),
        rollupsMiB: mib(sizes?.rollups_bytes),
        userDays: sizes?.user_days,
        userDaysMiB: mib(sizes?.user_days_bytes),
        databaseMiB: mib(sizes?.database_bytes),
        untieredProjectionMiB: Math.round((bytesPerStored * loaded.written) / 2 ** 20),
      },
      dropDay,
      patterns: { firstDetectionMs, refresh },
      queries,
      typicalUser: {
        successes: typicalPage.successes,
        failures: typicalPage.failures,
        summarizedFrom: typicalPage.summarizedFrom
          ? new Date(typicalPage.summarizedFrom).toISOString()
          : null,
        lastSuccess: typicalPage.lastSuccess ? new Date(typicalPage.lastSuccess).toISOString() : null,
      },
      peakRssMiB: { load: loadPeakRssMiB, bench: benchPeakRssMiB, postgres: postgresPeakRssMiB },
      // PostgreSQL's peak RSS above counts the shared buffer pool each process read; apart, sampled each second.
      postgresPeakMemoryMiB: pgMemory.peakMiB(),
      sharedBuffers: await sharedBuffers(sql),
      goals: GOALS,
      met: {
        overview: queries.overview30d.medianMs < GOALS.overviewMs,
        drilldowns: drilldownWorst < GOALS.drilldownMs,
        refresh: refresh.medianMs < GOALS.refreshMs,
        dropDay:
          typeof dropDay.detachMs === "number" &&
          (dropDay.detachMs as number) + (dropDay.dropMs as number) < GOALS.dropDayMs,
        peakRss: benchPeakRssMiB < GOALS.peakRssMiB && (postgresPeakRssMiB ?? 0) < GOALS.peakRssMiB,
      },
      loadAverage: readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" "),
    };
  } finally {
    rss.stop();
    pgMemory.stop();
    await sql.end();
    await db?.stop();
  }
}
