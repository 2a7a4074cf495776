import type postgres from "postgres";
import { deleteExpiredRevocations } from "@/lib/auth/revoked-sessions";
import { ensurePartitionsAhead } from "@/lib/db/event-partitions";
import { type DeleteProgress, deleteExpiredEvents } from "@/lib/retention/delete-expired-events";
import { expireAdminMonths, expireTiers } from "@/lib/retention/expire-tiers";
import { forgetPatternPeople, forgetSuspectPeople } from "@/lib/retention/forget-pattern-people";
import type { RetentionConfig } from "@/lib/retention/retention-config";
import { deleteExpiredUserDays } from "@/lib/retention/user-day-summaries";

const DAY_MS = 86_400_000;

/**
 * One retention pass: failures past their days, successes past theirs (a shorter tier), admin events past
 * theirs, user days past theirs, and the users and addresses of patterns that ended before the failure cutoff,
 * with the people named by their suspected changes. Rollups and patterns stay. User events go by whole tables
 * (expire-tiers.ts), what each said of its user kept in user_days, then the older part of the day that straddles
 * each cutoff in batches, summarized the same way; admin events by whole months, then the older part of the month
 * that straddles their cutoff in batches. The pass also creates the days and months ahead (event-partitions.ts).
 */
export async function runRetention(
  sql: postgres.Sql,
  config: RetentionConfig,
  now: Date,
): Promise<{
  partitionsDropped: string[];
  deleted: DeleteProgress[];
  userDaysDeleted: number;
  patternsForgotten: number;
  suspectsForgotten: number;
}> {
  const userCutoff = new Date(now.getTime() - config.userEventDays * DAY_MS);
  await ensurePartitionsAhead(sql, now);
  const successCutoff = new Date(now.getTime() - config.successEventDays * DAY_MS);
  const adminCutoff = new Date(now.getTime() - config.adminEventDays * DAY_MS);
  const partitionsDropped = [
    ...(await expireTiers(sql, { failures: userCutoff, successes: successCutoff })),
    ...(await expireAdminMonths(sql, adminCutoff)),
  ];
  const deleted = [
    await deleteExpiredEvents(sql, "user_events", userCutoff, { batchSize: config.batchSize }),
    await deleteExpiredEvents(sql, "user_events", successCutoff, {
      batchSize: config.batchSize,
      successesOnly: true,
    }),
    await deleteExpiredEvents(sql, "admin_events", adminCutoff, {
      batchSize: config.batchSize,
    }),
  ];
  const userDaysDeleted = await deleteExpiredUserDays(
    sql,
    new Date(now.getTime() - Math.max(config.summaryDays, config.userEventDays) * DAY_MS),
  );
  const patternsForgotten = await forgetPatternPeople(sql, userCutoff);
  const suspectsForgotten = await forgetSuspectPeople(sql, userCutoff);
  await deleteExpiredRevocations(sql);
  return { partitionsDropped, deleted, userDaysDeleted, patternsForgotten, suspectsForgotten };
}
