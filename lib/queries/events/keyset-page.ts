import type postgres from "postgres";
import { decodeCursor, type EventKey, encodeCursor, type PageDirection } from "./keyset-cursor";
import type { EventTable, Partition } from "./list-partitions";

export interface PageRequest {
  limit: number;
  /** `after` a cursor: older rows; `before` a cursor: newer rows; neither: the newest page. */
  after?: string | null;
  before?: string | null;
}

export interface KeysetPage<Row> {
  rows: Row[];
  /** Cursor of the page of newer rows, null on the newest page. */
  newer: string | null;
  /** Cursor of the page of older rows, null on the oldest page. */
  older: string | null;
}

interface KeyedRow {
  source_id: string;
  realm: string;
  id: string;
  time: Date;
}

/**
 * One page of an event table, newest first, in keyset order. Each (source, realm) partition is read through
 * its own (source_id, realm, time) index range with its own limit and the branches are merged, so a page costs
 * about limit x partitions index entries however large the table and whichever realms are in scope.
 */
export async function fetchKeysetPage<Row extends KeyedRow>(
  sql: postgres.Sql,
  table: EventTable,
  columns: postgres.Fragment,
  partitions: readonly Partition[],
  conditions: postgres.Fragment,
  page: PageRequest,
): Promise<KeysetPage<Row>> {
  const direction: PageDirection | null = page.before ? "before" : page.after ? "after" : null;
  const key = direction ? decodeCursor((page.before ?? page.after)!) : null;
  if (partitions.length === 0) return { rows: [], newer: null, older: null };
  const newerFirst = direction !== "before";
  const take = page.limit + 1;
  const position = key ? keyCondition(sql, key, newerFirst) : sql`true`;
  const order = newerFirst
    ? sql`order by time desc, id desc, source_id desc, realm desc`
    : sql`order by time asc, id asc, source_id asc, realm asc`;
  const branches = partitions.map(
    (p) => sql`(select ${columns} from ${sql(table)}
      where source_id = ${p.sourceId}::uuid and realm = ${p.realm} and ${conditions} and ${position}
      ${order} limit ${take})`,
  );
  const union = branches.reduce((acc, b) => sql`${acc} union all ${b}`);
  const found = await sql<Row[]>`select * from (${union}) page ${order} limit ${take}`;

  const more = found.length > page.limit;
  const rows = found.slice(0, page.limit);
  if (!newerFirst) rows.reverse();
  const first = rows[0];
  const last = rows[rows.length - 1];
  const cursorOf = (r: Row | undefined) => (r ? encodeCursor(keyOf(r)) : null);
  if (newerFirst) {
    return { rows, newer: key ? cursorOf(first) : null, older: more ? cursorOf(last) : null };
  }
  return { rows, newer: more ? cursorOf(first) : null, older: cursorOf(last) };
}

/**
 * Rows strictly past the key. The plain `time` bound lets the index range start at the key; the row comparison
 * settles ties of equal times.
 */
function keyCondition(sql: postgres.Sql, k: EventKey, older: boolean): postgres.Fragment {
  const t = new Date(k.time);
  return older
    ? sql`time <= ${t} and (time, id, source_id, realm) < (${t}, ${k.id}, ${k.sourceId}::uuid, ${k.realm})`
    : sql`time >= ${t} and (time, id, source_id, realm) > (${t}, ${k.id}, ${k.sourceId}::uuid, ${k.realm})`;
}

function keyOf(r: KeyedRow): EventKey {
  return { time: r.time.getTime(), id: r.id, sourceId: r.source_id, realm: r.realm };
}
