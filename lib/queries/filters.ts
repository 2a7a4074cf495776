import type postgres from "postgres";
import type { RollupCover } from "@/lib/analytics/rollup-plan";

export type Db = postgres.Sql | postgres.TransactionSql;

/** What every analytics question can be narrowed to. Absent means all. */
export interface AnalyticsFilter {
  sourceId?: string;
  realm?: string;
  /** The human clientId, as user events carry it; "" selects the failures that name no client. */
  clientId?: string;
  cause?: string;
}

/** Rollup and event rows keep no cause as '' (rollups) or null (events): both are charted as "unknown". */
export const UNCLASSIFIED = "unknown";

/** `and ...` conditions for the rollup tables; every value bound. */
export function rollupFilter(db: Db, f: AnalyticsFilter): postgres.Fragment {
  return db`
    ${f.sourceId ? db`and source_id = ${f.sourceId}::uuid` : db``}
    ${f.realm !== undefined ? db`and realm = ${f.realm}` : db``}
    ${f.clientId !== undefined ? db`and client_id = ${f.clientId}` : db``}
    ${f.cause !== undefined ? (f.cause === UNCLASSIFIED ? db`and cause in ('', ${UNCLASSIFIED})` : db`and cause = ${f.cause}`) : db``}`;
}

/** `and ...` conditions for user_events; every value bound. */
export function eventFilter(db: Db, f: AnalyticsFilter): postgres.Fragment {
  return db`
    ${f.sourceId ? db`and source_id = ${f.sourceId}::uuid` : db``}
    ${f.realm !== undefined ? db`and realm = ${f.realm}` : db``}
    ${f.clientId === undefined ? db`` : f.clientId === "" ? db`and client_id is null` : db`and client_id = ${f.clientId}`}
    ${f.cause !== undefined ? (f.cause === UNCLASSIFIED ? db`and (cause is null or cause = ${UNCLASSIFIED})` : db`and cause = ${f.cause}`) : db``}`;
}

/**
 * The failures of a filter in a range, for a raw read newest first: `where` conditions and `order by` keys.
 * With a realm and a client the time bounds are (client_id, time) row comparisons, which only the failure index
 * on (realm, client_id, time) can serve. Given plain bounds, the planner took the failure index on time alone
 * (its heap order looks cheaper) and filtered the other clients out: at 10M events a small client's 2,000 newest
 * failures read 39,000 pages (2 s from a cold cache) instead of 1,960 (130 ms).
 */
export function newestFailures(
  db: Db,
  f: AnalyticsFilter,
  range: { from: number; to: number },
): { where: postgres.Fragment; order: postgres.Fragment } {
  if (f.realm === undefined || f.clientId === undefined) {
    return {
      where: db`time >= ${iso(range.from)}::timestamptz and time < ${iso(range.to)}::timestamptz
                and is_failure ${eventFilter(db, f)}`,
      order: db`time desc`,
    };
  }
  return {
    // The plain bounds again, for the planner alone: it prunes the days of user_events on them, never on a row
    // comparison.
    where: db`(client_id, time) >= (${f.clientId}::text, ${iso(range.from)}::timestamptz)
              and (client_id, time) < (${f.clientId}::text, ${iso(range.to)}::timestamptz)
              and time >= ${iso(range.from)}::timestamptz and time < ${iso(range.to)}::timestamptz
              and is_failure ${eventFilter(db, { ...f, clientId: undefined })}`,
    order: db`client_id desc, time desc`,
  };
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * The rollup rows covering a range exactly, from the coarsest table that fits each piece, as one UNION ALL
 * of `select <columns>` with the filter applied. Columns come from the caller's closed sets only.
 */
export function coverRows(
  db: Db,
  cover: RollupCover,
  columns: postgres.Fragment,
  f: AnalyticsFilter,
): postgres.Fragment {
  const parts: postgres.Fragment[] = [];
  const add = (table: string, ranges: RollupCover["days"]) => {
    for (const r of ranges) {
      parts.push(db`
        select ${columns} from ${db(table)}
        where bucket >= ${iso(r.from)}::timestamptz and bucket < ${iso(r.to)}::timestamptz ${rollupFilter(db, f)}`);
    }
  };
  add("rollup_day", cover.days);
  add("rollup_hour", cover.hours);
  add("rollup_minute", cover.minutes);
  if (parts.length === 0) return db`select ${columns} from rollup_hour where false`;
  return parts.reduce((all, part) => db`${all} union all ${part}`);
}
