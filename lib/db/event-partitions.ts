import type postgres from "postgres";

/**
 * user_events is partitioned by day (UTC) on its time (migration 20261205060000_user_events_partitions), with no
 * default partition: a row whose day has no partition is refused by PostgreSQL. So realmwatch creates the days
 * itself, before anything is written to them:
 * - ahead of time: today and the next AHEAD_DAYS days, when migrations are applied (every start) and on each
 *   retention pass, so the live stream never waits for a partition;
 * - on demand: any other day a batch holds (an import of old logs, a Keycloak whose clock runs ahead), created
 *   by the writer before its transaction. Event times are bounded when rows are read (2000 to a year ahead,
 *   lib/keycloak/event-rows.ts): a time outside is refused there with its reason, never stored or lost silently.
 * Retention drops whole days (dropExpiredPartitions).
 */
export const PARTITIONED_TABLES = ["user_events"] as const;
export type PartitionedTable = (typeof PARTITIONED_TABLES)[number];

/** Days created ahead of today: a poller down over a long weekend still finds its days on restart. */
export const AHEAD_DAYS = 7;

const DAY_MS = 86_400_000;

/** The UTC day (its midnight, epoch ms) of a time. */
export function dayOf(time: number): number {
  return Math.floor(time / DAY_MS) * DAY_MS;
}

/** The partition of a table holding a day: user_events_p20261205. */
export function partitionName(table: PartitionedTable, day: number): string {
  return `${table}_p${new Date(day).toISOString().slice(0, 10).replaceAll("-", "")}`;
}

/** The distinct days of some times, in order. */
export function daysOf(times: Iterable<number>): number[] {
  const days = new Set<number>();
  for (const t of times) days.add(dayOf(t));
  return [...days].sort((a, b) => a - b);
}

/** Every day from the one of `from` to the one of `to`, both included. */
export function daysBetween(from: number, to: number): number[] {
  const out: number[] = [];
  for (let d = dayOf(from); d <= dayOf(to); d += DAY_MS) out.push(d);
  return out;
}

/**
 * Makes sure each day has its partition, creating the missing ones (each in its own short transaction: the
 * attach takes a lock on the parent that must not last through a write). Returns the partitions' names.
 */
export async function ensurePartitions(
  sql: postgres.Sql,
  table: PartitionedTable,
  days: ReadonlyArray<number>,
): Promise<string[]> {
  if (days.length === 0) return [];
  const names = days.map((d) => partitionName(table, d));
  const missing = await sql<{ day: string }[]>`
    select d.day::text as day
    from unnest(${names}::text[], ${days.map((d) => new Date(d).toISOString().slice(0, 10))}::text[]) as d(name, day)
    where to_regclass(d.name) is null`;
  for (const { day } of missing) {
    await sql`select realmwatch_event_partition(${table}::regclass, ${day}::date)`;
  }
  return names;
}

/** Today's partitions and AHEAD_DAYS more, for every table that is partitioned (once migrated). */
export async function ensurePartitionsAhead(sql: postgres.Sql, now: Date): Promise<void> {
  const days = daysBetween(now.getTime(), now.getTime() + AHEAD_DAYS * DAY_MS);
  const partitioned = await sql<{ name: PartitionedTable }[]>`
    select c.relname as name from pg_class c
    where c.oid = any(select to_regclass(t) from unnest(${[...PARTITIONED_TABLES]}::text[]) t) and c.relkind = 'p'`;
  for (const { name } of partitioned) await ensurePartitions(sql, name, days);
}

export interface DayPartition {
  name: string;
  /** The day's UTC midnight (epoch ms); the partition holds [day, day + 1 day). */
  day: number;
}

/** A table's day partitions, oldest first. */
export async function listDayPartitions(sql: postgres.Sql, table: PartitionedTable): Promise<DayPartition[]> {
  const rows = await sql<{ name: string }[]>`
    select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
    where i.inhparent = ${table}::regclass`;
  const out: DayPartition[] = [];
  for (const { name } of rows) {
    const m = /_p(\d{4})(\d{2})(\d{2})$/.exec(name);
    if (m) out.push({ name, day: Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) });
  }
  return out.sort((a, b) => a.day - b.day);
}

/**
 * Drops the partitions whose whole day is before the cutoff: each one detached CONCURRENTLY (the parent is
 * only share-update locked, so reads and writes go on; it waits for the transactions that use the day to end),
 * then dropped, one statement each. The day that straddles the cutoff is not touched here (its older rows go
 * by batched delete). Returns the names dropped.
 */
export async function dropExpiredPartitions(
  sql: postgres.Sql,
  table: PartitionedTable,
  cutoff: Date,
): Promise<string[]> {
  const dropped: string[] = [];
  for (const p of await listDayPartitions(sql, table)) {
    if (p.day + DAY_MS > cutoff.getTime()) break;
    await sql`alter table ${sql(table)} detach partition ${sql(p.name)} concurrently`;
    await sql`drop table ${sql(p.name)}`;
    dropped.push(p.name);
  }
  return dropped;
}
