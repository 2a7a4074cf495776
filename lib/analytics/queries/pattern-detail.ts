import type { SuspectedChange } from "@/lib/analytics/admin-correlation";
import {
  attributeExcess,
  type Dimension,
  type DimensionAttribution,
  type DimensionCount,
} from "@/lib/analytics/attribution";
import type { PatternStatus, PatternWindow, ScopeKind } from "@/lib/analytics/patterns";
import { type DenialSeries, getDenialSeries } from "@/lib/analytics/queries/denial-series";
import {
  coverRows,
  type Db,
  eventFilter,
  iso,
  type rollupFilter,
  UNCLASSIFIED,
} from "@/lib/analytics/queries/filters";
import { patternFilter, userCondition } from "@/lib/analytics/queries/pattern-evidence";
import { coverRange } from "@/lib/analytics/rollup-plan";

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
  series: DenialSeries;
  /** Which clients, users, IPs and errors account for the increase over the week before. */
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
const BASELINE_WINDOW = 7 * 24 * HOUR;
const RAW_SCAN_LIMIT = 50_000;

/** One pattern with its chart, attribution, sample events and suspected admin changes; null if unknown. */
export async function getPatternDetail(
  db: Db,
  params: { id: string; timeZone: string; now?: number },
): Promise<PatternDetail | null> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(params.id)) return null;
  const [row] = await db<
    {
      id: string;
      source_id: string;
      realm: string;
      cause: string;
      scope_kind: ScopeKind;
      scope_value: string;
      client_id: string | null;
      user_id: string | null;
      status: PatternStatus;
      first_seen: Date;
      last_seen: Date;
      event_count: number;
      affected_users: number;
      peak_score: number | null;
      baseline: number | null;
      sample_event_ids: string[] | null;
      suspected_changes: SuspectedChange[] | null;
      evidence: string | null;
      updated_at: Date;
    }[]
  >`select * from patterns where id = ${params.id}::uuid`;
  if (!row) return null;
  const pattern: PatternRecord = {
    id: row.id,
    sourceId: row.source_id,
    realm: row.realm,
    cause: row.cause,
    scopeKind: row.scope_kind,
    scopeValue: row.scope_value,
    clientId: row.client_id,
    userId: row.user_id,
    status: row.status,
    firstSeen: row.first_seen.getTime(),
    lastSeen: row.last_seen.getTime(),
    eventCount: row.event_count,
    affectedUsers: row.affected_users,
    peakScore: row.peak_score,
    baseline: row.baseline,
    sampleEventIds: row.sample_event_ids ?? [],
    suspectedChanges: Array.isArray(row.suspected_changes) ? row.suspected_changes : [],
    evidence: row.evidence,
    updatedAt: row.updated_at.getTime(),
  };

  const filter = patternFilter(pattern);
  const spike = { from: pattern.firstSeen, to: Math.max(pattern.lastSeen, pattern.firstSeen + 60_000) };
  const baseline = { from: spike.from - BASELINE_WINDOW, to: spike.from };
  const chartTo = Math.min(pattern.lastSeen + 6 * HOUR, params.now ?? Number.POSITIVE_INFINITY);
  const rollupScope = {
    sourceId: filter.sourceId,
    realm: filter.realm,
    cause: filter.cause,
    clientId: filter.clientId,
  };

  const [series, spikeDims, baselineDims, spikeRaw, baselineRaw, samples] = await Promise.all([
    getDenialSeries(db, {
      ...rollupScope,
      range: { from: pattern.firstSeen - 24 * HOUR, to: Math.max(chartTo, pattern.firstSeen + HOUR) },
      timeZone: params.timeZone,
      bucket: "hour",
    }),
    rollupDimensions(db, spike, rollupScope),
    rollupDimensions(db, baseline, rollupScope),
    rawDimensions(db, spike, filter),
    rawDimensions(db, baseline, filter),
    db<
      {
        id: string;
        time: Date;
        type: string;
        client_id: string | null;
        user_id: string | null;
        ip_address: string | null;
        error: string | null;
        evidence: string | null;
      }[]
    >`
      select id, time, type, client_id, user_id, ip_address, error, evidence from user_events
      where source_id = ${pattern.sourceId}::uuid and realm = ${pattern.realm} and id = any(${pattern.sampleEventIds}::text[])
      order by time desc`,
  ]);

  return {
    pattern,
    series,
    attribution: attributeExcess({
      spike: [...spikeDims, ...spikeRaw],
      baseline: [...baselineDims, ...baselineRaw],
      scale: (spike.to - spike.from) / (baseline.to - baseline.from),
    }),
    samples: samples.map((s) => ({
      id: s.id,
      time: s.time.getTime(),
      type: s.type,
      clientId: s.client_id,
      userId: s.user_id,
      ipAddress: s.ip_address,
      error: s.error,
      evidence: s.evidence,
    })),
  };
}

/** Failures by client, error and cause in a window, from rollups. */
async function rollupDimensions(
  db: Db,
  range: { from: number; to: number },
  scope: Parameters<typeof rollupFilter>[1],
): Promise<DimensionCount[]> {
  const rows = await db<{ client_id: string; error: string; cause: string; failures: number }[]>`
    select client_id, error, cause, sum(failures)::int as failures
    from (${coverRows(db, coverRange(range), db`client_id, error, cause, failures`, scope)}) as c
    group by client_id, error, cause having sum(failures) > 0`;
  return rows.flatMap((r) => [
    { dimension: "client" as const, value: r.client_id, count: r.failures },
    { dimension: "error" as const, value: r.error, count: r.failures },
    { dimension: "cause" as const, value: r.cause === "" ? UNCLASSIFIED : r.cause, count: r.failures },
  ]);
}

/** Failures by user and IP in a window, from user_events (newest first, bounded). */
async function rawDimensions(
  db: Db,
  range: { from: number; to: number },
  filter: ReturnType<typeof patternFilter>,
): Promise<DimensionCount[]> {
  const rows = await db<{ user_id: string | null; ip_address: string | null; failures: number }[]>`
    select user_id, ip_address, count(*)::int as failures
    from (select user_id, ip_address from user_events
          where time >= ${iso(range.from)}::timestamptz and time < ${iso(range.to)}::timestamptz and is_failure
            ${eventFilter(db, filter)} ${userCondition(db, filter.userId)}
          order by time desc limit ${RAW_SCAN_LIMIT}) as f
    group by user_id, ip_address`;
  return rows.flatMap((r) => [
    ...(r.user_id ? [{ dimension: "user" as const, value: r.user_id, count: r.failures }] : []),
    ...(r.ip_address ? [{ dimension: "ip" as const, value: r.ip_address, count: r.failures }] : []),
  ]);
}
