import type postgres from "postgres";
import { addToUserDays } from "@/lib/retention/user-day-summaries";

/**
 * Deletes events older than a cutoff in small batches, each its own short transaction, so ingestion never waits
 * on a long lock and the table never holds one huge delete's worth of dead rows at once (unlike Keycloak's own
 * expiry, which deletes in one statement and locks the table at scale: keycloak#46954).
 *
 * Batches go per (source, realm) so each one is an index range on (source_id, realm, time); the pairs come from
 * a loose index scan of the primary key rather than a `select distinct` over the whole table. A batch is a slice
 * of time: the rows before the time of the batch's last row, found by walking the key's index, deleted as one
 * range of it (picking rows by key with `(time, id) in (...)` made PostgreSQL hash the whole day for each batch:
 * 15 s per batch at 100,000 rows a day). On the partitioned user_events this only meets
 * the day that straddles the cutoff (older days and tiers are dropped whole first: expire-tiers.ts), and each
 * batch adds what it deletes to the user days in the same statement (user-day-summaries.ts); `successesOnly`
 * deletes only the successes (their shorter tier).
 */
export type EventTable = "user_events" | "admin_events";

export interface DeleteProgress {
  table: EventTable;
  deleted: number;
  batches: number;
}

export async function deleteExpiredEvents(
  sql: postgres.Sql,
  table: EventTable,
  before: Date,
  options: {
    batchSize?: number;
    successesOnly?: boolean;
    onBatch?: (deleted: number) => void | Promise<void>;
  } = {},
): Promise<DeleteProgress> {
  const batchSize = options.batchSize ?? 5000;
  const t = sql(table);
  const progress: DeleteProgress = { table, deleted: 0, batches: 0 };
  const pairs = await sql<{ sourceId: string; realm: string }[]>`
    with recursive pairs as (
      (select source_id, realm from ${t} order by source_id, realm limit 1)
      union all
      select n.source_id, n.realm from pairs p, lateral (
        select source_id, realm from ${t}
        where (source_id, realm) > (p.source_id, p.realm)
        order by source_id, realm limit 1
      ) n
    )
    select source_id as "sourceId", realm from pairs`;
  const tier = options.successesOnly ? sql`and not is_failure` : sql``;
  for (const { sourceId, realm } of pairs) {
    const expired = sql`source_id = ${sourceId} and realm = ${realm} and time < ${before} ${tier}`;
    for (;;) {
      const [edge] = await sql<{ time: Date }[]>`
        select time from ${t} where ${expired} order by time offset ${batchSize - 1} limit 1`;
      // Fewer rows than a batch: all of them. Else the rows before the edge's time, or, when the whole batch
      // shares that time, the rows of that time (ties can only be so many).
      let slice = sql``;
      if (edge) {
        const [earlier] = await sql<{ any: boolean }[]>`
          select exists(select 1 from ${t} where ${expired} and time < ${edge.time}) as any`;
        slice = earlier?.any ? sql`and time < ${edge.time}` : sql`and time <= ${edge.time}`;
      }
      const batch = sql`delete from ${t} where ${expired} ${slice}`;
      let deleted: number;
      if (table === "user_events") {
        const [row] = await sql<{ n: number }[]>`
          with gone as (${batch} returning source_id, realm, user_id, time, type, is_failure, error, cause, copy_of),
               summed as (${addToUserDays(sql, sql`gone`)})
          select count(*)::int as n from gone`;
        deleted = row?.n ?? 0;
      } else {
        deleted = (await batch).count;
      }
      if (deleted > 0) {
        progress.deleted += deleted;
        progress.batches++;
        await options.onBatch?.(deleted);
      }
      // No edge: that batch held all that was left.
      if (!edge) break;
    }
  }
  return progress;
}
