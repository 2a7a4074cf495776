import type postgres from "postgres";
import { type DeleteProgress, deleteExpiredEvents } from "@/lib/retention/delete-expired-events";
import type { RetentionConfig } from "@/lib/retention/retention-config";

const DAY_MS = 86_400_000;

/** One retention pass: user events past their days, admin events past theirs. Rollups and patterns stay. */
export async function runRetention(
  sql: postgres.Sql,
  config: RetentionConfig,
  now: Date,
): Promise<DeleteProgress[]> {
  return [
    await deleteExpiredEvents(sql, "user_events", new Date(now.getTime() - config.userEventDays * DAY_MS), {
      batchSize: config.batchSize,
    }),
    await deleteExpiredEvents(sql, "admin_events", new Date(now.getTime() - config.adminEventDays * DAY_MS), {
      batchSize: config.batchSize,
    }),
  ];
}
