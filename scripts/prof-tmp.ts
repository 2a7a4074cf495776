import { detectIncidents } from "@/lib/analytics/incidents";
import { listIncidentSeries } from "@/lib/analytics/queries/incident-series";
import { startEmbeddedPostgres } from "@/lib/db/embedded";
import { createSql } from "@/lib/db/sql";

const db = await startEmbeddedPostgres({
  dataDir: ".data/bench-query",
  port: 54349,
  database: "realmwatch_bench",
});
const sql = createSql(db.url, 4);
const NOW = Date.parse("2026-06-30T12:00:00Z");
sql.options.debug = undefined as never;
const t0 = performance.now();
const series = await listIncidentSeries(sql, { now: NOW });
const t1 = performance.now();
const found = detectIncidents(series, NOW);
const t2 = performance.now();
console.log({
  series: series.length,
  load: Math.round(t1 - t0),
  detect: Math.round(t2 - t1),
  found: found.length,
});
const byCause: Record<string, number> = {};
for (const f of found)
  byCause[`${f.cause}/${f.kind}/${f.scopeKind}`] = (byCause[`${f.cause}/${f.kind}/${f.scopeKind}`] ?? 0) + 1;
console.log(byCause);
await sql.end();
await db.stop();
