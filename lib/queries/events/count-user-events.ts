import type postgres from "postgres";
import type { UserEventScope } from "./list-user-events";
import type { UserEventFilter } from "./user-event-filter";

/** Up to this many rows are counted one by one; past it the total is estimated and labelled so. */
export const EXACT_COUNT_CAP = 50_000;

export interface EventTotal {
  value: number;
  exact: boolean;
  /** "counted": every row was counted; "rollups": summed from the per-minute rollups; "planner": PostgreSQL's estimate. */
  basis: "counted" | "rollups" | "planner";
}

/**
 * The number of events a filter matches: exact when that is cheap (up to EXACT_COUNT_CAP rows), else an estimate.
 * Filters on rollup dimensions only are estimated from the rollups (minute-accurate, normally equal to the count);
 * filters on users or IPs, which the rollups do not hold, from the query planner's row estimate.
 */
export async function countUserEvents(
  sql: postgres.Sql,
  scope: UserEventScope,
  f: UserEventFilter,
  cap = EXACT_COUNT_CAP,
): Promise<EventTotal> {
  if (scope.partitions.length === 0) return { value: 0, exact: true, basis: "counted" };
  const capped = scope.partitions.map(
    (p) => sql`(select 1 from user_events
      where source_id = ${p.sourceId}::uuid and realm = ${p.realm} and ${scope.conditions}
      limit ${cap + 1})`,
  );
  const [row] = await sql<{ n: number }[]>`
    select count(*)::int as n from (${capped.reduce((acc, b) => sql`${acc} union all ${b}`)}) c`;
  const counted = row?.n ?? 0;
  if (counted <= cap) return { value: counted, exact: true, basis: "counted" };
  if (f.users.length === 0 && !f.ip) {
    return { value: Math.max(counted, await sumRollups(sql, scope, f)), exact: false, basis: "rollups" };
  }
  return { value: Math.max(counted, await plannerEstimate(sql, scope)), exact: false, basis: "planner" };
}

/** Whole hours from rollup_hour, the partial hours at both ends from rollup_minute. */
async function sumRollups(sql: postgres.Sql, scope: UserEventScope, f: UserEventFilter): Promise<number> {
  const HOUR = 3_600_000;
  const MINUTE = 60_000;
  const from = f.range.from;
  const to = f.range.to;
  const hourFrom = Math.ceil(from / HOUR) * HOUR;
  const hourTo = Math.max(hourFrom, Math.floor(to / HOUR) * HOUR);
  const minuteFrom = Math.floor(from / MINUTE) * MINUTE;
  const minuteTo = Math.ceil(to / MINUTE) * MINUTE;
  const { measure, where } = rollupConditions(sql, scope, f);
  const [row] = await sql<{ n: number }[]>`
    select coalesce((select sum(${measure}) from rollup_hour where ${where}
              and bucket >= ${new Date(hourFrom)} and bucket < ${new Date(hourTo)}), 0)
         + coalesce((select sum(${measure}) from rollup_minute where ${where}
              and ((bucket >= ${new Date(minuteFrom)} and bucket < ${new Date(Math.min(hourFrom, minuteTo))})
                or (bucket >= ${new Date(Math.max(hourTo, minuteFrom))} and bucket < ${new Date(minuteTo)}))), 0)
         as n`;
  return Number(row?.n ?? 0);
}

/**
 * What the rollups hold of a filter without users or addresses: the column to sum (failures or all events) and
 * the conditions on the rollup dimensions, every value bound.
 */
export function rollupConditions(
  sql: postgres.Sql,
  scope: UserEventScope,
  f: UserEventFilter,
): { measure: postgres.Fragment; where: postgres.Fragment } {
  const measure = f.outcome === "failures" ? sql`failures` : sql`events`;
  const dims: postgres.Fragment[] = [
    sql`(source_id, realm) in (select * from unnest(${scope.partitions.map((p) => p.sourceId)}::uuid[], ${scope.partitions.map((p) => p.realm)}::text[]))`,
  ];
  if (f.types.length > 0) dims.push(sql`type = any(${f.types}::text[])`);
  if (f.error) dims.push(sql`error = ${f.error}`);
  if (f.causes.length > 0) dims.push(sql`cause = any(${f.causes}::text[])`);
  if (f.clients.length > 0) dims.push(sql`client_id = any(${scope.clientIds}::text[])`);
  if (f.origins.length > 0) dims.push(sql`origin = any(${f.origins}::text[])`);
  const where = dims.reduce((acc, d) => sql`${acc} and ${d}`);
  return { measure, where };
}

async function plannerEstimate(sql: postgres.Sql, scope: UserEventScope): Promise<number> {
  const branches = scope.partitions.map(
    (p) =>
      sql`(select 1 from user_events where source_id = ${p.sourceId}::uuid and realm = ${p.realm} and ${scope.conditions})`,
  );
  const [row] = await sql<{ "QUERY PLAN": [{ Plan: { "Plan Rows": number } }] }[]>`
    explain (format json) ${branches.reduce((acc, b) => sql`${acc} union all ${b}`)}`;
  return Math.round(row?.["QUERY PLAN"]?.[0]?.Plan?.["Plan Rows"] ?? 0);
}
