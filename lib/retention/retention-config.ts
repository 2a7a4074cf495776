import { type Env, getEnv, parseEnv } from "@/lib/server/env";

/**
 * How long raw events are kept (REALMWATCH_RETENTION_DAYS, default 90) and admin events (their own setting,
 * default 365, since they explain changes long after the denials they caused). Rollups and patterns are not
 * deleted: they are small and are what the charts read. Privacy options apply at ingest. The variables are
 * declared in lib/server/env.ts.
 */
export interface RetentionConfig {
  userEventDays: number;
  adminEventDays: number;
  batchSize: number;
  truncateIp: boolean;
  hashUsernames: boolean;
}

/** The process's retention settings, or those of the variables given (a test's). */
export function readRetentionConfig(given?: Record<string, unknown>): RetentionConfig {
  const e: Env = given ? parseEnv(given) : getEnv();
  return {
    userEventDays: e.REALMWATCH_RETENTION_DAYS,
    adminEventDays: e.REALMWATCH_ADMIN_RETENTION_DAYS,
    batchSize: e.REALMWATCH_RETENTION_BATCH,
    truncateIp: e.REALMWATCH_TRUNCATE_IP,
    hashUsernames: e.REALMWATCH_HASH_USERNAMES,
  };
}
