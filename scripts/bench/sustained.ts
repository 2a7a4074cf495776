/**
 * npm run bench -- sustained [--rate 5000] [--minutes 10] [--interval 10] [--readers 4] [--overlap S] [--sync-log F]
 * Sustained traffic with the dashboard in use. A demo Keycloak (its own process) records --rate events/s as
 * they happen; realmwatch's sync (`npm run sync`, its own process, the product's settings unless --overlap is
 * given) polls it every --interval seconds; --readers loops read the dashboard meanwhile (the last 24 hours'
 * overview, the busiest client's page, one user's page) as fast as they are answered. After --minutes the
 * traffic stops and the sync is given time to catch up. --sync-log writes what the sync prints (each poll's reads,
 * pages and duration) to a file, stamped with the time. Reports:
 * - ingest lag: once a second the bench reads the newest stored event's time; an event counts as stored at the
 *   first reading that reaches its time (a stream, in the glossary's sense, is stored oldest first), so its lag is that reading's moment
 *   minus its time, to within the second between readings; p50 / p99 / max over the events (spread evenly, as
 *   the demo records them), goal max under 30 s; and events stored against events recorded;
 * - the dashboard's latency under that load, p50 / p95 / max, goal p95 under 300 ms;
 * - the sync process's peak RSS;
 * - the CPU time each side used while the traffic ran (the demo Keycloak, the sync, PostgreSQL, the dashboard
 *   readers in this process), as cores and as microseconds per event recorded: which side holds the lag back
 *   on a machine they share.
 */
import { spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { loadClientPage } from "@/lib/screens/drilldown/load-client-page";
import { loadUserPage } from "@/lib/screens/drilldown/load-user-page";
import { loadOverview } from "@/lib/screens/overview/load-overview";
import { upsertSource } from "@/lib/sources/save-source";
import { demoSourceInput } from "@/packages/demo-keycloak/src/build-realms";
import { openBenchDatabase } from "./bench-db";
import { syncScriptArgs } from "./ingest";
import { cpuSeconds, postgresPids } from "./processes";

export async function run(args: string[]): Promise<Record<string, unknown>> {
  const { values } = parseArgs({
    args,
    options: {
      rate: { type: "string", default: "5000" },
      minutes: { type: "string", default: "10" },
      interval: { type: "string", default: "10" },
      readers: { type: "string", default: "4" },
      overlap: { type: "string" },
      "sync-log": { type: "string" },
    },
  });
  const rate = positive(values.rate, "rate");
  const minutes = positive(values.minutes, "minutes");
  const interval = positive(values.interval, "interval");
  const readers = positive(values.readers, "readers");
  const log = (m: string) => process.stderr.write(`[bench sustained] ${m}\n`);

  const demo = spawn(
    process.execPath,
    ["--import", "tsx", "scripts/bench/demo-child.ts", "--events", "0", "--rate", String(rate)],
    { stdio: ["pipe", "pipe", "inherit"] },
  );
  const lines = createInterface({ input: demo.stdout! })[Symbol.asyncIterator]();
  const nextJson = async <T>(): Promise<T> => {
    const next = await lines.next();
    if (next.done) throw new Error("the demo Keycloak exited before answering");
    return JSON.parse(next.value) as T;
  };
  const { db, sql, serverVersion } = await openBenchDatabase();
  let sync: ReturnType<typeof spawn> | undefined;
  try {
    const { url } = await nextJson<{ url: string }>();
    await upsertSource(sql, demoSourceInput(url, { name: "bench", realms: ["bench"] }));
    log(`the demo Keycloak records ${rate} events/s; npm run sync polls every ${interval} s`);
    sync = spawn(process.execPath, [...(await syncScriptArgs()), "--source", "bench"], {
      env: {
        ...process.env,
        DATABASE_URL: db.url,
        KEYCLOAK_URL: "",
        // The demo Keycloak listens on loopback, which a source may reach only when allowed (lib/server/outbound.ts).
        REALMWATCH_ALLOW_PRIVATE_SOURCES: "1",
        REALMWATCH_SYNC_INTERVAL_SEC: String(interval),
        ...(values.overlap === undefined ? {} : { REALMWATCH_SYNC_OVERLAP_SEC: values.overlap }),
      },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let syncErr = "";
    const syncLog = values["sync-log"] ? createWriteStream(values["sync-log"]) : null;
    sync.stderr?.on("data", (d) => {
      syncErr = (syncErr + String(d)).slice(-20_000);
      syncLog?.write(String(d).replace(/^(?=.)/gm, `${new Date().toISOString().slice(11, 23)} `));
    });
    let syncEnded = false;
    const syncExit = new Promise<number | null>((r) =>
      sync!.once("exit", (code) => {
        syncEnded = true;
        if (code !== 0 && code !== null) log(`npm run sync exited ${code}: ${syncErr.slice(-2000)}`);
        r(code);
      }),
    );

    // The dashboard under load: what a person watching the traffic opens, again and again.
    const latencies: number[] = [];
    const byPage: Record<"overview" | "client" | "user", number[]> = { overview: [], client: [], user: [] };
    let readErrors = 0;
    const endAt = performance.now() + minutes * 60_000;
    let users: string[] = [];
    const reader = async (k: number) => {
      for (let i = 0; performance.now() < endAt; i++) {
        const now = Date.now();
        if (readings.length === 0) {
          // Nothing stored yet (before the first sync's first page): no page has anything to show.
          await new Promise((r) => setTimeout(r, 500));
          continue;
        }
        try {
          const which = (i + k) % 3;
          // The user to read: one of the demo's (they all log in all the time), picked once, outside the timing.
          // The demo's token events name no username (Keycloak's do not either), so user_names may hold none;
          // picking the newest event's user on every read cost half a second of PostgreSQL per read at 3
          // million events (newest first across every day's tables, by no index), a third of the dashboard load.
          if (which === 2 && users.length === 0)
            users = (
              await sql<{ id: string }[]>`
                select user_id as id from (
                  select user_id from user_events where realm = 'bench' and user_id is not null limit 2000
                ) as first_rows
                group by user_id limit 100`
            ).map((u) => u.id);
          const userId = which === 2 ? users[i % users.length] : undefined;
          if (which === 2 && !userId) {
            // No user stored yet (before the first sync): nothing to read.
            await new Promise((r) => setTimeout(r, 500));
            continue;
          }
          const t = performance.now();
          if (which === 0) await loadOverview(sql, "admin", { realm: "bench", range: "24h" }, now);
          else if (which === 1)
            await loadClientPage(sql, "admin", { realm: "bench", clientId: "bulk-spa" }, {}, now);
          else await loadUserPage(sql, "admin", { realm: "bench", userId: userId! }, {}, now);
          const ms = performance.now() - t;
          latencies.push(ms);
          byPage[which === 0 ? "overview" : which === 1 ? "client" : "user"].push(ms);
        } catch (err) {
          readErrors++;
          if (readErrors === 1) log(`a dashboard read failed: ${(err as Error).message}`);
          await new Promise((r) => setTimeout(r, 1000));
        }
      }
    };
    const readings: { at: number; newest: number }[] = [];
    const readNewest = async () => {
      const [r] = await sql<{ newest: Date | null }[]>`
        select max(time) as newest from user_events where realm = 'bench'`;
      if (r?.newest) readings.push({ at: Date.now(), newest: r.newest.getTime() });
    };
    const watch = setInterval(() => void readNewest().catch(() => {}), 1000);
    // CPU from here to the end of the traffic; PostgreSQL's processes are those alive at both ends (the sync's
    // and the readers' pools stay open).
    const pgPids = await postgresPids(sql);
    const cpuStart = {
      at: performance.now(),
      demo: cpuSeconds([demo.pid!]),
      sync: cpuSeconds([sync.pid!]),
      postgres: cpuSeconds(pgPids),
      readers: process.cpuUsage(),
    };
    const progress = setInterval(() => {
      const last = readings.at(-1);
      const behind = last ? `${Math.round((last.at - last.newest) / 1000)} s` : "?";
      log(`newest stored event ${behind} old, ${latencies.length} dashboard reads`);
    }, 30_000);
    await Promise.all(Array.from({ length: readers }, (_, k) => reader(k)));
    clearInterval(progress);
    const wallSec = (performance.now() - cpuStart.at) / 1000;
    const readersCpu = process.cpuUsage(cpuStart.readers);
    const cpu = {
      demoKeycloak: cpuSeconds([demo.pid!]) - cpuStart.demo,
      sync: cpuSeconds([sync.pid!]) - cpuStart.sync,
      postgres: cpuSeconds(pgPids) - cpuStart.postgres,
      readers: (readersCpu.user + readersCpu.system) / 1e6,
    };

    demo.stdin!.write("stop\n");
    const { generated } = await nextJson<{ generated: number }>();
    log(`traffic stopped after ${generated} events; waiting for the sync to store them…`);
    const catchUpUntil = performance.now() + 5 * 60_000;
    let stored = 0;
    while (performance.now() < catchUpUntil) {
      const [s] = await sql<
        { n: number }[]
      >`select count(*)::int as n from user_events where realm = 'bench'`;
      stored = s?.n ?? 0;
      if (stored >= generated || syncEnded) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    clearInterval(watch);
    await readNewest();
    sync.kill("SIGTERM");
    const code = await syncExit;
    const syncPeakRssMiB = Number(/peak RSS (\d+) MiB/.exec(syncErr)?.[1] ?? Number.NaN);
    const lags = lagsFrom(readings);
    latencies.sort((a, b) => a - b);
    return {
      rate,
      minutes,
      pollIntervalSec: interval,
      overlapSec: values.overlap === undefined ? "default" : Number(values.overlap),
      eventsRecorded: generated,
      eventsStored: stored,
      ingestLagSec: { p50: quantile(lags, 0.5), p99: quantile(lags, 0.99), max: quantile(lags, 1) },
      dashboardReads: latencies.length,
      dashboardReadErrors: readErrors,
      dashboardMs: {
        p50: quantile(latencies, 0.5),
        p95: quantile(latencies, 0.95),
        max: quantile(latencies, 1),
      },
      dashboardP95MsByPage: Object.fromEntries(
        Object.entries(byPage).map(([k, v]) => [
          k,
          quantile(
            v.sort((a, b) => a - b),
            0.95,
          ),
        ]),
      ),
      syncPeakRssMiB,
      syncExitCode: code,
      cpuCores: Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, round(v / wallSec)])),
      cpuMicrosPerEvent: Object.fromEntries(
        Object.entries(cpu).map(([k, v]) => [k, generated ? Math.round((v * 1e6) / generated) : null]),
      ),
      postgres: serverVersion,
      goals: { ingestLagMaxSec: 30, dashboardP95Ms: 300, peakRssMiB: 300 },
    };
  } finally {
    sync?.kill("SIGTERM");
    demo.stdin?.end();
    demo.kill("SIGTERM");
    await sql.end({ timeout: 5 });
    await db.stop();
  }
}

/**
 * The lag of events spread evenly over time, in seconds, one sample per 100 ms of event time: those between two
 * readings' newest times were stored by the later reading.
 */
export function lagsFrom(readings: readonly { at: number; newest: number }[]): number[] {
  const lags: number[] = [];
  for (let i = 1; i < readings.length; i++) {
    const before = readings[i - 1]!;
    const now = readings[i]!;
    for (let t = before.newest + 100; t <= now.newest; t += 100) lags.push((now.at - t) / 1000);
  }
  return lags.sort((a, b) => a - b);
}

function quantile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!);
}

function positive(v: string | undefined, name: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`);
  return n;
}

const round = (x: number) => Math.round(x * 100) / 100;
