import type postgres from "postgres";
import {
  aggregateRollupSizes,
  type Cell,
  type Countable,
  ROLLUP_SIZES,
  type RollupColumns,
  tallyCells,
} from "@/lib/analytics/rollup-cells";

/**
 * The rollup tables (and each realm's hourly totals, rollup_realm_hour), written only here: kept current at ingest
 * for exactly the rows a transaction inserted, taken back for rows deleted, and rebuilt from user_events. Cells
 * are computed by lib/analytics/rollup-cells.
 * Buckets are UTC; charts in other zones re-bucket hours (and, around half-hour offsets, minutes) on read.
 */
export const ROLLUP_TABLES = [
  { table: "rollup_minute", size: ROLLUP_SIZES.minute },
  { table: "rollup_hour", size: ROLLUP_SIZES.hour },
  { table: "rollup_day", size: ROLLUP_SIZES.day },
] as const;
const SIZES = ROLLUP_TABLES.map((t) => t.size);

type Db = postgres.TransactionSql | postgres.Sql;

/** Adds the rows' counts to the three rollup tables and the realm's hours (within the caller's transaction). */
export async function upsertRollups(
  tx: Db,
  sourceId: string,
  realm: string,
  rows: ReadonlyArray<Countable>,
  sign = 1,
): Promise<void> {
  if (rows.length === 0) return;
  await upsertRollupCells(tx, sourceId, realm, aggregateRollupSizes(rows, SIZES, sign));
}

/** Adds the counts of the rows `include` allows to the three rollup tables and the realm's hours. */
export async function upsertRollupColumns(
  tx: Db,
  sourceId: string,
  realm: string,
  columns: RollupColumns,
  include?: (row: number) => boolean,
): Promise<void> {
  await upsertRollupCells(tx, sourceId, realm, tallyCells(columns, SIZES, 1, include));
}

/**
 * One statement per rollup table (and the realm's hours), sent together: postgres.js pipelines the queries of a
 * transaction issued in the same tick, so they cost one round trip. They touch different tables, so the order in
 * which PostgreSQL runs them does not matter.
 */
async function upsertRollupCells(tx: Db, sourceId: string, realm: string, perSize: Cell[][]): Promise<void> {
  const statements: Promise<unknown>[] = [];
  for (const [i, { table }] of ROLLUP_TABLES.entries()) {
    const cells = perSize[i]!;
    if (cells.length === 0) continue;
    if (table === "rollup_hour") statements.push(upsertRealmHours(tx, sourceId, realm, cells));
    statements.push(tx`
      insert into ${tx(table)} (source_id, realm, bucket, type, error, cause, client_id, origin, events, failures)
      select ${sourceId}::uuid, ${realm}, to_timestamp(u.b / 1000.0), u.t, u.e, u.c, u.cl, u.o, u.n, u.f
      from unnest(${cells.map((c) => c.bucket)}::float8[], ${cells.map((c) => c.type)}::text[],
                  ${cells.map((c) => c.error)}::text[], ${cells.map((c) => c.cause)}::text[],
                  ${cells.map((c) => c.clientId)}::text[], ${cells.map((c) => c.origin)}::text[],
                  ${cells.map((c) => c.events)}::int[], ${cells.map((c) => c.failures)}::int[])
           as u(b, t, e, c, cl, o, n, f)
      on conflict (source_id, realm, bucket, type, error, cause, client_id, origin)
      do update set events = ${tx(table)}.events + excluded.events,
                    failures = ${tx(table)}.failures + excluded.failures`);
  }
  await Promise.all(statements);
}

/**
 * The realm's totals per hour (rollup_realm_hour) move with its hour cells, in the same transaction: the sum of a
 * realm's rollup_hour rows of an hour is always its rollup_realm_hour row. Hours in ascending order, as the
 * cells are, so two writers of one realm take the row locks in the same order.
 */
async function upsertRealmHours(tx: Db, sourceId: string, realm: string, hourCells: Cell[]): Promise<void> {
  const totals = new Map<number, { events: number; failures: number }>();
  for (const c of hourCells) {
    const t = totals.get(c.bucket) ?? { events: 0, failures: 0 };
    t.events += c.events;
    t.failures += c.failures;
    totals.set(c.bucket, t);
  }
  const hours = [...totals.entries()]
    .filter(([, t]) => t.events !== 0 || t.failures !== 0)
    .sort(([a], [b]) => a - b);
  if (hours.length === 0) return;
  await tx`
    insert into rollup_realm_hour (source_id, realm, bucket, events, failures)
    select ${sourceId}::uuid, ${realm}, to_timestamp(u.b / 1000.0), u.n, u.f
    from unnest(${hours.map(([b]) => b)}::float8[], ${hours.map(([, t]) => t.events)}::int[],
                ${hours.map(([, t]) => t.failures)}::int[]) as u(b, n, f)
    on conflict (source_id, realm, bucket)
    do update set events = rollup_realm_hour.events + excluded.events,
                  failures = rollup_realm_hour.failures + excluded.failures`;
}

/** Takes deleted rows back out of the rollups (log rows superseded by API rows, retention). */
export function subtractRollups(
  tx: Db,
  sourceId: string,
  realm: string,
  rows: ReadonlyArray<Countable>,
): Promise<void> {
  return upsertRollups(tx, sourceId, realm, rows, -1);
}

export interface RebuildScope {
  sourceId?: string;
  realm?: string;
}

/** Events read per step of a rebuild: each step's cells are added to the tables, so memory stays bounded. */
const REBUILD_STEP = 200_000;

/**
 * Recomputes the rollups of a source, a realm, or everything from user_events, less the copies of events that
 * ingest does not count either (link-copies.ts): after re-classification changed causes, after a retention
 * purge, or to repair drift. The events are read in steps and counted as ingest counts them. One transaction:
 * readers see the old rollups or the new ones, never a half-built state.
 */
export async function rebuildRollups(
  sql: postgres.Sql,
  scope: RebuildScope = {},
): Promise<{ minutes: number }> {
  const inScope = (db: Db) =>
    db`true ${scope.sourceId ? db`and source_id = ${scope.sourceId}::uuid` : db``}
       ${scope.realm !== undefined ? db`and realm = ${scope.realm}` : db``}`;
  return sql.begin(async (tx) => {
    for (const table of [...ROLLUP_TABLES.map((t) => t.table), "rollup_realm_hour"])
      await tx`delete from ${tx(table)} where ${inScope(tx)}`;
    await tx`
      declare rollup_events no scroll cursor for
      select source_id, realm, (extract(epoch from time) * 1000)::float8 as time, type, error, cause, client_id,
             origin, is_failure
      from user_events
      where ${inScope(tx)} and copy_of is null`;
    for (;;) {
      const rows: {
        source_id: string;
        realm: string;
        time: number;
        type: string;
        error: string | null;
        cause: string | null;
        client_id: string | null;
        origin: string;
        is_failure: boolean;
      }[] = await tx.unsafe(`fetch ${REBUILD_STEP} from rollup_events`); // FETCH takes no bind parameter; a constant
      const byRealm = new Map<string, { sourceId: string; realm: string; rows: Countable[] }>();
      for (const r of rows) {
        const key = `${r.source_id}\u0000${r.realm}`;
        let group = byRealm.get(key);
        if (!group) {
          group = { sourceId: r.source_id, realm: r.realm, rows: [] };
          byRealm.set(key, group);
        }
        group.rows.push({
          time: r.time,
          type: r.type,
          error: r.error,
          cause: r.cause,
          clientId: r.client_id,
          origin: r.origin,
          isFailure: r.is_failure,
        });
      }
      for (const g of byRealm.values()) await upsertRollups(tx, g.sourceId, g.realm, g.rows);
      if (rows.length < REBUILD_STEP) break;
    }
    await tx`close rollup_events`;
    const [minutes] = await tx<{ n: number }[]>`
      select count(*)::int as n from rollup_minute where ${inScope(tx)}`;
    return { minutes: minutes?.n ?? 0 };
  });
}
