/**
 * npm run bench -- ingest [--events 1000000] [--page 10000] [--mode modern|legacy]
 * End to end: a demo Keycloak (its own process) serves N events over HTTP; realmwatch syncs them (paging,
 * parsing, classification, COPY, rollups, cursor) into PostgreSQL. Then the same rows are COPYed raw into a
 * table of the same shape and indexes, on the same database in the same run: the ceiling to compare with.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream, rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { parseArgs } from "node:util";
import { closePrisma, getPrisma } from "@/lib/db/prisma";
import { DEMO_SERVICE_ACCOUNT } from "@/lib/demo-keycloak/build-realms";
import { classifyRow } from "@/lib/ingest/classify-row";
import { userEventRowFromDb } from "@/lib/ingest/rows";
import { listSources, syncSource } from "@/lib/ingest/sync-source";
import { USER_COLUMNS, userLine } from "@/lib/ingest/write-events";
import { upsertSource } from "@/lib/sources/register";
import { openBenchDatabase, rssSampler } from "./bench-db";

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
      await upsertSource(getPrisma(), {
        name: "bench",
        serverUrl: url,
        authRealm: "master",
        clientId: DEMO_SERVICE_ACCOUNT.clientId,
        clientSecret: DEMO_SERVICE_ACCOUNT.secret,
        realms: ["bench"],
      });
      await closePrisma();
      const [source] = await listSources(sql);
      const rss = rssSampler();
      log("syncing…");
      const t0 = performance.now();
      const outcome = await syncSource(sql, source!, {
        overlapMs: 300_000,
        settleMs: 0,
        pageSize,
        classify: classifyRow,
      });
      const seconds = (performance.now() - t0) / 1000;
      rss.stop();
      const stream = outcome.streams.find((s) => s.kind === "user");
      if (outcome.status !== "ok" || !stream?.result) throw new Error(`sync failed: ${outcome.message}`);
      const [{ n } = { n: 0 }] = await sql<
        { n: number }[]
      >`select count(*)::int as n from user_events where realm = 'bench'`;
      log(`synced ${n} events in ${seconds.toFixed(1)} s; measuring raw COPY of the same rows…`);

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
      const lines = (await readFile(file, "utf8")).split("\n");
      const t1 = performance.now();
      for (let i = 0; i < lines.length - 1; i += 100_000) {
        const chunk = lines.slice(i, Math.min(i + 100_000, lines.length - 1));
        const parts: string[] = [];
        for (let j = 0; j < chunk.length; j += 2_000) parts.push(`${chunk.slice(j, j + 2_000).join("\n")}\n`);
        await pipeline(
          Readable.from(parts),
          await sql`copy bench_raw_copy (${sql(USER_COLUMNS as unknown as string[])}) from stdin`.writable(),
        );
      }
      const rawSeconds = (performance.now() - t1) / 1000;
      rmSync(file, { force: true });
      await sql`drop table bench_raw_copy`;
      const [failures] = await sql<
        { n: number }[]
      >`select count(*)::int as n from user_events where realm = 'bench' and cause is not null`;

      return {
        events: n,
        served: events,
        mode: outcome.mode,
        pageSize,
        pages: stream.result.pages,
        seconds: round(seconds),
        eventsPerSecond: Math.round(n / seconds),
        classifiedFailures: failures?.n ?? 0,
        peakRssMiB: rss.peakMiB(),
        rawCopySeconds: round(rawSeconds),
        rawCopyRowsPerSecond: Math.round(n / rawSeconds),
        endToEndVsRawCopy: round(n / seconds / (n / rawSeconds)),
        postgres: serverVersion,
        goals: { eventsPerSecond: 150_000, peakRssMiB: 300 },
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
