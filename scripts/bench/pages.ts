/**
 * npm run bench -- pages [--events N] [--runs R] [--reuse]
 *
 * The dashboard as a browser meets it. Loads N seeded, realistic user events (default 1,000,000) over the last
 * 35 days through the ingest writer (lib/ingest/write/write-events.ts: COPY, rollups and the username directory in
 * one transaction per batch) into an embedded PostgreSQL of its own (.data/bench-pages), detects patterns, then
 * starts the built app (`next build` output in .next, as `npm start` serves it) against that database and
 * reports:
 * - the server response time of the overview (the whole HTML document, streamed to the end) for the 24-hour,
 *   7-day and 30-day presets and of its JSON API, median and p95 over R requests (default 15) after a warm-up;
 * - the first-load JavaScript of each page: every script the page's HTML loads from /_next/static, gzipped
 *   (level 9) and summed. Chunks loaded later (the recharts chart) are not first-load and are not counted.
 * Goals: overview under 300 ms, first-load JavaScript under 250 kB compressed. --reuse keeps data loaded by an
 * earlier run with the same N less than a day ago. Progress goes to stderr.
 */
import { existsSync, readFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { gzipSync } from "node:zlib";
import type postgres from "postgres";
import { startEmbeddedPostgres } from "@/lib/db/embedded";
import { applyMigrations } from "@/lib/db/migrate";
import { createSql } from "@/lib/db/sql";
import { writeAdminEvents, writeUserEvents } from "@/lib/ingest/write/write-events";
import type { UserEventRow } from "@/lib/keycloak/event-rows";
import { refreshPatterns } from "@/lib/patterns/refresh-patterns";
import { syntheticAdminEvents, syntheticUserEvents } from "@/testkit/synthetic-events";

const GOALS = { overviewMs: 300, firstLoadKb: 250 };
const SOURCE_ID = "7c1e2d3f-4a5b-4c6d-8e9f-a0b1c2d3e4f5";
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const BATCH = 20_000;
const ZONE = "Europe/Berlin";

const startedAt = performance.now();
const log = (message: string) =>
  process.stderr.write(`[bench pages ${((performance.now() - startedAt) / 1000).toFixed(1)}s] ${message}\n`);

function option(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  const value = i >= 0 ? Number(args[i + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return Math.floor(value);
}

export async function run(args: string[]): Promise<Record<string, unknown>> {
  const events = option(args, "events", 1_000_000);
  const runs = option(args, "runs", 15);
  const root = process.cwd();
  if (!existsSync(path.join(root, ".next", "BUILD_ID"))) {
    throw new Error(
      "No production build in .next: run `npm run build` first (the bench measures what npm start serves).",
    );
  }
  const db = await startEmbeddedPostgres({
    dataDir: ".data/bench-pages",
    port: 54359,
    database: "realmwatch_bench_pages",
    ephemeralDurability: true,
  });
  const sql = createSql(db.url, 4);
  let server: http.Server | undefined;
  try {
    await applyMigrations(sql);
    const load = await ensureData(sql, events, args.includes("--reuse"));
    log("detecting patterns");
    await refreshPatterns(sql, { timeZone: ZONE });

    process.env.DATABASE_URL = db.url;
    process.env.REALMWATCH_POLLER = "off";
    process.env.NEXT_TELEMETRY_DISABLED = "1";
    const port = await freePort();
    // The server answers only to its own names at its port (lib/auth/allowed-hosts.ts).
    process.env.PORT = String(port);
    const { default: next } = await import("next");
    const app = next({ dev: false, dir: root, hostname: "127.0.0.1", port });
    await app.prepare();
    const handle = app.getRequestHandler();
    server = http.createServer((req, res) => void handle(req, res));
    await new Promise<void>((r) => server!.listen(port, "127.0.0.1", () => r()));
    const base = `http://127.0.0.1:${port}`;

    log("timing the overview");
    const overview: Record<string, Timing> = {};
    for (const range of ["24h", "7d", "30d"])
      overview[range] = await time(runs, `${base}/?range=${range}&tz=${ZONE}`);
    const overviewApi30d = await time(runs, `${base}/api/overview?range=30d&tz=${ZONE}`);

    log("measuring first-load JavaScript");
    const ids = await sampleIds(sql);
    const pages: Record<string, string> = {
      overview: "/",
      events: "/events",
      user: `/users/${ids.realm}/${encodeURIComponent(ids.userId)}`,
      client: `/clients/${ids.realm}/${encodeURIComponent(ids.clientId)}`,
      patterns: "/patterns",
      pattern: ids.patternId ? `/patterns/${ids.patternId}` : "/patterns",
      sources: "/sources",
    };
    const firstLoadKb: Record<string, number> = {};
    for (const [name, url] of Object.entries(pages)) firstLoadKb[name] = await firstLoadJs(base, url, root);

    const worstOverview = Math.max(...Object.values(overview).map((t) => t.medianMs));
    const heaviest = Math.max(...Object.values(firstLoadKb));
    return {
      events,
      load,
      overviewMs: overview,
      overviewApi30dMs: overviewApi30d,
      firstLoadJsKbGzip: firstLoadKb,
      goals: {
        overviewUnder300Ms: worstOverview < GOALS.overviewMs,
        firstLoadUnder250Kb: heaviest < GOALS.firstLoadKb,
      },
    };
  } finally {
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    server?.closeAllConnections();
    await sql.end({ timeout: 5 });
    await db.stop();
  }
}

/** Loads the events unless --reuse finds the same amount loaded by this bench less than a day ago. */
async function ensureData(
  sql: postgres.Sql,
  events: number,
  reuse: boolean,
): Promise<{ reused: boolean; rows: number; seconds: number; rowsPerSecond?: number }> {
  const [state] = await sql<{ value: { events: number; at: number } }[]>`
    select value from app_state where key = 'bench-pages'`;
  if (reuse && state && state.value.events === events && Date.now() - state.value.at < DAY) {
    log(`reusing ${events.toLocaleString("en-US")} events`);
    return { reused: true, rows: events, seconds: 0 };
  }
  const tables = await sql<{ tablename: string }[]>`
    select tablename from pg_tables where schemaname = 'public' and tablename <> '_prisma_migrations'`;
  await sql`truncate table ${sql(tables.map((t) => t.tablename))} restart identity cascade`;
  await sql`
    insert into sources (id, name, kind, server_url, auth_realm, client_id, realms, status, updated_at)
    values (${SOURCE_ID}::uuid, 'bench', 'api', 'http://127.0.0.1:9', 'master', 'realmwatch', '{*}', 'ok', now())`;

  const now = Date.now();
  const opts = {
    seed: 4242,
    sourceId: SOURCE_ID,
    from: now - 35 * DAY,
    to: now,
    events,
    usersPerRealm: 20_000,
  };
  const started = performance.now();
  const batches = new Map<string, UserEventRow[]>();
  let rows = 0;
  const flush = async (realm: string) => {
    const batch = batches.get(realm);
    if (!batch?.length) return;
    batches.set(realm, []);
    rows += await writeUserEvents(sql, batch);
    if (rows % 100_000 < BATCH) log(`${rows.toLocaleString("en-US")} events written`);
  };
  for (const row of syntheticUserEvents(opts)) {
    const batch = batches.get(row.realm) ?? [];
    batch.push(row);
    batches.set(row.realm, batch);
    if (batch.length >= BATCH) await flush(row.realm);
  }
  for (const realm of batches.keys()) await flush(realm);
  const admin = syntheticAdminEvents(opts);
  for (const realm of new Set(admin.map((a) => a.realm))) {
    await writeAdminEvents(
      sql,
      admin.filter((a) => a.realm === realm),
      {},
    );
  }
  for (const realm of batches.keys()) {
    await sql`
      insert into realms (source_id, name, events_enabled, admin_events_enabled, enabled_event_types, config_checked_at)
      values (${SOURCE_ID}::uuid, ${realm}, true, true,
              ${["LOGIN_ERROR", "USER_INFO_REQUEST_ERROR", "INTROSPECT_TOKEN_ERROR", "REFRESH_TOKEN_ERROR", "PERMISSION_TOKEN_ERROR"]}::text[], now())`;
  }
  await sql`analyze`;
  await sql`
    insert into app_state (key, value) values ('bench-pages', ${sql.json({ events, at: now })})
    on conflict (key) do update set value = excluded.value, updated_at = now()`;
  const seconds = (performance.now() - started) / 1000;
  return {
    reused: false,
    rows,
    seconds: Math.round(seconds * 10) / 10,
    rowsPerSecond: Math.round(rows / seconds),
  };
}

async function sampleIds(sql: postgres.Sql) {
  const [user] = await sql<{ realm: string; user_id: string; client_id: string }[]>`
    select realm, user_id, client_id from user_events
    where source_id = ${SOURCE_ID}::uuid and user_id is not null and client_id is not null and is_failure
    order by time desc limit 1`;
  const [pattern] = await sql<{ id: string }[]>`select id from patterns order by last_seen desc limit 1`;
  return {
    realm: user?.realm ?? "acme",
    userId: user?.user_id ?? "none",
    clientId: user?.client_id ?? "none",
    patternId: pattern?.id ?? null,
  };
}

interface Timing {
  runs: number;
  medianMs: number;
  p95Ms: number;
}

/** Time to the last byte of a document, sequential requests after two warm-ups. */
async function time(runs: number, url: string): Promise<Timing> {
  const fetchAll = async () => {
    const res = await fetch(url);
    if (res.status !== 200) throw new Error(`${url} answered ${res.status}: is the build in .next current?`);
    await res.arrayBuffer();
  };
  await fetchAll();
  await fetchAll();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fetchAll();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  const at = (q: number) => Math.round(ms[Math.min(ms.length - 1, Math.ceil(q * ms.length) - 1)]! * 10) / 10;
  return { runs, medianMs: at(0.5), p95Ms: at(0.95) };
}

/** The gzipped size of every /_next/static script the page's HTML loads, in kB. */
async function firstLoadJs(base: string, url: string, root: string): Promise<number> {
  const res = await fetch(`${base}${url}`);
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}: is the build in .next current?`);
  const html = await res.text();
  const scripts = new Set(
    [...html.matchAll(/<script[^>]+src="(\/_next\/static\/[^"?]+)[^"]*"/g)].map((m) => m[1]!),
  );
  let bytes = 0;
  for (const src of scripts) {
    const file = path.join(root, ".next", "static", decodeURIComponent(src.slice("/_next/static/".length)));
    bytes += gzipSync(readFileSync(file), { level: 9 }).length;
  }
  return Math.round((bytes / 1024) * 10) / 10;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === "object" && addr ? addr.port : 0));
    });
  });
}
