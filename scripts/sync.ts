/**
 * npm run sync [-- --once] [--source <name>]
 * Syncs every enabled Keycloak source (KEYCLOAK_* registers "default"), printing progress to stderr: events
 * read and stored, events/s, pages, lag. Without --once it keeps polling every REALMWATCH_SYNC_INTERVAL_SEC.
 * Exit codes: 0 all streams synced; 1 some streams failed; 2 every stream failed or the configuration is wrong;
 * 3 the database is unavailable.
 */
import { resolveDatabase } from "@/lib/db/database";
import { applyMigrations } from "@/lib/db/migrate";
import { createSql } from "@/lib/db/sql";
import { syncOptionsFromEnv } from "@/lib/ingest/sync/sync-options";
import { type SourceOutcome, syncSource } from "@/lib/ingest/sync/sync-source";
import type { StreamProgress } from "@/lib/ingest/sync/sync-stream";
import { classifyRow } from "@/lib/ingest/write/classify-row";
import { runRetentionExclusive } from "@/lib/retention/retention-timer";
import { getEnv } from "@/lib/server/env";
import { registerEnvSource } from "@/lib/sources/env-source";
import { listSources } from "@/lib/sources/read-sources";

const args = process.argv.slice(2);
const once = args.includes("--once");
const sourceName = args.includes("--source") ? args[args.indexOf("--source") + 1] : undefined;
const env = getEnv();

let db: Awaited<ReturnType<typeof resolveDatabase>>;
let sql: ReturnType<typeof createSql>;
try {
  db = await resolveDatabase();
  process.env.DATABASE_URL = db.url;
  sql = createSql(db.url, 4);
  await applyMigrations(sql);
  await registerEnvSource(sql, env);
} catch (err) {
  console.error(`realmwatch sync: database unavailable: ${(err as Error).message}`);
  process.exit(3);
}

/** Each stream's first page in this run: its rate counts what was read after it, over the time since. */
const started = new Map<string, { at: number; read: number }>();
let lastPrint = 0;
function onPage(p: StreamProgress) {
  const k = `${p.key.realm}/${p.key.kind}`;
  const now = performance.now();
  const first = started.get(k) ?? { at: now, read: p.read };
  if (!started.has(k)) started.set(k, first);
  if (now - lastPrint < 1000) return;
  lastPrint = now;
  // The first page's own fetch time is unknown here: a rate over less than a second would be noise.
  const secs = (now - first.at) / 1000;
  const rate = secs >= 1 ? `${Math.round((p.read - first.read) / secs)} events/s, ` : "";
  const lag = p.lastEventTime ? Math.round((Date.now() - p.lastEventTime) / 1000) : null;
  process.stderr.write(
    `  ${k}: ${p.read} read, ${p.inserted} stored, ${rate}${p.pages} pages, lag ${lag ?? "?"} s\n`,
  );
}

function summarize(outcomes: SourceOutcome[]): number {
  let failed = 0;
  let total = 0;
  for (const o of outcomes) {
    process.stderr.write(
      `${o.name}: ${o.status}${o.mode ? ` (${o.mode} mode)` : ""}${o.message ? ` — ${o.message}` : ""}\n`,
    );
    for (const [realm, h] of Object.entries(o.health)) {
      if ("error" in h) process.stderr.write(`  ${realm} events config: ${h.error}\n`);
      else for (const f of h.findings) process.stderr.write(`  ${realm}: ${f}\n`);
    }
    for (const s of o.streams) {
      total++;
      if (s.status === "error") failed++;
      const r = s.result;
      process.stderr.write(
        `  ${s.realm}/${s.kind}: ${s.status}${r ? `, ${r.read} read, ${r.inserted} stored, ${r.pages} pages` : ""}${s.message ? ` — ${s.message}` : ""}\n`,
      );
    }
    if (o.status === "error" && o.streams.length === 0) {
      total++;
      failed++;
    }
  }
  if (total === 0) return 2;
  return failed === 0 ? 0 : failed === total ? 2 : 1;
}

async function runAll(): Promise<number> {
  const sources = (await listSources(sql)).filter((s) => !sourceName || s.name === sourceName);
  if (sources.length === 0) {
    process.stderr.write(
      sourceName
        ? `No enabled source named "${sourceName}".\n`
        : "No Keycloak source: set KEYCLOAK_URL, KEYCLOAK_CLIENT_ID and KEYCLOAK_CLIENT_SECRET, or add one in the app.\n",
    );
    return 2;
  }
  const outcomes: SourceOutcome[] = [];
  for (const s of sources) {
    started.clear();
    outcomes.push(await syncSource(sql, s, { ...syncOptionsFromEnv(env), classify: classifyRow, onPage }));
  }
  return summarize(outcomes);
}

let stopping = false;
process.on("SIGINT", () => {
  stopping = true;
});
process.on("SIGTERM", () => {
  stopping = true;
});

let code = 0;
try {
  do {
    // Polls start every interval (not an interval after the previous one ended), so a long poll does not
    // add its length to the next event's wait (at least a second's pause between polls).
    const pollStarted = Date.now();
    code = await runAll();
    // Retention after each round, so that a set-up that syncs only with this command (REALMWATCH_POLLER=off)
    // still deletes what is past its days. Skipped while the server's own timer runs a pass.
    const retention = await runRetentionExclusive(sql, new Date());
    if (retention.ran) {
      const removed = retention.result.deleted.reduce((n, d) => n + d.deleted, 0);
      if (removed) console.log(`retention: ${removed} expired events deleted`);
      const tables = retention.result.partitionsDropped;
      if (tables.length) console.log(`retention: expired event tables dropped: ${tables.join(", ")}`);
    }
    if (once || stopping) break;
    const wait = env.REALMWATCH_SYNC_INTERVAL_SEC * 1000 - (Date.now() - pollStarted);
    await new Promise((r) => setTimeout(r, Math.max(1_000, wait)));
  } while (!stopping);
} catch (err) {
  console.error(`realmwatch sync: ${(err as Error).message}`);
  code = /connect|ECONNREFUSED|terminat/i.test((err as Error).message) ? 3 : 2;
}
await sql.end({ timeout: 5 });
await db.stop();
const usage = process.resourceUsage();
const cpuSeconds = (usage.userCPUTime + usage.systemCPUTime) / 1e6;
process.stderr.write(`peak RSS ${Math.round(usage.maxRSS / 1024)} MiB, CPU ${cpuSeconds.toFixed(2)} s\n`);
process.exit(code);
