/**
 * npm run bench -- ingest [--events 1000000] [--page 10000] [--mode modern|legacy]
 * End to end: a demo Keycloak (its own process) serves N events over HTTP; realmwatch syncs them (paging,
 * parsing, classification, COPY, rollups, cursor) into PostgreSQL. Then the same rows are COPYed raw into a
 * table of the same shape and indexes, on the same database in the same run: the ceiling to compare with.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createReadStream, createWriteStream, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { parseArgs } from "node:util";
import { closePrisma, getPrisma } from "@/lib/db/prisma";
import { DEMO_SERVICE_ACCOUNT } from "@/lib/demo-keycloak/build-realms";
import { classifyRow } from "@/lib/ingest/classify-row";
import { listSources, syncSource } from "@/lib/ingest/sync-source";
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

      const file = path.join(os.tmpdir(), `realmwatch-bench-${process.pid}.copy`);
      await pipeline(
        await sql`copy (select * from user_events where realm = 'bench') to stdout`.readable(),
        createWriteStream(file),
      );
      await sql`create table bench_raw_copy (like user_events including all)`;
      const t1 = performance.now();
      await pipeline(createReadStream(file), await sql`copy bench_raw_copy from stdin`.writable());
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
