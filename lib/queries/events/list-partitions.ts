import type postgres from "postgres";

/** A (source, realm) pair: the leading columns of every event table's primary key and time index. */
export interface Partition {
  sourceId: string;
  realm: string;
}

export const EVENT_TABLES = ["user_events", "admin_events"] as const;
export type EventTable = (typeof EVENT_TABLES)[number];

/**
 * The (source, realm) pairs that hold events, optionally narrowed. A loose index scan (one index probe per pair)
 * instead of `select distinct`, which would read every row.
 */
export async function listPartitions(
  sql: postgres.Sql,
  table: EventTable,
  scope: { sourceId?: string | null; realm?: string | null } = {},
): Promise<Partition[]> {
  const t = sql(table);
  const rows = await sql<{ source_id: string; realm: string }[]>`
    with recursive p as (
      (select source_id, realm from ${t} order by source_id, realm limit 1)
      union all
      select n.source_id, n.realm from p, lateral (
        select e.source_id, e.realm from ${t} e
        where (e.source_id, e.realm) > (p.source_id, p.realm)
        order by e.source_id, e.realm limit 1
      ) n
    )
    select source_id, realm from p`;
  return rows
    .filter(
      (r) => (!scope.sourceId || r.source_id === scope.sourceId) && (!scope.realm || r.realm === scope.realm),
    )
    .map((r) => ({ sourceId: r.source_id, realm: r.realm }));
}
