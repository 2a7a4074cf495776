/**
 * npm run import -- <file | -> [--source <name>] [--realm <name>] [--tz <IANA zone>] [--date yyyy-MM-dd]
 * Imports Keycloak server logs (jboss-logging event lines, any variant; JSON console logs), event JSON, or
 * HTTP access logs (Keycloak, nginx combined/JSON, Traefik JSON); gzip is read as is. `-` reads stdin.
 * Progress on stderr; the final report (counts, skipped lines with numbers, time assumption) as JSON on stdout.
 * Exit codes: 0 imported; 1 some lines skipped; 2 bad arguments; 3 database unavailable.
 *
 * npm run import -- --follow <file> [--state <file>] [--source <name>] [--realm <name>] [--tz <zone>]
 * Follows a log file as Keycloak writes it (like `tail -F`: through rotation and truncation) until stopped
 * (Ctrl-C, SIGTERM), importing each new batch of lines. The position is saved after each stored batch (by
 * default in <data dir>/follow/), so a restart resumes with nothing lost and nothing stored twice.
 */
import { createHash } from "node:crypto";
import { createReadStream, existsSync } from "node:fs";
import path from "node:path";
import { resolveDatabase } from "@/lib/db/database";
import { applyMigrations } from "@/lib/db/migrate";
import { createSql } from "@/lib/db/sql";
import { importLog } from "@/lib/ingest/import/import-log";
import { followImport } from "@/lib/ingest/push/follow-import";
import { getEnv } from "@/lib/server/env";
import { resolveImportSource } from "@/lib/sources/import-source";

const argv = process.argv.slice(2);
const opt = (name: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const follow = opt("follow");
const file = follow ?? argv.find((a, i) => !a.startsWith("--") && !argv[i - 1]?.startsWith("--"));
if (follow !== undefined && (follow === "-" || follow.startsWith("--"))) {
  console.error("usage: npm run import -- --follow <file> [--state <file>]   (a file, not stdin)");
  process.exit(2);
}
if (!file || (file !== "-" && !follow && !existsSync(file))) {
  console.error(
    "usage: npm run import -- <file | -> [--source <name>] [--realm <name>] [--tz <zone>] [--date yyyy-MM-dd]",
  );
  process.exit(2);
}

let db: Awaited<ReturnType<typeof resolveDatabase>>;
let sql: ReturnType<typeof createSql>;
try {
  db = await resolveDatabase();
  sql = createSql(db.url, 4);
  await applyMigrations(sql);
} catch (err) {
  console.error(`realmwatch import: database unavailable: ${(err as Error).message}`);
  process.exit(3);
}

/** --follow: until stopped, each new batch of lines, its position saved after it is stored. */
async function followNamedFile(followed: string): Promise<void> {
  const stateFile =
    opt("state") ??
    path.resolve(
      getEnv().REALMWATCH_DATA_DIR,
      "follow",
      `${createHash("sha256").update(path.resolve(followed)).digest("hex").slice(0, 16)}.json`,
    );
  const controller = new AbortController();
  process.once("SIGINT", () => controller.abort());
  process.once("SIGTERM", () => controller.abort());
  const source = await resolveImportSource(sql, opt("source"));
  process.stderr.write(`following ${followed} into source "${source.name}" (position in ${stateFile})\n`);
  const totals = await followImport(sql, {
    file: followed,
    stateFile,
    sourceId: source.id,
    defaultRealm: opt("realm"),
    timeZone: opt("tz"),
    signal: controller.signal,
    onBatch: (_, t) =>
      process.stderr.write(
        `  ${t.lines} lines, ${t.events} events, ${t.stored} stored, ${t.skipped} skipped\n`,
      ),
  });
  console.log(JSON.stringify(totals));
}

/** One file (or stdin), imported once. */
async function importOnce(name: string): Promise<void> {
  const started = performance.now();
  let last = 0;
  const source = await resolveImportSource(sql, opt("source"));
  const input = name === "-" ? process.stdin : createReadStream(name);
  const report = await importLog(sql, input, {
    sourceId: source.id,
    defaultRealm: opt("realm"),
    timeZone: opt("tz"),
    defaultDate: opt("date"),
    onProgress: (r) => {
      const now = performance.now();
      if (now - last < 1000) return;
      last = now;
      process.stderr.write(
        `  ${r.lines} lines, ${r.events} events, ${r.stored} stored, ${Math.round(r.lines / ((now - started) / 1000))} lines/s\n`,
      );
    },
  });
  const seconds = (performance.now() - started) / 1000;
  process.stderr.write(
    `imported into source "${source.name}": ${report.lines} lines (${report.format}), ${report.events} events, ${report.stored} stored, ${report.alreadyStored} already stored, ${report.notEvents} other lines, ${report.skipped} skipped in ${seconds.toFixed(1)} s\n`,
  );
  if (report.skippedSamples.length > 0) {
    process.stderr.write(
      `skipped lines: ${report.skippedSamples
        .slice(0, 20)
        .map((s) => `${s.lineNo} (${s.reason})`)
        .join(", ")}\n`,
    );
  }
  process.stderr.write(`assumption: ${report.assumption}\n`);
  console.log(JSON.stringify(report));
  process.exitCode = report.skipped > 0 ? 1 : 0;
}

try {
  if (follow) await followNamedFile(follow);
  else await importOnce(file);
} catch (err) {
  console.error(`realmwatch import: ${(err as Error).message}`);
  process.exitCode = 2;
} finally {
  await sql.end({ timeout: 5 });
  await db.stop();
}
