import { readFileSync } from "node:fs";
import type postgres from "postgres";

/** USER_HZ, 100 on Linux. */
const CLOCK_TICKS = 100;

/** User + system CPU time of the processes (those still running), in seconds, from /proc/<pid>/stat. */
export function cpuSeconds(pids: readonly number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      // Fields after the command name (which may hold spaces) start at its closing parenthesis.
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // The process ended meanwhile.
    }
  }
  return ticks / CLOCK_TICKS;
}

/** The bench database's server processes: its backends and the server's background processes. */
export async function postgresPids(sql: postgres.Sql): Promise<number[]> {
  return (
    await sql<{ pid: number }[]>`
      select pid from pg_stat_activity where datname = current_database() or datname is null`
  ).map((r) => r.pid);
}

/**
 * Samples the memory of the bench database's server processes until stopped: the largest private memory
 * (RssAnon) and the largest shared memory mapped (RssShmem: the buffer pool, one copy for all of them) any one of
 * them held, in MiB. VmHWM, the peak RSS the kernel keeps, adds the two: a backend that read through the whole
 * buffer pool shows it all, though no process owns it.
 */
export function postgresMemorySampler(sql: postgres.Sql, intervalMs = 1_000) {
  let pids: number[] = [];
  let privateKiB = 0;
  let sharedKiB = 0;
  let ticks = 0;
  const sample = async () => {
    if (ticks++ % 10 === 0) pids = await postgresPids(sql).catch(() => pids);
    for (const pid of pids) {
      try {
        const status = readFileSync(`/proc/${pid}/status`, "utf8");
        privateKiB = Math.max(privateKiB, Number(/RssAnon:\s+(\d+)/.exec(status)?.[1] ?? 0));
        sharedKiB = Math.max(sharedKiB, Number(/RssShmem:\s+(\d+)/.exec(status)?.[1] ?? 0));
      } catch {
        // The process ended, or the server is on another host.
      }
    }
  };
  const timer = setInterval(() => void sample(), intervalMs);
  timer.unref();
  return {
    stop: () => clearInterval(timer),
    peakMiB: () => ({ private: Math.round(privateKiB / 1024), shared: Math.round(sharedKiB / 1024) }),
  };
}
