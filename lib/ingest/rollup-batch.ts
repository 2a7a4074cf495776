import type postgres from "postgres";
import type { UserEventRow } from "./rows";

/**
 * Rollups kept current at ingest: counts of events and failures per UTC minute, hour and day x realm x type x
 * error x cause x client x origin, for exactly the rows a transaction inserted. Dimension values that are
 * absent are stored as '' so the unique key holds. Rows are upserted in key order so two writers of the same
 * realm lock them in the same order and cannot deadlock.
 */
const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

export const ROLLUP_TABLES = [
  { table: "rollup_minute", size: MINUTE },
  { table: "rollup_hour", size: HOUR },
  { table: "rollup_day", size: DAY },
] as const;

interface Cell {
  bucket: number;
  type: string;
  error: string;
  cause: string;
  clientId: string;
  origin: string;
  events: number;
  failures: number;
}

type Countable = Pick<
  UserEventRow,
  "time" | "type" | "error" | "cause" | "clientId" | "origin" | "isFailure"
>;

export function aggregateRollups(rows: ReadonlyArray<Countable>, size: number, sign = 1): Cell[] {
  const cells = new Map<string, Cell>();
  for (const r of rows) {
    const bucket = r.time - (r.time % size);
    const error = r.error ?? "";
    const cause = r.cause ?? "";
    const clientId = r.clientId ?? "";
    const key = `${bucket}\u0001${r.type}\u0001${error}\u0001${cause}\u0001${clientId}\u0001${r.origin}`;
    let c = cells.get(key);
    if (!c) {
      c = { bucket, type: r.type, error, cause, clientId, origin: r.origin, events: 0, failures: 0 };
      cells.set(key, c);
    }
    c.events += sign;
    if (r.isFailure) c.failures += sign;
  }
  return [...cells.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([, c]) => c);
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
  for (const { table, size } of ROLLUP_TABLES) {
    const cells = aggregateRollups(rows, size, sign);
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
