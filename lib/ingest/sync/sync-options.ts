import type { Env } from "@/lib/server/env";
import type { SyncOptions } from "./sync-source";

export function syncOptionsFromEnv(env: Env): SyncOptions {
  return {
    overlapMs: env.REALMWATCH_SYNC_OVERLAP_SEC * 1000,
    shortOverlapMs: env.REALMWATCH_SYNC_SHORT_OVERLAP_SEC * 1000,
    settleMs: env.REALMWATCH_SYNC_SETTLE_SEC * 1000,
    pageSize: env.REALMWATCH_SYNC_PAGE_SIZE,
  };
}
