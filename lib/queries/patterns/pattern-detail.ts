import type { SuspectedChange } from "@/lib/analytics/admin-correlation";
import { attributeExcess, type Dimension, type DimensionAttribution } from "@/lib/analytics/attribution";
import { ALL_CLIENTS } from "@/lib/analytics/incidents";
import type { PatternWindow } from "@/lib/analytics/patterns";
import { type Db, UNCLASSIFIED } from "@/lib/queries/filters";
import {
  type FailureSeries,
  getFailureSeries,
  hourSeriesFromRollupRows,
} from "@/lib/queries/overview/failure-series";
import { attributionWindows, contributorCounts } from "@/lib/queries/patterns/pattern-contributors";
import { patternFilter } from "@/lib/queries/patterns/pattern-evidence";
import { type PatternRowBase, patternFields } from "@/lib/queries/patterns/pattern-row";
import { timeBuckets } from "@/lib/time/time-buckets";

export interface PatternRecord extends PatternWindow {
  id: string;
  clientId: string | null;
  userId: string | null;
  eventCount: number;
  affectedUsers: number;
  sampleEventIds: string[];
  suspectedChanges: SuspectedChange[];
  evidence: string | null;
  updatedAt: number;
}

export interface PatternDetail {
  pattern: PatternRecord;
  /** The pattern's failures from a day before it began to six hours after it was last seen. */
  series: FailureSeries;
  /**
   * Which causes, clients, users, IPs and errors account for the increase over the week before, as counted when
   * the pattern was last refreshed.
   */
  attribution: Record<Dimension, DimensionAttribution>;
  samples: {
    id: string;
    time: number;
    type: string;
    clientId: string | null;
    userId: string | null;
    ipAddress: string | null;
    error: string | null;
    evidence: string | null;
  }[];
}

const HOUR = 3_600_000;

/** One pattern with its chart, attribution, sample events and suspected admin changes; null if unknown. */
export async function getPatternDetail(
  db: Db,
  params: { id: string; timeZone: string; now?: number },
): Promise<PatternDetail | null> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(params.id)) return null;
  const [row] = await db<
    (PatternRowBase & {
      baseline: number | null;
      sample_event_ids: string[] | null;
      suspected_changes: SuspectedChange[] | null;
      evidence: string | null;
      updated_at: Date;
      contributors: [Dimension, string, number, number][] | null;
      samples: PatternDetail["samples"];
      hours: [number, string, number][];
    })[]
  >`
    select p.*,
      -- Each sample by its (time, id): a probe of the primary key (source, realm, time, id) apiece.
      coalesce((
        select json_agg(json_build_object('id', e.id, 'time', (extract(epoch from e.time) * 1000)::bigint,
                                          'type', e.type, 'clientId', e.client_id, 'userId', e.user_id,
                                          'ipAddress', e.ip_address, 'error', e.error, 'evidence', e.evidence)
                        order by e.time desc, e.id desc)
        from unnest(p.sample_event_ids, p.sample_event_times) as s(id, time)
        join user_events as e
          on e.source_id = p.source_id and e.realm = p.realm and e.time = s.time and e.id = s.id), '[]') as samples,
      -- The chart's hours, from a day and an hour before to seven hours after, read with the pattern whose window
      -- decides them: a second round trip cost more than this whole statement.
      coalesce((
        select json_agg(json_build_array((extract(epoch from h.bucket) * 1000)::bigint, h.cause, h.failures))
        from (select r.bucket, r.cause, sum(r.failures)::int as failures
              from rollup_hour as r
              where r.source_id = p.source_id and r.realm = p.realm
                and r.cause in (p.cause, case when p.cause = ${UNCLASSIFIED} then '' else p.cause end)
                and (p.scope_kind <> 'client' or r.client_id = p.scope_value)
                and (p.scope_kind <> 'realm' or p.scope_value = ${ALL_CLIENTS} or r.client_id = '')
                and r.bucket >= p.first_seen - interval '25 hours'
                and r.bucket < greatest(p.last_seen, p.first_seen + interval '1 hour') + interval '7 hours'
                -- Counts never go below zero, so this is "failures > 0" in a form the overview's partial covering
                -- index does not match: with the window unknown at plan time, that index looked cheaper than this
                -- cause's own and read every client's hours (0.2 -> 0.7 ms).
                and r.failures <> 0
              group by r.bucket, r.cause) as h), '[]') as hours
    from patterns as p where p.id = ${params.id}::uuid`;
  if (!row) return null;
  const pattern: PatternRecord = {
    ...patternFields(row),
    baseline: row.baseline,
    sampleEventIds: row.sample_event_ids ?? [],
    suspectedChanges: Array.isArray(row.suspected_changes) ? row.suspected_changes : [],
    evidence: row.evidence,
    updatedAt: row.updated_at.getTime(),
  };

  const filter = patternFilter(pattern);
  const { spike, baseline } = attributionWindows(pattern);
  const chartTo = Math.min(pattern.lastSeen + 6 * HOUR, params.now ?? Number.POSITIVE_INFINITY);
  const rollupScope = {
    sourceId: filter.sourceId,
    realm: filter.realm,
    cause: filter.cause,
    clientId: filter.clientId,
  };
  const range = { from: pattern.firstSeen - 24 * HOUR, to: Math.max(chartTo, pattern.firstSeen + HOUR) };
  const read = {
    from: pattern.firstSeen - 25 * HOUR,
    to: Math.max(pattern.lastSeen, pattern.firstSeen + HOUR) + 7 * HOUR,
  };
  const series =
    hourSeriesFromRollupRows(
      timeBuckets(range, "hour", params.timeZone),
      params.timeZone,
      row.hours.map(([at, cause, failures]) => ({ at, cause, failures })),
      read,
    ) ?? (await getFailureSeries(db, { ...rollupScope, range, timeZone: params.timeZone, bucket: "hour" }));

  return {
    pattern,
    series,
    attribution: attributeExcess({
      ...contributorCounts(row.contributors ?? []),
      scale: (spike.to - spike.from) / (baseline.to - baseline.from),
    }),
    samples: row.samples.map((s) => ({
      id: s.id,
      time: s.time,
      type: s.type,
      clientId: s.clientId,
      userId: s.userId,
      ipAddress: s.ipAddress,
      error: s.error,
      evidence: s.evidence,
    })),
  };
}
