import type postgres from "postgres";
import {
  detachConcurrently,
  listDayPartitions,
  listDetached,
  listMonthPartitions,
  listTiers,
  nextMonth,
  tierName,
} from "@/lib/db/event-partitions";
import { addToUserDays } from "@/lib/retention/user-day-summaries";

const DAY_MS = 86_400_000;

/**
 * Tiered retention of user_events by whole tables (lib/db/event-partitions.ts): a day whose failures are past
 * their cutoff goes whole; before that, its successes tier goes once past theirs (most events are successes, so
 * this is most of the disk). Each table is detached CONCURRENTLY (reads and writes of the table go on), then in
 * one transaction what its rows say of each user is added to user_days and the table is dropped: a pass that
 * stops in between leaves the detached table, which the next pass finishes first. A write that arrives for a
 * tier just detached gets the tier back (ensurePartitions), and the next pass summarizes that too.
 * Returns the tables dropped.
 */
export async function expireTiers(
  sql: postgres.Sql,
  cutoffs: { failures: Date; successes: Date },
): Promise<string[]> {
  const dropped: string[] = [];
  for (const name of await listDetached(sql, "user_events")) {
    await summarizeAndDrop(sql, name);
    dropped.push(name);
  }
  const last = Math.max(cutoffs.failures.getTime(), cutoffs.successes.getTime());
  for (const day of await listDayPartitions(sql, "user_events")) {
    if (day.day + DAY_MS > last) break;
    if (day.day + DAY_MS <= cutoffs.failures.getTime()) {
      await detachConcurrently(sql, "user_events", day.name);
      await summarizeAndDrop(sql, day.name);
      dropped.push(day.name);
      continue;
    }
    const successes = tierName("user_events", day.day, false);
    if ((await listTiers(sql, day)).includes(successes)) {
      await detachConcurrently(sql, day.name, successes);
      await summarizeAndDrop(sql, successes);
      dropped.push(successes);
    }
  }
  return dropped;
}

/** A detached day or tier: its rows added to the user days, then the table dropped, together. */
async function summarizeAndDrop(sql: postgres.Sql, table: string): Promise<void> {
  await sql.begin(async (tx) => {
    await addToUserDays(tx, tx`${tx(table)}`);
    await tx`drop table ${tx(table)}`;
  });
}

/**
 * Retention of admin_events by whole months (lib/db/event-partitions.ts): a month whose last moment is before the
 * cutoff is detached CONCURRENTLY and dropped; the month that straddles the cutoff is left to the batched delete.
 * A month left detached by a pass that stopped is dropped first. Returns the tables dropped.
 */
export async function expireAdminMonths(sql: postgres.Sql, cutoff: Date): Promise<string[]> {
  const dropped: string[] = [];
  for (const name of await listDetached(sql, "admin_events")) {
    await sql`drop table ${sql(name)}`;
    dropped.push(name);
  }
  for (const month of await listMonthPartitions(sql, "admin_events")) {
    if (nextMonth(month.month) > cutoff.getTime()) break;
    await detachConcurrently(sql, "admin_events", month.name);
    await sql`drop table ${sql(month.name)}`;
    dropped.push(month.name);
  }
  return dropped;
}
