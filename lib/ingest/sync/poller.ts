import type postgres from "postgres";
import { type SourceOutcome, type SyncOptions, syncSource } from "@/lib/ingest/sync/sync-source";
import { logger } from "@/lib/server/logger";
import { listSources } from "@/lib/sources/read-sources";

/**
 * The background poller inside the server: every interval (start to start), each enabled source is synced
 * (streams of one source one after another; the per-stream advisory lock keeps other processes out). A run that
 * is still going when the next tick comes is not doubled. `triggerNow` runs at once (the sync API).
 */
export interface Poller {
  stop(): Promise<void>;
  triggerNow(sourceId?: string): Promise<SourceOutcome[]>;
  lastOutcomes(): SourceOutcome[];
}

export interface PollerHooks {
  /** After each round of syncs (pattern detection, alerts, demo feeds); errors are logged, never fatal. */
  afterSync?: (sql: postgres.Sql) => Promise<void>;
}

const MIN_PAUSE_MS = 1_000;

export function startPoller(
  sql: postgres.Sql,
  intervalMs: number,
  options: () => SyncOptions,
  hooks: PollerHooks = {},
): Poller {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<SourceOutcome[]> | undefined;
  let stopped = false;
  let outcomes: SourceOutcome[] = [];
  const controller = new AbortController();

  const runOnce = (sourceId?: string) => {
    running ??= (async () => {
      const results: SourceOutcome[] = [];
      for (const source of await listSources(sql, sourceId)) {
        if (stopped) break;
        results.push(await syncSource(sql, source, { ...options(), signal: controller.signal }));
      }
      outcomes = results;
      if (hooks.afterSync && !stopped) {
        await hooks.afterSync(sql).catch((err) => logger.error("after-sync jobs failed", { error: err }));
      }
      return results;
    })().finally(() => {
      running = undefined;
    });
    return running;
  };

  // Runs start every interval (not an interval after the previous one ended), so a long run does not add its
  // length to the next event's wait; a run longer than the interval is followed by the next after a second's
  // pause, so a backlog being caught up leaves the database to the pages now and then.
  const schedule = (started: number) => {
    if (stopped) return;
    timer = setTimeout(
      async () => {
        const next = Date.now();
        await runOnce().catch((err) => logger.error("sync failed", { error: err }));
        schedule(next);
      },
      Math.max(MIN_PAUSE_MS, started + intervalMs - Date.now()),
    );
    timer.unref?.();
  };
  const first = Date.now();
  void runOnce()
    .catch((err) => logger.error("sync failed", { error: err }))
    .finally(() => schedule(first));

  return {
    async stop() {
      stopped = true;
      controller.abort();
      if (timer) clearTimeout(timer);
      await running?.catch(() => {});
    },
    triggerNow: (sourceId) => runOnce(sourceId),
    lastOutcomes: () => outcomes,
  };
}
