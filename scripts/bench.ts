/**
 * npm run bench -- <name> [options]
 * Runs one committed benchmark and prints its result as one JSON line on stdout (progress goes to stderr).
 *   ingest   --events N        demo Keycloak over HTTP > sync > PostgreSQL, vs raw COPY of the same rows
 *   classify                   classifier throughput on parsed events and on log lines
 *   import   --lines N         log import into PostgreSQL: lines/s for a 1,000,000-line log, peak RSS
 *   import-parse               the same log read and parsed only (no database)
 *   query    --events N        analytics latency: rollups vs raw table
 *   pages                      overview response time at 1,000,000 events, first-load JS per page
 *   push     --rate N --seconds S   webhook pushes and shipped log lines at N/s each while the overview is read
 *   sustained --rate N --minutes M   live traffic polled every 10 s while the dashboard is read: ingest lag
 *   scale    --events N --days D      a large history written under tiered retention: disk, query and drop times
 *   overlap  --rate N --batch B       API events and server-log lines of the same events: each write's matching time
 */
import os from "node:os";

const BENCHES: Record<string, () => Promise<{ run(args: string[]): Promise<Record<string, unknown>> }>> = {
  ingest: () => import("./bench/ingest"),
  classify: () => import("./bench/classify"),
  import: () => import("./bench/import"),
  "import-parse": () => import("./bench/import-parse"),
  query: () => import("./bench/query"),
  pages: () => import("./bench/pages"),
  push: () => import("./bench/push"),
  sustained: () => import("./bench/sustained"),
  scale: () => import("./bench/scale"),
  overlap: () => import("./bench/overlap"),
};

const [name, ...args] = process.argv.slice(2);
const load = name ? BENCHES[name] : undefined;
if (!load) {
  console.error(`usage: npm run bench -- <${Object.keys(BENCHES).join("|")}> [options]`);
  process.exit(2);
}
const result = await (await load()).run(args);
const machine = {
  cpus: os.cpus().length,
  cpuModel: os.cpus()[0]?.model ?? "unknown",
  memoryGiB: Math.round(os.totalmem() / 2 ** 30),
  node: process.version,
};
console.log(JSON.stringify({ bench: name, ...result, machine, at: new Date().toISOString() }));
process.exit(0);
