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
