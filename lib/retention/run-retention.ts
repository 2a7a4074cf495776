import type postgres from "postgres";
import { deleteExpiredRevocations } from "@/lib/auth/revoked-sessions";
import { dropExpiredPartitions, ensurePartitionsAhead } from "@/lib/db/event-partitions";
import { type DeleteProgress, deleteExpiredEvents } from "@/lib/retention/delete-expired-events";
import { forgetPatternPeople, forgetSuspectPeople } from "@/lib/retention/forget-pattern-people";
import type { RetentionConfig } from "@/lib/retention/retention-config";

const DAY_MS = 86_400_000;

/**
 * One retention pass: user events past their days, admin events past theirs, and the users and addresses of
 * patterns that ended before the user-event cutoff, with the people named by their suspected changes. Rollups
 * and patterns stay. User events go by whole days (their partitions dropped), then the older part of the day
 * that straddles the cutoff in batches; the pass also creates the days ahead (event-partitions.ts).
 */
export async function runRetention(
  sql: postgres.Sql,
  config: RetentionConfig,
  now: Date,
): Promise<{
  partitionsDropped: string[];
  deleted: DeleteProgress[];
  patternsForgotten: number;
  suspectsForgotten: number;
}> {
  const userCutoff = new Date(now.getTime() - config.userEventDays * DAY_MS);
  await ensurePartitionsAhead(sql, now);
  const partitionsDropped = await dropExpiredPartitions(sql, "user_events", userCutoff);
  const deleted = [
    await deleteExpiredEvents(sql, "user_events", userCutoff, { batchSize: config.batchSize }),
    await deleteExpiredEvents(sql, "admin_events", new Date(now.getTime() - config.adminEventDays * DAY_MS), {
      batchSize: config.batchSize,
    }),
  ];
  const patternsForgotten = await forgetPatternPeople(sql, userCutoff);
  const suspectsForgotten = await forgetSuspectPeople(sql, userCutoff);
  await deleteExpiredRevocations(sql);
  return { partitionsDropped, deleted, patternsForgotten, suspectsForgotten };
}
