import type postgres from "postgres";

/**
 * The event tables are partitioned by time, so that retention drops whole tables instead of deleting rows:
 * - user_events by day (UTC; migration 20261205060000_user_events_partitions), and each day by is_failure into two
 *   tiers, its failures (user_events_p20261205_f) and its successes (…_s), which retention keeps for different
 *   times (migration 20261205090530_user_events_tiers);
 * - admin_events by month (UTC; admin_events_p202612, migration 20261206002614_admin_events_partitions): admin
 *   events are few and kept a year, so a month per table keeps the tables a read opens to about thirteen.
 * There is no default partition: a row whose day, tier or month has no table is refused by PostgreSQL. So
 * realmwatch creates them itself, before anything is written to them:
 * - ahead of time: today and the next AHEAD_DAYS days (and their months), when migrations are applied (every
 *   start) and on each retention pass, so the live stream never waits for a partition;
 * - on demand: any other day or month a batch holds (an import of old logs, a Keycloak whose clock runs ahead),
 *   created by the writer before its transaction. Event times are bounded when rows are read (2000 to a year
 *   ahead, lib/keycloak/event-rows.ts): a time outside is refused there with its reason, never stored or lost
 *   silently.
 * Retention drops whole days, tiers and months (lib/retention/expire-tiers.ts).
 */
export const PARTITIONED_TABLES = ["user_events", "admin_events"] as const;
export type PartitionedTable = (typeof PARTITIONED_TABLES)[number];

/** Days created ahead of today: a poller down over a long weekend still finds its days on restart. */
export const AHEAD_DAYS = 7;

const DAY_MS = 86_400_000;

/** The UTC day (its midnight, epoch ms) of a time. */
export function dayOf(time: number): number {
  return Math.floor(time / DAY_MS) * DAY_MS;
}

/** The UTC month (its first midnight, epoch ms) of a time. */
export function monthOf(time: number): number {
  const d = new Date(time);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

/** The month after the one starting at `month`. */
export function nextMonth(month: number): number {
  const d = new Date(month);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

/**
 * The partition of a table holding a time: user_events by day (user_events_p20261205), admin_events by month
 * (admin_events_p202612).
 */
export function partitionName(table: PartitionedTable, time: number): string {
  const iso = new Date(time).toISOString();
  return `${table}_p${(table === "admin_events" ? iso.slice(0, 7) : iso.slice(0, 10)).replaceAll("-", "")}`;
}

/** A day's tier: its failures or its successes (user_events_p20261205_f, user_events_p20261205_s). */
export function tierName(table: PartitionedTable, day: number, failures: boolean): string {
  return `${partitionName(table, day)}_${failures ? "f" : "s"}`;
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
 * Makes sure each day has its partition and both its tiers, creating what is missing (each day in its own short
 * transaction: the attach takes a lock on the parent that must not last through a write). A day whose successes
 * retention already dropped gets that tier back for a late write (an import of old logs): what it stores is
 * summarized and dropped by the next pass, never lost. For admin_events, the months of the times given instead
 * (one table each, no tiers). Returns the partitions' names.
 */
export async function ensurePartitions(
  sql: postgres.Sql,
  table: PartitionedTable,
  days: ReadonlyArray<number>,
): Promise<string[]> {
  if (days.length === 0) return [];
  const units = table === "admin_events" ? [...new Set(days.map(monthOf))].sort((a, b) => a - b) : days;
  const names = units.map((u) => partitionName(table, u));
  // Partitions this process made sure of need no round trip: a writer meets the same day on every batch. One
  // gone since (retention, a dropped schema) fails the write, which forgets them and comes back here.
  const known = knownOf(sql);
  if (names.every((n) => known.has(n))) return names;
  const dates = units.map((u) => new Date(u).toISOString().slice(0, 10));
  if (table === "admin_events") await createMissingMonths(sql, names, dates);
  else await createMissingDays(sql, table, names, dates);
  for (const n of names) known.add(n);
  return names;
}

/**
 * The tables rows of these partitions are placed in: each day of user_events with its two tiers (a row goes to
 * its tier), each month of admin_events itself.
 */
export function placesOf(table: PartitionedTable, names: ReadonlyArray<string>): string[] {
  return table === "user_events" ? names.flatMap((n) => [n, `${n}_f`, `${n}_s`]) : [...names];
}

async function createMissingDays(
  sql: postgres.Sql,
  table: PartitionedTable,
  names: ReadonlyArray<string>,
  dates: ReadonlyArray<string>,
): Promise<void> {
  const missing = await sql<{ day: string }[]>`
    select d.day::text as day
    from unnest(${names as string[]}::text[], ${dates as string[]}::text[]) as d(name, day)
    where to_regclass(d.name) is null or to_regclass(d.name || '_f') is null or to_regclass(d.name || '_s') is null`;
  for (const { day } of missing) {
    await sql`select realmwatch_event_partition(${table}::regclass, ${day}::date)`;
  }
}

/** Partitions (with their tiers) this process created or found, per connection pool. */
const knownPartitions = new WeakMap<postgres.Sql, Set<string>>();

function knownOf(sql: postgres.Sql): Set<string> {
  let known = knownPartitions.get(sql);
  if (!known) {
    known = new Set();
    knownPartitions.set(sql, known);
  }
  return known;
}

/** Forgets which partitions exist (a write met one gone): the next ensurePartitions asks the database again. */
export function forgetPartitions(sql: postgres.Sql): void {
  knownPartitions.delete(sql);
}

/** The months' partitions of admin_events (each month by its first day), created where missing. */
async function createMissingMonths(
  sql: postgres.Sql,
  names: ReadonlyArray<string>,
  dates: ReadonlyArray<string>,
): Promise<void> {
  const missing = await sql<{ month: string }[]>`
    select m.month from unnest(${names as string[]}::text[], ${dates as string[]}::text[]) as m(name, month)
    where to_regclass(m.name) is null`;
  for (const { month } of missing) {
    await sql`select realmwatch_month_partition('admin_events'::regclass, ${month}::date)`;
  }
}

/**
 * Today's partitions and AHEAD_DAYS more (for admin_events, the months those days fall in), for every table that
 * is partitioned (once migrated).
 */
export async function ensurePartitionsAhead(sql: postgres.Sql, now: Date): Promise<void> {
  // Asked of the database, not of what this process remembers: migrations and retention passes (which drop
  // days) call this, and a schema made anew under the same pool must get its days.
  forgetPartitions(sql);
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

/** A table's day partitions (user_events), oldest first. */
export async function listDayPartitions(sql: postgres.Sql, table: "user_events"): Promise<DayPartition[]> {
  const out: DayPartition[] = [];
  for (const name of await partitionsOf(sql, table)) {
    const m = /_p(\d{4})(\d{2})(\d{2})$/.exec(name);
    if (m) out.push({ name, day: Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) });
  }
  return out.sort((a, b) => a.day - b.day);
}

export interface MonthPartition {
  name: string;
  /** The month's first UTC midnight (epoch ms); the partition holds [month, the next month's). */
  month: number;
}

/** A table's month partitions (admin_events), oldest first. */
export async function listMonthPartitions(
  sql: postgres.Sql,
  table: "admin_events",
): Promise<MonthPartition[]> {
  const out: MonthPartition[] = [];
  for (const name of await partitionsOf(sql, table)) {
    const m = /_p(\d{4})(\d{2})$/.exec(name);
    if (m) out.push({ name, month: Date.UTC(Number(m[1]), Number(m[2]) - 1, 1) });
  }
  return out.sort((a, b) => a.month - b.month);
}

async function partitionsOf(sql: postgres.Sql, table: PartitionedTable): Promise<string[]> {
  const rows = await sql<{ name: string }[]>`
    select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
    where i.inhparent = ${table}::regclass`;
  return rows.map((r) => r.name);
}

/**
 * A day's tiers that are attached to it, by name (either may have been dropped by retention), a detach an earlier
 * pass left pending included (detachConcurrently finishes it).
 */
export async function listTiers(sql: postgres.Sql, day: DayPartition): Promise<string[]> {
  const rows = await sql<{ name: string }[]>`
    select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
    where i.inhparent = to_regclass(${day.name})`;
  return rows.map((r) => r.name).sort();
}

/**
 * Detaches a partition (a day from the table, or a tier from its day) CONCURRENTLY: the parent is only
 * share-update locked, so reads and writes go on; it waits for the transactions that use the partition to end.
 * A detach that an earlier crash left pending is finished instead. The table is left standing for the caller to
 * read and drop (lib/retention/).
 */
export async function detachConcurrently(
  sql: postgres.Sql,
  parent: string,
  partition: string,
): Promise<void> {
  const [state] = await sql<{ pending: boolean }[]>`
    select i.inhdetachpending as pending from pg_inherits i
    where i.inhparent = to_regclass(${parent}) and i.inhrelid = to_regclass(${partition})`;
  if (!state) return;
  if (state.pending) await sql`alter table ${sql(parent)} detach partition ${sql(partition)} finalize`;
  else await sql`alter table ${sql(parent)} detach partition ${sql(partition)} concurrently`;
}

/**
 * Days, tiers and months of a table that are detached but still stand: retention detaches one, then summarizes
 * (user events) and drops it in one transaction, so a process that stopped between the two leaves it here for
 * the next pass.
 */
export async function listDetached(sql: postgres.Sql, table: PartitionedTable): Promise<string[]> {
  const pattern = table === "admin_events" ? `^${table}_p[0-9]{6}$` : `^${table}_p[0-9]{8}(_[fs])?$`;
  const rows = await sql<{ name: string }[]>`
    select c.relname as name from pg_class c
    where c.relnamespace = (select relnamespace from pg_class where oid = ${table}::regclass)
      and c.relkind in ('r', 'p') and c.relname ~ ${pattern}
      and not exists (select 1 from pg_inherits i where i.inhrelid = c.oid)`;
  return rows.map((r) => r.name).sort();
}
