import { type Env, getEnv, parseEnv } from "@/lib/server/env";

/**
 * How long raw events are kept: failures (REALMWATCH_RETENTION_DAYS, default 90), successes (their own shorter
 * tier, REALMWATCH_SUCCESS_RETENTION_DAYS, default 7: most events are successes) and admin events (default 365,
 * since they explain changes long after the denials they caused). What expired events said of each user is kept
 * in user_days (REALMWATCH_SUMMARY_RETENTION_DAYS, default 400, never shorter than the failures). Rollups and
 * patterns are not deleted: they are small and are what the charts read. Privacy options apply at ingest. The
 * variables are declared in lib/server/env.ts.
 */
export interface RetentionConfig {
  /** Failures (and every user event, whatever its tier). */
  userEventDays: number;
  successEventDays: number;
  summaryDays: number;
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
    successEventDays: e.REALMWATCH_SUCCESS_RETENTION_DAYS,
    summaryDays: e.REALMWATCH_SUMMARY_RETENTION_DAYS,
    adminEventDays: e.REALMWATCH_ADMIN_RETENTION_DAYS,
    batchSize: e.REALMWATCH_RETENTION_BATCH,
    truncateIp: e.REALMWATCH_TRUNCATE_IP,
    hashUsernames: e.REALMWATCH_HASH_USERNAMES,
  };
}
