import { coverRange } from "@/lib/analytics/rollup-plan";
import { type AnalyticsFilter, coverRows, type Db, UNCLASSIFIED } from "@/lib/queries/filters";
import type { TimeRange } from "@/lib/time/time-buckets";

export interface TopErrorsParams extends AnalyticsFilter {
  range: TimeRange;
  limit?: number;
}

export interface TopError {
  /** Keycloak's event type and error, as Keycloak spells them ("LOGIN_ERROR", "invalid_user_credentials"). */
  type: string;
  /** "" when the failure has no error code (a lockout event, an HTTP denial). */
  error: string;
  cause: string;
  failures: number;
}

/** The (type, error, cause) combinations with the most failures in a range, from rollups. */
export async function listTopErrors(db: Db, params: TopErrorsParams): Promise<TopError[]> {
  const limit = Math.min(Math.max(1, params.limit ?? 10), 100);
  const rows = await db<{ type: string; error: string; cause: string; failures: number }[]>`
    select type, error, cause, sum(failures)::int as failures
    from (${coverRows(db, coverRange(params.range), db`type, error, cause, failures`, params)}) as cover
    group by type, error, cause
    having sum(failures) > 0
    order by failures desc, type, error, cause
    limit ${limit}`;
  return rows.map((r) => ({ ...r, cause: r.cause === "" ? UNCLASSIFIED : r.cause }));
}
