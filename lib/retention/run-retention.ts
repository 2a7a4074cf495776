import type postgres from "postgres";
import { deleteExpiredRevocations } from "@/lib/auth/revoked-sessions";
import { type DeleteProgress, deleteExpiredEvents } from "@/lib/retention/delete-expired-events";
import { forgetPatternPeople, forgetSuspectPeople } from "@/lib/retention/forget-pattern-people";
import type { RetentionConfig } from "@/lib/retention/retention-config";

const DAY_MS = 86_400_000;

/**
 * One retention pass: user events past their days, admin events past theirs, and the users and addresses of
 * patterns that ended before the user-event cutoff, with the people named by their suspected changes. Rollups
 * and patterns stay.
 */
export async function runRetention(
  sql: postgres.Sql,
  config: RetentionConfig,
  now: Date,
): Promise<{ deleted: DeleteProgress[]; patternsForgotten: number; suspectsForgotten: number }> {
  const userCutoff = new Date(now.getTime() - config.userEventDays * DAY_MS);
  const deleted = [
    await deleteExpiredEvents(sql, "user_events", userCutoff, { batchSize: config.batchSize }),
    await deleteExpiredEvents(sql, "admin_events", new Date(now.getTime() - config.adminEventDays * DAY_MS), {
      batchSize: config.batchSize,
    }),
  ];
  const patternsForgotten = await forgetPatternPeople(sql, userCutoff);
  const suspectsForgotten = await forgetSuspectPeople(sql, userCutoff);
  await deleteExpiredRevocations(sql);
  return { deleted, patternsForgotten, suspectsForgotten };
}
