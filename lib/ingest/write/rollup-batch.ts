import type postgres from "postgres";
import type { UserEventRow } from "@/lib/keycloak/event-rows";

/**
 * Rollups kept current at ingest: counts of events and failures per UTC minute, hour and day x realm x type x
 * error x cause x client x origin, for exactly the rows a transaction inserted. Dimension values that are
 * absent are stored as '' so the unique key holds. Rows are upserted in key order so two writers of the same
 * realm lock them in the same order and cannot deadlock.
 */
const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
/** Cell key = bucket index x DIMENSIONS + dimension: exact as a double for any date (2^21 combinations). */
const DIMENSIONS = 2_097_152;
const dimOf = (cellKey: number) => ((cellKey % DIMENSIONS) + DIMENSIONS) % DIMENSIONS;

export const ROLLUP_TABLES = [
  { table: "rollup_minute", size: MINUTE },
  { table: "rollup_hour", size: HOUR },
  { table: "rollup_day", size: DAY },
] as const;
const SIZES = ROLLUP_TABLES.map((t) => t.size);

export interface Cell {
  bucket: number;
  type: string;
  error: string;
  cause: string;
  clientId: string;
  origin: string;
  events: number;
  failures: number;
}

export type Countable = Pick<
  UserEventRow,
  "time" | "type" | "error" | "cause" | "clientId" | "origin" | "isFailure"
>;

interface Dimensions {
  /** Sort key: cells are upserted in (bucket, key) order. */
  key: string;
  type: string;
  error: string;
  cause: string;
  clientId: string;
  origin: string;
}

/**
 * The distinct dimension combinations of a batch, numbered. A page of 10,000 events has a few hundred: each row
 * finds its number through nested maps (no string built per row).
 */
export class DimensionTable {
  readonly list: Dimensions[] = [];
  private readonly lookup = new Map<string, Map<string, Map<string, Map<string, Map<string, number>>>>>();

  numberOf(r: Omit<Countable, "time" | "isFailure">): number {
    const error = r.error ?? "";
    const cause = r.cause ?? "";
    const clientId = r.clientId ?? "";
    const byOrigin = branch(branch(branch(branch(this.lookup, r.type), error), cause), clientId);
    let n = byOrigin.get(r.origin);
    if (n === undefined) {
      n = this.list.length;
      if (n === DIMENSIONS) throw new Error("Too many distinct rollup dimensions in one batch.");
      byOrigin.set(r.origin, n);
      const key = `${r.type}\u0001${error}\u0001${cause}\u0001${clientId}\u0001${r.origin}`;
      this.list.push({ key, type: r.type, error, cause, clientId, origin: r.origin });
    }
    return n;
  }
}

/** The map under `key`, created when absent. */
function branch<V>(map: Map<string, Map<string, V>>, key: string): Map<string, V> {
  let m = map.get(key);
  if (!m) {
    m = new Map();
    map.set(key, m);
  }
  return m;
}

/** What rollups need of each row, in columns: a batch holds these instead of its row objects. */
export interface RollupColumns {
  dimensions: DimensionTable;
  times: ArrayLike<number>;
  /** Per row, its number in `dimensions`. */
  dimension: ArrayLike<number>;
  failure: ArrayLike<number>;
}

export function rollupColumns(rows: ReadonlyArray<Countable>): RollupColumns {
  const dimensions = new DimensionTable();
  const times = new Float64Array(rows.length);
  const dimension = new Uint32Array(rows.length);
  const failure = new Uint8Array(rows.length);
  rows.forEach((r, i) => {
    times[i] = r.time;
    dimension[i] = dimensions.numberOf(r);
    failure[i] = r.isFailure ? 1 : 0;
  });
  return { dimensions, times, dimension, failure };
}

/**
 * The cells for each size (one list per size, in upsert order), counting the rows `include` allows (all when
 * absent), each with `sign`.
 */
export function tallyCells(
  columns: RollupColumns,
  sizes: readonly number[],
  sign = 1,
  include?: (row: number) => boolean,
): Cell[][] {
  const dims = columns.dimensions.list;
  const cells = sizes.map(() => new Map<number, Cell>());
  for (let i = 0; i < columns.times.length; i++) {
    if (include && !include(i)) continue;
    const time = columns.times[i]!;
    const dim = columns.dimension[i]!;
    const failed = columns.failure[i] === 1;
    for (let s = 0; s < sizes.length; s++) {
      const size = sizes[s]!;
      const index = Math.floor(time / size);
      const cellKey = index * DIMENSIONS + dim;
      const map = cells[s]!;
      let c = map.get(cellKey);
      if (!c) {
        const d = dims[dim]!;
        c = {
          bucket: index * size,
          type: d.type,
          error: d.error,
          cause: d.cause,
          clientId: d.clientId,
          origin: d.origin,
          events: 0,
          failures: 0,
        };
        map.set(cellKey, c);
      }
      c.events += sign;
      if (failed) c.failures += sign;
    }
  }
  const rank = new Array<number>(dims.length);
  dims
    .map((d, i) => ({ key: d.key, i }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .forEach((d, r) => {
      rank[d.i] = r;
    });
  return cells.map((map) =>
    [...map.entries()]
      .sort(([ka, a], [kb, b]) => a.bucket - b.bucket || rank[dimOf(ka)]! - rank[dimOf(kb)]!)
      .map(([, c]) => c),
  );
}

/** The rows' cells for each size, in upsert order. */
export function aggregateRollupSizes(
  rows: ReadonlyArray<Countable>,
  sizes: readonly number[],
  sign = 1,
): Cell[][] {
  return tallyCells(rollupColumns(rows), sizes, sign);
}

/** The rows' cells for one bucket size, in upsert order. */
export function aggregateRollups(rows: ReadonlyArray<Countable>, size: number, sign = 1): Cell[] {
  return aggregateRollupSizes(rows, [size], sign)[0]!;
}

/** Adds the rows' counts to the three rollup tables (within the caller's transaction). */
export async function upsertRollups(
  tx: postgres.TransactionSql | postgres.Sql,
  sourceId: string,
  realm: string,
  rows: ReadonlyArray<Countable>,
  sign = 1,
): Promise<void> {
  if (rows.length === 0) return;
  await upsertRollupCells(tx, sourceId, realm, aggregateRollupSizes(rows, SIZES, sign));
}

/** Adds the counts of the rows `include` allows to the three rollup tables. */
export async function upsertRollupColumns(
  tx: postgres.TransactionSql | postgres.Sql,
  sourceId: string,
  realm: string,
  columns: RollupColumns,
  include?: (row: number) => boolean,
): Promise<void> {
  await upsertRollupCells(tx, sourceId, realm, tallyCells(columns, SIZES, 1, include));
}

async function upsertRollupCells(
  tx: postgres.TransactionSql | postgres.Sql,
  sourceId: string,
  realm: string,
  perSize: Cell[][],
): Promise<void> {
  for (const [i, { table }] of ROLLUP_TABLES.entries()) {
    const cells = perSize[i]!;
    if (cells.length === 0) continue;
    await tx`
      insert into ${tx(table)} (source_id, realm, bucket, type, error, cause, client_id, origin, events, failures)
      select ${sourceId}::uuid, ${realm}, to_timestamp(u.b / 1000.0), u.t, u.e, u.c, u.cl, u.o, u.n, u.f
      from unnest(${cells.map((c) => c.bucket)}::float8[], ${cells.map((c) => c.type)}::text[],
                  ${cells.map((c) => c.error)}::text[], ${cells.map((c) => c.cause)}::text[],
                  ${cells.map((c) => c.clientId)}::text[], ${cells.map((c) => c.origin)}::text[],
                  ${cells.map((c) => c.events)}::int[], ${cells.map((c) => c.failures)}::int[])
           as u(b, t, e, c, cl, o, n, f)
      on conflict (source_id, realm, bucket, type, error, cause, client_id, origin)
      do update set events = ${tx(table)}.events + excluded.events,
                    failures = ${tx(table)}.failures + excluded.failures`;
  }
}

/** Takes deleted rows back out of the rollups (log rows superseded by API rows, retention). */
export function subtractRollups(
  tx: postgres.TransactionSql | postgres.Sql,
  sourceId: string,
  realm: string,
  rows: ReadonlyArray<Countable>,
): Promise<void> {
  return upsertRollups(tx, sourceId, realm, rows, -1);
}
