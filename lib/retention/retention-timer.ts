import type postgres from "postgres";
import { readRetentionConfig } from "@/lib/retention/retention-config";
import { runRetention } from "@/lib/retention/run-retention";
import { logger } from "@/lib/server/logger";

/** Any fixed number shared by every realmwatch process on the database: one retention pass at a time. */
const RETENTION_LOCK = 0x7277_7274; // "rwrt"

export type RetentionOutcome =
  | { ran: true; result: Awaited<ReturnType<typeof runRetention>> }
  | { ran: false; reason: "another pass is running" };

/**
 * One retention pass, unless another process (a second replica, `npm run sync` beside the server) is running
 * one: a session advisory lock on a reserved connection, released when the pass ends or fails.
 */
export async function runRetentionExclusive(sql: postgres.Sql, now: Date): Promise<RetentionOutcome> {
  const reserved = await sql.reserve();
  try {
    const [row] = await reserved<
      { locked: boolean }[]
    >`select pg_try_advisory_lock(${RETENTION_LOCK}) as locked`;
    if (!row?.locked) return { ran: false, reason: "another pass is running" };
    try {
      return { ran: true, result: await runRetention(sql, readRetentionConfig(), now) };
    } finally {
      await reserved`select pg_advisory_unlock(${RETENTION_LOCK})`;
    }
  } finally {
    reserved.release();
  }
}

const KEY = Symbol.for("realmwatch.retention-timer");
type Holder = { [KEY]?: NodeJS.Timeout };

/**
 * Retention on its own timer, whatever the sync does: it runs with the background sync off
 * (REALMWATCH_POLLER=off), when Keycloak is down and when another after-sync job fails. One timer per process.
 */
export function startRetentionTimer(sql: postgres.Sql, everyMs = 3_600_000, firstAfterMs = 60_000): void {
  const holder = globalThis as Holder;
  if (holder[KEY]) return;
  const tick = async () => {
    try {
      const outcome = await runRetentionExclusive(sql, new Date());
      if (outcome.ran) logger.info("retention pass", { patternsForgotten: outcome.result.patternsForgotten });
    } catch (err) {
      logger.error("retention pass failed", { error: (err as Error).message });
    }
  };
  const first = setTimeout(() => {
    void tick();
    holder[KEY] = setInterval(() => void tick(), everyMs);
    holder[KEY].unref();
  }, firstAfterMs);
  first.unref();
  holder[KEY] = first;
}
