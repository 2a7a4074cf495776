import type { PatternWindow } from "@/lib/analytics/patterns";
import { coverRange } from "@/lib/analytics/rollup-plan";
import { coverRows, type Db, eventFilter, iso, UNCLASSIFIED } from "@/lib/queries/filters";
import { attributionWindows } from "@/lib/queries/patterns/pattern-contributors";
import { patternFilter, userCondition } from "@/lib/queries/patterns/pattern-evidence";

/**
 * Stores with a pattern its failures per cause, client, error, user and IP address, in its window and in the
 * week before, for every value seen in the window (values seen only before cannot explain an increase), as
 * [dimension, value, window, week before]. Causes, clients and errors come from the rollups of the pattern's
 * cause and client; users and addresses, which the rollups do not keep, from its failures in user_events (a
 * user's pattern: that user's). Runs with the pattern's own write, in the refresh's transaction.
 */
export async function savePatternContributors(db: Db, patternId: string, p: PatternWindow): Promise<void> {
  const filter = patternFilter(p);
  const { spike, baseline } = attributionWindows(p);
  const rollupScope = { ...filter, userId: undefined };
  const columns = db`client_id, error, cause, failures`;
  const inSpike = db`f.time >= ${iso(spike.from)}::timestamptz`;
  await db`
    with rollup as (
      select true as in_spike, * from (${coverRows(db, coverRange(spike), columns, rollupScope)}) as s
      union all
      select false, * from (${coverRows(db, coverRange(baseline), columns, rollupScope)}) as b
    ),
    failures as (
      select ${inSpike} as in_spike, f.user_id, f.ip_address
      from user_events as f
      where f.time >= ${iso(baseline.from)}::timestamptz and f.time < ${iso(spike.to)}::timestamptz and f.is_failure
        ${eventFilter(db, filter)} ${userCondition(db, filter.userId)}
    ),
    counted as (
      select d.dimension, d.value, r.in_spike, r.failures
      from rollup as r
      cross join lateral (values ('cause', case when r.cause = '' then ${UNCLASSIFIED} else r.cause end),
                                 ('client', r.client_id), ('error', r.error)) as d(dimension, value)
      union all
      select d.dimension, d.value, f.in_spike, 1
      from failures as f
      cross join lateral (values ('user', f.user_id), ('ip', f.ip_address)) as d(dimension, value)
      where d.value is not null
    ),
    per_value as (
      select dimension, value, coalesce(sum(failures) filter (where in_spike), 0)::int as spike,
             coalesce(sum(failures) filter (where not in_spike), 0)::int as baseline
      from counted
      group by dimension, value
      having sum(failures) filter (where in_spike) > 0
    )
    update patterns set contributors = coalesce(
      (select jsonb_agg(jsonb_build_array(dimension, value, spike, baseline) order by dimension, value)
       from per_value), '[]')
    where id = ${patternId}::uuid`;
}
