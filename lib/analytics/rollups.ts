import type postgres from "postgres";

/**
 * The rollup tables: events and failures per UTC minute, hour and day x source x realm x type x error x cause x
 * client x origin. Absent dimensions are stored as '' so the primary key holds. Buckets are UTC; charts in other
 * zones re-bucket hours (and, around half-hour offsets, minutes) on read.
 */
export const ROLLUP_GRAINS = [
  { table: "rollup_minute", unit: "minute" },
  { table: "rollup_hour", unit: "hour" },
  { table: "rollup_day", unit: "day" },
] as const;

type Db = postgres.Sql | postgres.TransactionSql;

/**
 * Adds a batch of newly inserted user events to the three rollup tables, inside the caller's transaction, in
 * one statement. `inserted` yields exactly the rows the transaction inserted, with at least source_id, realm,
 * time, type, error, cause, client_id, origin and is_failure: a select from a staging table, or the insert
 * itself (`insert into user_events select * from staging on conflict do nothing returning *`), which PostgreSQL
 * allows only as a top-level CTE; that is why all three tables are written by one statement. Rows go in
 * primary-key order, so two writers of one realm take their row locks in the same order.
 */
export async function applyRollups(tx: Db, inserted: postgres.Fragment): Promise<void> {
  const grain = (table: string, unit: string) => tx`
    insert into ${tx(table)} as r (source_id, realm, bucket, type, error, cause, client_id, origin, events, failures)
    select i.source_id, i.realm, date_trunc(${unit}::text, i.time, 'UTC'), i.type, coalesce(i.error, ''),
           coalesce(i.cause, ''), coalesce(i.client_id, ''), i.origin,
           count(*)::int, (count(*) filter (where i.is_failure))::int
    from inserted as i
    group by 1, 2, 3, 4, 5, 6, 7, 8
    order by 1, 2, 3, 4, 5, 6, 7, 8
    on conflict (source_id, realm, bucket, type, error, cause, client_id, origin)
    do update set events = r.events + excluded.events, failures = r.failures + excluded.failures`;
  await tx`
    with inserted as (${inserted}),
         minutes as (${grain("rollup_minute", "minute")}),
         hours as (${grain("rollup_hour", "hour")}),
         days as (${grain("rollup_day", "day")})
    select 1`;
}

export interface RebuildScope {
  sourceId?: string;
  realm?: string;
}

/**
 * Recomputes the rollups of a source, a realm, or everything from user_events, less the copies of events that
 * ingest does not count either (lib/ingest/write/link-copies.ts): after re-classification changed causes, after a
 * retention purge, or to repair drift. Minutes come from the events; hours from the minutes and days from the
 * hours, which reads the big table once. One transaction: readers see the old rollups or the new ones, never a
 * half-built state.
 */
export async function rebuildRollups(
  sql: postgres.Sql,
  scope: RebuildScope = {},
): Promise<{ minutes: number }> {
  const inScope = (db: Db) =>
    db`true ${scope.sourceId ? db`and source_id = ${scope.sourceId}::uuid` : db``}
       ${scope.realm !== undefined ? db`and realm = ${scope.realm}` : db``}`;
  return sql.begin(async (tx) => {
    for (const { table } of ROLLUP_GRAINS) await tx`delete from ${tx(table)} where ${inScope(tx)}`;
    const minutes = await tx`
      insert into rollup_minute (source_id, realm, bucket, type, error, cause, client_id, origin, events, failures)
      select source_id, realm, date_trunc('minute', time, 'UTC'), type, coalesce(error, ''), coalesce(cause, ''),
             coalesce(client_id, ''), origin, count(*)::int, (count(*) filter (where is_failure))::int
      from user_events
      where ${inScope(tx)} and copy_of is null
      group by 1, 2, 3, 4, 5, 6, 7, 8`;
    for (const [from, to, unit] of [
      ["rollup_minute", "rollup_hour", "hour"],
      ["rollup_hour", "rollup_day", "day"],
    ] as const) {
      await tx`
        insert into ${tx(to)} (source_id, realm, bucket, type, error, cause, client_id, origin, events, failures)
        select source_id, realm, date_trunc(${unit}::text, bucket, 'UTC'), type, error, cause, client_id, origin,
               sum(events)::int, sum(failures)::int
        from ${tx(from)}
        where ${inScope(tx)}
        group by 1, 2, 3, 4, 5, 6, 7, 8`;
    }
    return { minutes: minutes.count };
  });
}
