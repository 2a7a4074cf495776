import { isDeepStrictEqual } from "node:util";
import type postgres from "postgres";
import { correlateAdminEvents } from "@/lib/analytics/admin-correlation";
import { attributeExcess, type DimensionCount } from "@/lib/analytics/attribution";
import type { ScopeKind } from "@/lib/analytics/patterns";
import { userIdIs } from "@/lib/db/user-hash";
import { attributionWindows } from "@/lib/queries/patterns/pattern-contributors";
import type { PatternDetail } from "@/lib/queries/patterns/pattern-detail";
import { ADMIN_LOOKBACK, USER_SCAN_LIMIT } from "@/lib/queries/patterns/pattern-evidence";
import { timeBuckets } from "@/lib/time/time-buckets";

const HOUR = 3_600_000;

export interface RawPatternDetail {
  eventCount: number;
  affectedUsers: number;
  suspectedChanges: PatternDetail["pattern"]["suspectedChanges"];
  /** Failures per hour bucket (start) and cause. */
  series: Map<number, Record<string, number>>;
  attribution: PatternDetail["attribution"];
  samples: PatternDetail["samples"];
}

/**
 * What the pattern page shows, answered from the raw event tables alone: the pattern's failures and users, its
 * suspected admin changes (ranked against the clients, users and event types of its failures), its chart by cause
 * from a day before to six hours after, the attribution of its increase over the week before along every
 * dimension, and its sample events. Only the pattern's key, window and sample ids and times come from its row:
 * they are the question. The product's definitions are kept: the chart and the client, error and cause counts of a user's
 * pattern cover the realm's failures of that cause, its users and addresses only the user's; the suspects rank
 * the users of the newest failures, up to the same limit.
 */
export async function rawPatternDetail(
  sql: postgres.Sql,
  params: { id: string; timeZone: string; now: number },
): Promise<RawPatternDetail> {
  const [p] = await sql<
    {
      source_id: string;
      realm: string;
      cause: string;
      scope_kind: ScopeKind;
      scope_value: string;
      first_seen: Date;
      last_seen: Date;
      sample_event_ids: string[];
      sample_event_times: Date[];
    }[]
  >`select source_id, realm, cause, scope_kind, scope_value, first_seen, last_seen, sample_event_ids,
           sample_event_times
    from patterns where id = ${params.id}::uuid`;
  if (!p) throw new Error(`no pattern ${params.id}`);
  const firstSeen = p.first_seen.getTime();
  const lastSeen = p.last_seen.getTime();
  const { spike, baseline } = attributionWindows({ firstSeen, lastSeen });
  const chartTo = Math.min(lastSeen + 6 * HOUR, params.now);
  const buckets = timeBuckets(
    { from: firstSeen - 24 * HOUR, to: Math.max(chartTo, firstSeen + HOUR) },
    "hour",
    params.timeZone,
  );
  const chart = { from: buckets[0]!.start, to: buckets[buckets.length - 1]!.end };
  const at = (ms: number) => new Date(ms).toISOString();
  const ofCause = p.cause === "unknown" ? sql`(cause is null or cause = 'unknown')` : sql`cause = ${p.cause}`;
  const scope = sql`source_id = ${p.source_id}::uuid and realm = ${p.realm} and ${ofCause} and is_failure
    ${p.scope_kind === "client" ? sql`and client_id = ${p.scope_value}` : sql``}`;
  const user = p.scope_kind === "user" ? p.scope_value : null;
  // Through the per-user index, as the product reads a user (lib/db/user-hash.ts).
  const ofUser = user === null ? sql`` : sql`and ${userIdIs(sql, sql`${user}::text`)}`;
  const inWindow = sql`time >= ${at(firstSeen)}::timestamptz and time < ${at(Math.max(lastSeen, firstSeen + 1))}::timestamptz`;

  const [window, users, series, dims, samples, admin, realm] = await Promise.all([
    sql<{ client_id: string; type: string; user_id: string | null; failures: number }[]>`
      select coalesce(client_id, '') as client_id, type, user_id, count(*)::int as failures
      from user_events where ${scope} and ${inWindow}
      group by 1, 2, 3`,
    sql<{ user_id: string; username: string | null; failures: number }[]>`
      select user_id, max(username) as username, count(*)::int as failures
      from (select user_id, username from user_events where ${scope} ${ofUser} and ${inWindow}
            order by time desc limit ${USER_SCAN_LIMIT}) as u
      where user_id is not null
      group by user_id order by failures desc, user_id limit 500`,
    sql<{ hour: number; cause: string; failures: number }[]>`
      select extract(epoch from date_trunc('hour', time, ${params.timeZone}))::float8 * 1000 as hour,
             coalesce(cause, 'unknown') as cause, count(*)::int as failures
      from user_events
      where ${scope} and time >= ${at(chart.from)}::timestamptz and time < ${at(chart.to)}::timestamptz
      group by 1, 2`,
    sql<
      {
        in_spike: boolean;
        client_id: string;
        error: string;
        cause: string;
        user_id: string | null;
        ip_address: string | null;
        failures: number;
      }[]
    >`
      select time >= ${at(spike.from)}::timestamptz as in_spike, coalesce(client_id, '') as client_id,
             coalesce(error, '') as error, coalesce(cause, 'unknown') as cause, user_id, ip_address,
             count(*)::int as failures
      from user_events
      where ${scope} and time >= ${at(baseline.from)}::timestamptz and time < ${at(spike.to)}::timestamptz
      group by 1, 2, 3, 4, 5, 6`,
    sql<
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
      select e.id, e.time, e.type, e.client_id, e.user_id, e.ip_address, e.error, e.evidence
      from unnest(${p.sample_event_ids}::text[], ${p.sample_event_times.map((t) => new Date(t).toISOString())}::timestamptz[]) as s(id, time)
      join user_events as e
        on e.source_id = ${p.source_id}::uuid and e.realm = ${p.realm} and e.time = s.time and e.id = s.id
      order by e.time desc, e.id desc`,
    sql<
      {
        id: string;
        time: Date;
        operation_type: string;
        resource_type: string | null;
        resource_path: string | null;
        representation: string | null;
        previous: string | null;
      }[]
    >`
      select a.id, a.time, a.operation_type, a.resource_type, a.resource_path, a.representation,
             prev.representation as previous
      from admin_events a
      left join lateral (
        select b.representation from admin_events b
        where b.source_id = a.source_id and b.realm = a.realm and b.resource_path = a.resource_path
          and b.time < a.time and b.representation is not null
        order by b.time desc limit 1
      ) prev on a.representation is not null
      where a.source_id = ${p.source_id}::uuid and a.realm = ${p.realm}
        and a.time >= ${at(firstSeen - ADMIN_LOOKBACK)}::timestamptz and a.time <= ${at(firstSeen + HOUR)}::timestamptz
      order by a.time, a.id
      limit 2000`,
    sql<{ client_ids: Record<string, string> | null }[]>`
      select client_ids from realms where source_id = ${p.source_id}::uuid and name = ${p.realm}`,
  ]);

  // The pattern's own failures (a user's pattern: that user's); clients and types of the cause in its scope.
  const own = window.filter((r) => user === null || r.user_id === user);
  const eventCount = own.reduce((sum, r) => sum + r.failures, 0);
  const ranked = (key: (r: (typeof window)[number]) => string, limit: number) => {
    const totals = new Map<string, number>();
    for (const r of window) totals.set(key(r), (totals.get(key(r)) ?? 0) + r.failures);
    return [...totals.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, limit)
      .map(([value, failures]) => ({ value, failures }));
  };
  const clients = ranked((r) => r.client_id, 10);
  const clientTotal = clients.reduce((sum, c) => sum + c.failures, 0);
  const uuidOf = new Map(
    Object.entries(realm[0]?.client_ids ?? {}).map(([uuid, clientId]) => [clientId, uuid]),
  );
  const suspectedChanges = correlateAdminEvents(
    {
      onset: firstSeen,
      causes: [{ cause: p.cause, share: 1 }],
      clients: clients
        .filter((c) => c.value !== "")
        .map((c) => ({
          clientId: c.value,
          uuid: uuidOf.get(c.value),
          share: clientTotal > 0 ? c.failures / clientTotal : 0,
        })),
      users: users.map((u) => ({
        userId: u.user_id,
        username: u.username,
        share: eventCount > 0 ? u.failures / eventCount : 0,
      })),
      eventTypes: ranked((r) => r.type, 5).map((t) => t.value),
    },
    admin.map((a) => ({
      id: a.id,
      time: a.time.getTime(),
      operationType: a.operation_type,
      resourceType: a.resource_type,
      resourcePath: a.resource_path,
      representation: a.representation,
      previousRepresentation: a.previous,
    })),
  );

  const windowCounts = (inSpike: boolean): DimensionCount[] =>
    dims
      .filter((r) => r.in_spike === inSpike)
      .flatMap((r) => {
        const mine = user === null || r.user_id === user;
        return [
          { dimension: "client" as const, value: r.client_id, count: r.failures },
          { dimension: "error" as const, value: r.error, count: r.failures },
          { dimension: "cause" as const, value: r.cause, count: r.failures },
          ...(mine && r.user_id ? [{ dimension: "user" as const, value: r.user_id, count: r.failures }] : []),
          ...(mine && r.ip_address
            ? [{ dimension: "ip" as const, value: r.ip_address, count: r.failures }]
            : []),
        ];
      });
  const byHour = new Map<number, Record<string, number>>();
  for (const r of series) byHour.set(r.hour, { ...byHour.get(r.hour), [r.cause]: r.failures });
  return {
    eventCount,
    affectedUsers: new Set(own.flatMap((r) => (r.user_id === null ? [] : [r.user_id]))).size,
    suspectedChanges,
    series: byHour,
    attribution: attributeExcess({
      spike: windowCounts(true),
      baseline: windowCounts(false),
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

/** Equal as JSON, whatever the key order (jsonb sorts the keys of stored objects). */
function sameJson(a: unknown, b: unknown): boolean {
  return isDeepStrictEqual(JSON.parse(JSON.stringify(a)), JSON.parse(JSON.stringify(b)));
}

/** Where the product's pattern detail and the raw answer differ; empty when they agree on every number. */
export function patternDetailDifferences(product: PatternDetail, raw: RawPatternDetail): string[] {
  const differences: string[] = [];
  if (product.pattern.eventCount !== raw.eventCount)
    differences.push(`failures: ${product.pattern.eventCount} vs ${raw.eventCount}`);
  if (product.pattern.affectedUsers !== raw.affectedUsers)
    differences.push(`users: ${product.pattern.affectedUsers} vs ${raw.affectedUsers}`);
  if (!sameJson(product.pattern.suspectedChanges, raw.suspectedChanges))
    differences.push("suspected changes");
  const hours = new Set([...product.series.buckets.map((b) => b.start), ...raw.series.keys()]);
  for (const hour of hours) {
    const shown = product.series.buckets.find((b) => b.start === hour)?.values ?? {};
    const counted = raw.series.get(hour) ?? {};
    for (const cause of new Set([...Object.keys(shown), ...Object.keys(counted)])) {
      if (shown[cause] !== counted[cause])
        differences.push(`${new Date(hour).toISOString()} ${cause}: ${shown[cause]} vs ${counted[cause]}`);
    }
  }
  for (const dimension of Object.keys(raw.attribution) as (keyof typeof raw.attribution)[]) {
    if (!sameJson(product.attribution[dimension], raw.attribution[dimension]))
      differences.push(`attribution by ${dimension}`);
  }
  if (!sameJson(product.samples, raw.samples)) differences.push("samples");
  return differences;
}
