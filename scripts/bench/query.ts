/**
 * npm run bench -- query [--events N] [--repeat R] [--reuse]
 *
 * Analytics latency at scale. Loads N seeded, realistic user events (default 1,000,000; the target run is
 * --events 10000000) over 30 days with COPY into an embedded PostgreSQL of its own (.data/bench-query), builds
 * the rollups, detects patterns, then reports median and p95 latency over R calls (default 30) of: the 30-day
 * overview series, top clients, a user's drill-down, a client's drill-down and two patterns' detail (the planted
 * incident and the most recently active pattern), and of the same answers straight from the raw event tables,
 * without rollups or what pattern detection stored (fewer calls for the slow ones); each pair must agree.
 * --reuse keeps the data of an earlier run with the same N (migrating it). Also times the first pattern detection
 * over the whole history (no pattern stored yet) and the hourly refresh after it. Goals: overview < 100 ms median,
 * drill-downs < 50 ms, >= 20x faster than raw, first detection < 60 s, hourly refresh < 2 s. Progress goes to
 * stderr.
 */
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type postgres from "postgres";
import { startEmbeddedPostgres } from "@/lib/db/embedded";
import { daysBetween, ensurePartitions } from "@/lib/db/event-partitions";
import { applyMigrations } from "@/lib/db/migrate";
import { createSql } from "@/lib/db/sql";
import { copyLine } from "@/lib/ingest/write/copy-text";
import { rebuildRollups } from "@/lib/ingest/write/rollup-batch";
import { writeAdminEvents } from "@/lib/ingest/write/write-events";
import { refreshPatterns } from "@/lib/patterns/refresh-patterns";
import { getClientDrilldown } from "@/lib/queries/drilldown/client-drilldown";
import { getUserDrilldown } from "@/lib/queries/drilldown/user-drilldown";
import { getFailureSeries } from "@/lib/queries/overview/failure-series";
import { listTopUsersAndIps } from "@/lib/queries/overview/list-top-users-and-ips";
import { listTopClients } from "@/lib/queries/overview/top-clients";
import { listPatterns } from "@/lib/queries/patterns/list-patterns";
import { getPatternDetail } from "@/lib/queries/patterns/pattern-detail";
import { type SyntheticOptions, syntheticAdminEvents, syntheticUserEvents } from "@/testkit/synthetic-events";
import { plantedMissingRole, positiveOption } from "./planted";
import { patternDetailDifferences, rawPatternDetail } from "./raw-pattern-detail";
import { type Timing, time } from "./timing";

const GOALS = {
  overviewMedianMs: 100,
  drilldownMedianMs: 50,
  speedup: 20,
  firstDetectionMs: 60_000,
  hourlyRefreshMs: 2_000,
};
const SOURCE_ID = "6b0f5d2a-1c3e-4a5b-9d7e-0f1a2b3c4d5e";
const NOW = Date.parse("2026-06-30T12:00:00Z");
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ZONE = "Europe/Berlin";
const COLUMNS = [
  "source_id",
  "realm",
  "id",
  "time",
  "type",
  "client_id",
  "user_id",
  "ip_address",
  "error",
  "is_failure",
  "username",
  "cause",
  "origin",
  "http_method",
  "http_path",
  "http_status",
];

const startedAt = performance.now();

function log(message: string): void {
  const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
  process.stderr.write(`[bench query ${seconds}s] ${message}\n`);
}

function dataset(events: number): SyntheticOptions {
  const incidents = [plantedMissingRole(NOW, Math.max(200, Math.round(events / 30 / 24 / 20)))];
  return {
    seed: 2026,
    sourceId: SOURCE_ID,
    from: NOW - 30 * DAY,
    to: NOW,
    events,
    usersPerRealm: 20_000,
    incidents,
  };
}

async function load(sql: postgres.Sql, opts: SyntheticOptions): Promise<{ rows: number; seconds: number }> {
  const started = performance.now();
  let rows = 0;
  async function* lines() {
    let buf = "";
    for (const r of syntheticUserEvents(opts)) {
      buf += copyLine([
        r.sourceId,
        r.realm,
        r.id,
        new Date(r.time).toISOString(),
        r.type,
        r.clientId,
        r.userId,
        r.ipAddress,
        r.error,
        r.isFailure ? "t" : "f",
        r.username,
        r.cause,
        r.origin,
        r.httpMethod,
        r.httpPath,
        r.httpStatus,
      ]);
      if (++rows % 500_000 === 0) log(`${rows.toLocaleString("en-US")} events copied`);
      if (buf.length > 1 << 20) {
        yield buf;
        buf = "";
      }
    }
    if (buf) yield buf;
  }
  // A bulk load builds secondary indexes once at the end, as any bulk loader does; the definitions are the
  // migration's own, read back from the catalog.
  await ensurePartitions(sql, "user_events", daysBetween(opts.from, opts.to));
  // The parent's index definitions say ON ONLY (that table alone): rebuilt without it, each is built on every
  // day's partition too.
  const indexes = await sql<{ name: string; definition: string }[]>`
    select indexname as name, replace(indexdef, ' ON ONLY ', ' ON ') as definition from pg_indexes
    where schemaname = 'public' and tablename = 'user_events' and indexname <> 'user_events_pkey'`;
  for (const index of indexes) await sql`drop index ${sql(index.name)}`;
  const writable = await sql`copy user_events (${sql(COLUMNS)}) from stdin`.writable();
  await pipeline(Readable.from(lines()), writable);
  log("building indexes");
  await sql.begin(async (tx) => {
    await tx`set local maintenance_work_mem = '512MB'`;
    // Text from pg_indexes, not from input.
    for (const index of indexes) await tx.unsafe(index.definition);
  });
  const admin = syntheticAdminEvents(opts);
  for (const realm of new Set(admin.map((a) => a.realm))) {
    await writeAdminEvents(
      sql,
      admin.filter((a) => a.realm === realm),
      {},
    );
  }
  return { rows, seconds: (performance.now() - started) / 1000 };
}

export async function run(args: string[]): Promise<Record<string, unknown>> {
  const events = positiveOption(args, "events", 1_000_000);
  const repeat = positiveOption(args, "repeat", 30);
  const rawRepeat = Math.max(3, Math.ceil(repeat / 6));
  const reuse = args.includes("--reuse");
  const db = await startEmbeddedPostgres({
    dataDir: ".data/bench-query",
    port: 54349,
    database: "realmwatch_bench",
    ephemeralDurability: true,
  });
  const sql = createSql(db.url, 4);
  try {
    const opts = dataset(events);
    const marker = { events, seed: opts.seed, now: NOW };
    const [stored] = reuse
      ? await sql<{ value: typeof marker }[]>`select value from app_state where key = 'bench.query'`.catch(
          () => [],
        )
      : [];
    let loadInfo: Record<string, unknown> = { reused: true };
    const same =
      stored?.value.events === events && stored.value.seed === opts.seed && stored.value.now === NOW;
    if (!same) {
      await sql`drop schema if exists public cascade`;
      await sql`create schema public`;
      await applyMigrations(sql);
      log(`loading ${events.toLocaleString("en-US")} events with COPY`);
      const loaded = await load(sql, opts);
      log(`building rollups`);
      const t = performance.now();
      await rebuildRollups(sql);
      const rollupSeconds = (performance.now() - t) / 1000;
      // What autovacuum would do to a freshly loaded table before long (visibility map, hint bits, statistics):
      // done here so the timings do not race it.
      await sql`vacuum (analyze)`;
      await sql`insert into app_state (key, value) values ('bench.query', ${sql.json(marker)})`;
      loadInfo = {
        reused: false,
        rows: loaded.rows,
        loadSeconds: Math.round(loaded.seconds * 10) / 10,
        eventsPerSecond: Math.round(loaded.rows / loaded.seconds),
        rollupBuildSeconds: Math.round(rollupSeconds * 10) / 10,
      };
    } else {
      // Data of an earlier run, brought to the current schema.
      loadInfo = { reused: true, migrated: await applyMigrations(sql) };
    }
    const [sizes] = await sql<
      { events_mb: number; rollups_mb: number; hour_rows: number; minute_rows: number }[]
    >`
      select ((select sum(pg_total_relation_size(relid)) from pg_partition_tree('user_events')) / 1048576)::int as events_mb,
             ((pg_total_relation_size('rollup_minute') + pg_total_relation_size('rollup_hour')
              + pg_total_relation_size('rollup_day')) / 1048576)::int as rollups_mb,
             (select count(*) from rollup_hour)::int as hour_rows, (select count(*) from rollup_minute)::int as minute_rows`;

    // The first detection after a backfill: no pattern stored, the whole history read, every incident's
    // evidence and suspects collected. Then the hourly refresh an hour later: the same history read again, the
    // open incidents' new hour collected. Then refreshes at the same hour (what the poller does after each sync).
    log("detecting patterns after the backfill");
    await sql`delete from patterns where source_id = ${SOURCE_ID}`;
    const firstStarted = performance.now();
    const first = await refreshPatterns(sql, { now: NOW - HOUR, timeZone: ZONE, full: true });
    const firstDetection = { ms: Math.round(performance.now() - firstStarted), ...first };
    log("the hourly refresh");
    const hourStarted = performance.now();
    const hourly = await refreshPatterns(sql, { now: NOW, timeZone: ZONE });
    const hourlyRefresh = { ms: Math.round(performance.now() - hourStarted), ...hourly };
    const refresh = await time(3, () => refreshPatterns(sql, { now: NOW, timeZone: ZONE }));
    const patterns = await listPatterns(sql, { sourceId: SOURCE_ID });
    // The planted incident, and the most recently active pattern (background noise makes small ones too).
    const planted = patterns.find(
      (p) => p.realm === "acme" && p.cause === "missing-role" && p.scopeValue === "orders-api",
    );
    const latest = patterns[0];
    if (!planted || !latest) throw new Error("the planted incident was not detected: no pattern to measure");
    const plantedQuestion = { id: planted.id, timeZone: ZONE, now: NOW };
    const latestQuestion = { id: latest.id, timeZone: ZONE, now: NOW };

    const month = { from: NOW - 30 * DAY, to: NOW };
    const week = { from: NOW - 7 * DAY, to: NOW };
    const topUser = (await listTopUsersAndIps(sql, { sourceId: SOURCE_ID, realm: "acme", range: week })).users
      .rows[0];
    if (!topUser) throw new Error("no user with failures in the last week");
    // A typical active user: the 2,000th by events in the last week (the top one is a service-like outlier).
    const [typicalUser] = await sql<{ user_id: string; events: number }[]>`
      select user_id, count(*)::int as events from user_events
      where source_id = ${SOURCE_ID} and realm = 'acme' and user_id is not null
        and time >= ${new Date(week.from).toISOString()}::timestamptz
      group by user_id order by events desc, user_id offset 2000 limit 1`;
    if (!typicalUser) throw new Error("fewer than 2,000 users in the last week");
    log("timing queries");
    const overview = () =>
      getFailureSeries(sql, {
        sourceId: SOURCE_ID,
        range: month,
        timeZone: ZONE,
        bucket: "day",
        compare: true,
      });
    const results = {
      overview30d: await time(repeat, overview),
      topClients30d: await time(repeat, () => listTopClients(sql, { sourceId: SOURCE_ID, range: month })),
      topUsers30d: await time(repeat, () =>
        listTopUsersAndIps(sql, { sourceId: SOURCE_ID, realm: "acme", range: month }),
      ),
      userDrilldown30d: await time(repeat, () =>
        getUserDrilldown(sql, {
          sourceId: SOURCE_ID,
          realm: "acme",
          userId: typicalUser.user_id,
          range: month,
        }),
      ),
      busiestUserDrilldown30d: await time(repeat, () =>
        getUserDrilldown(sql, { sourceId: SOURCE_ID, realm: "acme", userId: topUser.userId, range: month }),
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
      patternDetail: await time(repeat, () => getPatternDetail(sql, plantedQuestion)),
      latestPatternDetail: await time(repeat, () => getPatternDetail(sql, latestQuestion)),
      firstDetection,
      hourlyRefresh,
      refreshPatterns: refresh,
    };

    log("timing the same answers from user_events without rollups");
    const from = new Date(month.from).toISOString();
    const to = new Date(month.to).toISOString();
    const rawSeries = (start: string, end: string) => sql`
      select date_trunc('day', time, ${ZONE}) as day, coalesce(cause, 'unknown') as cause, count(*)::int as failures
      from user_events
      where source_id = ${SOURCE_ID} and time >= ${start}::timestamptz and time < ${end}::timestamptz and is_failure
      group by 1, 2`;
    // Like the overview: this period by cause and the period before for comparison.
    const previousFrom = new Date(month.from - 30 * DAY).toISOString();
    const rawOverview = async () =>
      (await Promise.all([rawSeries(from, to), rawSeries(previousFrom, from)]))[0];
    const rawTopClients = () => sql`
      select coalesce(client_id, '') as client_id, count(*) filter (where is_failure)::int as failures, count(*)::int as events
      from user_events
      where source_id = ${SOURCE_ID} and time >= ${from}::timestamptz and time < ${to}::timestamptz
      group by 1 order by failures desc limit 10`;
    const raw = {
      overview30d: await time(rawRepeat, rawOverview),
      topClients30d: await time(rawRepeat, rawTopClients),
      // Tens of milliseconds: as many calls as the product's answer.
      patternDetail: await time(repeat, () => rawPatternDetail(sql, plantedQuestion)),
      latestPatternDetail: await time(repeat, () => rawPatternDetail(sql, latestQuestion)),
    };

    // The rollup answer and the raw answer must agree, or the speed means nothing.
    const fromRollups = (
      await getFailureSeries(sql, { sourceId: SOURCE_ID, range: month, timeZone: ZONE, bucket: "day" })
    ).total;
    const fromEvents = (await rawOverview()).reduce((sum, r) => sum + (r.failures as number), 0);
    const measurePattern = async (question: typeof plantedQuestion) => {
      const detail = await getPatternDetail(sql, question);
      if (!detail) throw new Error("a measured pattern vanished");
      const differences = patternDetailDifferences(detail, await rawPatternDetail(sql, question));
      const p = detail.pattern;
      return {
        shape: {
          cause: p.cause,
          scope: p.scopeKind,
          hours: (p.lastSeen - p.firstSeen) / HOUR,
          failures: p.eventCount,
          users: p.affectedUsers,
          suspects: p.suspectedChanges.length,
        },
        differences,
      };
    };
    const plantedCheck = await measurePattern(plantedQuestion);
    const latestCheck = await measurePattern(latestQuestion);
    const patternDifferences = [...plantedCheck.differences, ...latestCheck.differences];

    const speedup = (a: Timing, b: Timing) => Math.round((b.medianMs / Math.max(a.medianMs, 0.1)) * 10) / 10;
    const speedups = {
      overview30d: speedup(results.overview30d, raw.overview30d),
      topClients30d: speedup(results.topClients30d, raw.topClients30d),
      patternDetail: speedup(results.patternDetail, raw.patternDetail),
      latestPatternDetail: speedup(results.latestPatternDetail, raw.latestPatternDetail),
    };
    return {
      events,
      repeat,
      load: loadInfo,
      sizes,
      queries: results,
      raw,
      speedups,
      consistent: {
        overview30d: fromRollups === fromEvents,
        patternDetail: plantedCheck.differences.length === 0,
        latestPatternDetail: latestCheck.differences.length === 0,
      },
      ...(patternDifferences.length > 0 ? { patternDifferences: patternDifferences.slice(0, 20) } : {}),
      failuresIn30d: fromEvents,
      patterns: { planted: plantedCheck.shape, latest: latestCheck.shape },
      users: {
        typical: { userId: typicalUser.user_id, eventsLast7d: typicalUser.events },
        busiest: { userId: topUser.userId, failuresLast7d: topUser.failures },
      },
      goals: {
        overviewUnder100ms: results.overview30d.medianMs < GOALS.overviewMedianMs,
        drilldownsUnder50ms:
          results.userDrilldown30d.medianMs < GOALS.drilldownMedianMs &&
          results.busiestUserDrilldown30d.medianMs < GOALS.drilldownMedianMs &&
          results.clientDrilldown7d.medianMs < GOALS.drilldownMedianMs &&
          results.patternDetail.medianMs < GOALS.drilldownMedianMs &&
          results.latestPatternDetail.medianMs < GOALS.drilldownMedianMs,
        firstDetectionUnder60s: results.firstDetection.ms < GOALS.firstDetectionMs,
        hourlyRefreshUnder2s: results.hourlyRefresh.ms < GOALS.hourlyRefreshMs,
        // A faster answer that differs from the raw one does not count.
        atLeast20xFasterThanRaw:
          Object.values(speedups).every((s) => s >= GOALS.speedup) &&
          fromRollups === fromEvents &&
          patternDifferences.length === 0,
      },
    };
  } finally {
    await sql.end({ timeout: 5 });
    await db.stop();
  }
}
