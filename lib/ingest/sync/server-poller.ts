import "server-only";
import type postgres from "postgres";
import { getSql } from "@/lib/db/sql";
import { getEnv } from "@/lib/server/env";
import { logger } from "@/lib/server/logger";
import { classifyRow } from "../write/classify-row";
import { type Poller, startPoller } from "./poller";
import { syncOptionsFromEnv } from "./sync-options";

const KEY = Symbol.for("realmwatch.poller");
type Holder = { [KEY]?: Poller };

/** What the poller runs after each round of syncs (lib/jobs.ts lists them; the poller only runs them). */
export interface AfterSyncJob {
  name: string;
  run(sql: postgres.Sql, now: Date): Promise<void>;
}

/**
 * One poller per server process (module instances may be duplicated across Next bundles: keep it global). The jobs
 * run in order after each round; one that fails is logged and the next still runs.
 */
export function startServerPoller(jobs: readonly AfterSyncJob[]): Poller {
  const holder = globalThis as Holder;
  if (holder[KEY]) return holder[KEY];
  const env = getEnv();
  const poller = startPoller(
    getSql(),
    env.REALMWATCH_SYNC_INTERVAL_SEC * 1000,
    () => ({ ...syncOptionsFromEnv(env), classify: classifyRow }),
    {
      afterSync: async (sql) => {
        for (const job of jobs) {
          try {
            await job.run(sql, new Date());
          } catch (err) {
            logger.error("after-sync job failed", { job: job.name, error: (err as Error).message });
          }
        }
      },
    },
  );
  holder[KEY] = poller;
  const stop = () => void poller.stop();
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  return poller;
}

export function getServerPoller(): Poller | undefined {
  return (globalThis as Holder)[KEY];
}
