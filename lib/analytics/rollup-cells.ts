/**
 * Rollup cells: counts of events and failures per UTC minute, hour and day x type x error x cause x client x
 * origin (of one source and realm). Dimension values that are absent are counted as '' so the tables' unique key
 * holds. Cells come in upsert order (bucket, then dimensions), so two writers of the same realm lock them in the
 * same order and cannot deadlock. The one way cells are computed: at ingest and when rollups are rebuilt
 * (lib/ingest/write/rollup-batch.ts writes them).
 */
const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
/** Cell key = bucket index x DIMENSIONS + dimension: exact as a double for any date (2^21 combinations). */
const DIMENSIONS = 2_097_152;
const dimOf = (cellKey: number) => ((cellKey % DIMENSIONS) + DIMENSIONS) % DIMENSIONS;

/** The bucket sizes rollups are kept at: UTC minutes, hours and days. */
export const ROLLUP_SIZES = { minute: MINUTE, hour: HOUR, day: DAY } as const;

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

/** What a rollup counts of an event. */
export interface Countable {
  time: number;
  type: string;
  error: string | null;
  cause: string | null;
  clientId: string | null;
  origin: string;
  isFailure: boolean;
}

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
