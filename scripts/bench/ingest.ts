/**
 * npm run bench -- ingest [--events 1000000] [--page 10000] [--mode modern|legacy]
 * End to end: a demo Keycloak (its own process) serves N events over HTTP; realmwatch syncs them (paging,
 * parsing, classification, COPY, rollups, cursor) into PostgreSQL. Then the same rows are COPYed raw into a
 * table of the same shape and indexes, on the same database in the same run: the ceiling to compare with.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createReadStream, createWriteStream, rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { parseArgs } from "node:util";
import type postgres from "postgres";
import { USER_COLUMNS, userLine } from "@/lib/ingest/write/write-events";
import { userEventRowFromDb } from "@/lib/keycloak/event-rows";
import { upsertSource } from "@/lib/sources/save-source";
import { demoSourceInput } from "@/packages/demo-keycloak/src/build-realms";
import { openBenchDatabase } from "./bench-db";

export async function run(args: string[]): Promise<Record<string, unknown>> {
  const { values } = parseArgs({
    args,
    options: {
      events: { type: "string", default: "1000000" },
      page: { type: "string", default: "10000" },
      mode: { type: "string", default: "modern" },
    },
  });
  const events = Number(values.events);
  const pageSize = Number(values.page);
  const log = (m: string) => process.stderr.write(`[bench ingest] ${m}\n`);

  log(`starting the demo Keycloak with ${events} events…`);
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      "scripts/bench/demo-child.ts",
      "--events",
      String(events),
      "--mode",
      String(values.mode),
    ],
    {
      stdio: ["pipe", "pipe", "inherit"],
    },
  );
  try {
    const { url } = await firstJsonLine<{ url: string }>(child);
    const { db, sql, serverVersion } = await openBenchDatabase();
    try {
      await upsertSource(sql, demoSourceInput(url, { name: "bench", realms: ["bench"] }));
      // The real CLI, in its own process with its own (capped) heap: `npm run sync -- --once`, same node flags.
      log("syncing with npm run sync…");
      const t0 = performance.now();
      const cli = spawn(
        process.execPath,
        [
          // Extra V8 flags for the sync process (e.g. --cpu-prof) when looking for where its time goes.
          ...(process.env.BENCH_SYNC_NODE_FLAGS ?? "").split(" ").filter(Boolean),
          ...(await syncScriptArgs()),
          "--once",
          "--source",
          "bench",
        ],
        {
          env: {
            ...process.env,
            DATABASE_URL: db.url,
            KEYCLOAK_URL: "",
            // The demo Keycloak listens on loopback, which a source may reach only when allowed (lib/server/outbound.ts).
            REALMWATCH_ALLOW_PRIVATE_SOURCES: "1",
            REALMWATCH_SYNC_PAGE_SIZE: String(pageSize),
            REALMWATCH_SYNC_SETTLE_SEC: "0",
          },
          stdio: ["ignore", "ignore", "pipe"],
        },
      );
      let stderr = "";
      cli.stderr?.on("data", (d) => {
        stderr += String(d);
      });
      const exit = await new Promise<number | null>((r) => cli.once("exit", (code) => r(code)));
      const seconds = (performance.now() - t0) / 1000;
      if (exit !== 0) throw new Error(`npm run sync exited ${exit}: ${stderr.slice(-2000)}`);
      const peakRssMiB = Number(/peak RSS (\d+) MiB/.exec(stderr)?.[1] ?? Number.NaN);
      const syncCpuSeconds = Number(/, CPU ([\d.]+) s/.exec(stderr)?.[1] ?? Number.NaN);
      const pages = Number(
        /bench\/user: ok, \d+ read, \d+ stored, (\d+) pages/.exec(stderr)?.[1] ?? Number.NaN,
      );
      const [{ n } = { n: 0 }] = await sql<
        { n: number }[]
      >`select count(*)::int as n from user_events where realm = 'bench'`;
      log(`synced ${n} events in ${seconds.toFixed(1)} s; measuring raw COPY of the same rows…`);
      const stored = await storedBytes(sql, n);

      // The raw ceiling: the stored rows, formatted exactly as the writer formats them, COPYed from a file into a
      // table with the same columns and indexes. Statements of 100,000 rows: postgres.js 3.4 stalls on some
      // very long COPY streams (and on Buffer chunks), which would measure the driver, not PostgreSQL.
      const file = path.join(os.tmpdir(), `realmwatch-bench-${process.pid}.copy`);
      const out = createWriteStream(file, { encoding: "utf8" });
      const rowsPerFile: number[] = [];
      for await (const batch of sql`select * from user_events where realm = 'bench'`.cursor(10_000)) {
        const text = batch.map((r) => userLine(userEventRowFromDb(r))).join("");
        if (!out.write(text)) await new Promise<void>((r) => out.once("drain", () => r()));
        rowsPerFile.push(batch.length);
      }
      await new Promise<void>((r) => out.end(r));
      await sql`create table bench_raw_copy (like user_events including all)`;
      let rawMs = 0;
      const copyChunk = async (parts: string[]) => {
        const t = performance.now();
        await pipeline(
          Readable.from(parts),
          await sql`copy bench_raw_copy (${sql(USER_COLUMNS as unknown as string[])}) from stdin`.writable(),
        );
        rawMs += performance.now() - t;
      };
      // Read line by line (bounded memory), COPY 100,000 rows per statement; only the COPYs are timed.
      let parts: string[] = [];
      let part = "";
      let rowsInChunk = 0;
      for await (const line of createInterface({ input: createReadStream(file, { encoding: "utf8" }) })) {
        part += `${line}\n`;
        rowsInChunk++;
        if (rowsInChunk % 2_000 === 0) {
          parts.push(part);
          part = "";
        }
        if (rowsInChunk === 100_000) {
          await copyChunk(parts);
          parts = [];
          rowsInChunk = 0;
        }
      }
      if (part) parts.push(part);
      if (parts.length) await copyChunk(parts);
      const rawSeconds = rawMs / 1000;
      rmSync(file, { force: true });
      await sql`drop table bench_raw_copy`;
      const [failures] = await sql<
        { n: number }[]
      >`select count(*)::int as n from user_events where realm = 'bench' and cause is not null`;

      return {
        events: n,
        served: events,
        pageSize,
        pages,
        seconds: round(seconds),
        eventsPerSecond: Math.round(n / seconds),
        classifiedFailures: failures?.n ?? 0,
        peakRssMiB,
        // The sync process's own CPU (HTTP, JSON, classification, COPY text): steadier than wall time on a
        // busy machine, and what a faster sync has to cut.
        syncCpuSeconds,
        syncCpuMicrosPerEvent: Math.round((syncCpuSeconds * 1e6) / n),
        rawCopySeconds: round(rawSeconds),
        rawCopyRowsPerSecond: Math.round(n / rawSeconds),
        endToEndVsRawCopy: round(n / seconds / (n / rawSeconds)),
        storedBytesPerEvent: stored.perEvent,
        storedBytes: stored.parts,
        postgres: serverVersion,
        goals: { eventsPerSecond: 150_000, peakRssMiB: 300, storedBytesPerEvent: 200 },
      };
    } finally {
      await sql.end({ timeout: 5 });
      await db.stop();
    }
  } finally {
    child.stdin?.end();
    child.kill("SIGTERM");
  }
}

const round = (x: number) => Math.round(x * 100) / 100;

/**
 * What the stored events take on disk, per event: every table of user_events (each day's failures and successes)
 * with its TOAST and indexes (pg_total_relation_size), and the same split into the table and each of its indexes
 * (summed over the tables), in bytes per event.
 */
export async function storedBytes(
  sql: postgres.Sql,
  events: number,
): Promise<{ perEvent: number; parts: Record<string, number> }> {
  await sql`vacuum analyze user_events`;
  // The leaves: each day is itself split into its failures and successes tables.
  const [total] = await sql<{ bytes: number }[]>`
    select coalesce(sum(pg_total_relation_size(relid)), 0)::float8 as bytes
    from pg_partition_tree('user_events') where isleaf`;
  const parts = await sql<{ part: string; bytes: number }[]>`
    select 'table' as part, sum(pg_table_size(relid))::float8 as bytes
    from pg_partition_tree('user_events') where isleaf
    union all
    select pi.indexrelid::regclass::text,
           (select coalesce(sum(pg_relation_size(t.relid)), 0) from pg_partition_tree(pi.indexrelid) t
            where t.isleaf)::float8
    from pg_index pi
    where pi.indrelid = 'user_events'::regclass`;
  const per = (b: number) => (events > 0 ? Math.round(b / events) : 0);
  return {
    perEvent: per(total?.bytes ?? 0),
    parts: Object.fromEntries(parts.map((p) => [p.part, per(p.bytes)])),
  };
}

/** The node arguments of package.json's `sync` script (heap limits included), so the bench runs what users run. */
export async function syncScriptArgs(): Promise<string[]> {
  const pkg = JSON.parse(await readFile("package.json", "utf8")) as { scripts: Record<string, string> };
  const [node, ...args] = (pkg.scripts.sync ?? "").split(/\s+/);
  if (node !== "node" || !args.includes("scripts/sync.ts"))
    throw new Error("unexpected sync script in package.json");
  return args;
}

function firstJsonLine<T>(child: ChildProcess): Promise<T> {
  return new Promise((resolve, reject) => {
    let buf = "";
    child.stdout?.on("data", (d) => {
      buf += String(d);
      const nl = buf.indexOf("\n");
      if (nl >= 0) resolve(JSON.parse(buf.slice(0, nl)) as T);
    });
    child.once("exit", (code) => reject(new Error(`demo Keycloak exited (${code}) before it was ready`)));
  });
}
