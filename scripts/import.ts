/**
 * npm run import -- <file | -> [--source <name>] [--realm <name>] [--tz <IANA zone>] [--date yyyy-MM-dd]
 * Imports Keycloak server logs (jboss-logging event lines, any variant; JSON console logs), event JSON, or
 * HTTP access logs (Keycloak, nginx combined/JSON, Traefik JSON); gzip is read as is. `-` reads stdin.
 * Progress on stderr; the final report (counts, skipped lines with numbers, time assumption) as JSON on stdout.
 * Exit codes: 0 imported; 1 some lines skipped; 2 bad arguments; 3 database unavailable.
 */
import { createReadStream, existsSync } from "node:fs";
import { resolveDatabase } from "@/lib/db/database";
import { applyMigrations } from "@/lib/db/migrate";
import { createSql } from "@/lib/db/sql";
import { importLog } from "@/lib/ingest/import/import-log";
import { resolveImportSource } from "@/lib/sources/import-source";

const argv = process.argv.slice(2);
const opt = (name: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const file = argv.find((a, i) => !a.startsWith("--") && !argv[i - 1]?.startsWith("--"));
if (!file || (file !== "-" && !existsSync(file))) {
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

const started = performance.now();
let last = 0;
try {
  const source = await resolveImportSource(sql, opt("source"));
  const input = file === "-" ? process.stdin : createReadStream(file);
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
} catch (err) {
  console.error(`realmwatch import: ${(err as Error).message}`);
  process.exitCode = 2;
} finally {
  await sql.end({ timeout: 5 });
  await db.stop();
}
