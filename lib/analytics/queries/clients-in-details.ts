import type postgres from "postgres";
import { type Db, iso } from "@/lib/analytics/queries/filters";
import type { TimeRange } from "@/lib/analytics/time-buckets";

/**
 * Failures are filed under their caller (client_id). Some name another client in their details only: the API a
 * token was refused by (the `audience` of a token exchange or UMA request, the clients a resource-server report
 * required roles of or as audience) and, for access-log lines without a token, the caller's user agent. These
 * conditions are the predicate of the partial index user_events_failures_named_in_details_idx, written the same
 * way so the planner can prove a query may use it.
 */
export function namedInDetails(db: Db, alias: string): postgres.Fragment {
  const e = db(alias);
  return db`${e}.is_failure and (${e}.origin = 'report' or (${e}.details ->> 'audience') is not null
            or (${e}.origin = 'access-log' and ${e}.client_id is null))`;
}

/**
 * The clients a failure row `e` names as the API that refused it: the audience (space-separated when several)
 * and, in reports, the clients of required client roles and the required audiences. Report details hold the
 * requirement as JSON text written by realmwatch; it is matched with patterns, never cast, so a stray value
 * cannot fail the query.
 */
export function apiNamesOf(db: Db, alias: string): postgres.Fragment {
  const e = db(alias);
  const required = db`case when ${e}.origin = 'report' then ${e}.details ->> 'required' end`;
  return db`(
    select a as name from unnest(string_to_array(${e}.details ->> 'audience', ' ')) as a where a <> ''
    union
    select m[1] from regexp_matches(${required}, ${REQUIRED_CLIENT}, 'g') as m
    union
    select m[1] from regexp_matches(substring(${required} from ${REQUIRED_AUDIENCE}), ${QUOTED}, 'g') as m)`;
}

/** Patterns over the report requirement as JSON.stringify writes it: {"clientRoles":[{"clientId":"api",...}]}. */
const REQUIRED_CLIENT = String.raw`"clientId":"((?:[^"\\]|\\.)+)"`;
const REQUIRED_AUDIENCE = String.raw`"audience":\[([^]]*)\]`;
const QUOTED = String.raw`"((?:[^"\\]|\\.)+)"`;

/** The product of a user agent, "acme-reporting" for "acme-reporting/2.4 node": how a tokenless caller is named. */
export function agentNameOf(db: Db, alias: string): postgres.Fragment {
  return db`nullif(split_part(split_part(${db(alias)}.details ->> 'user_agent', '/', 1), ' ', 1), '')`;
}

export interface NamedFailure {
  sourceId: string;
  id: string;
  time: number;
  type: string;
  error: string | null;
  cause: string | null;
  /** The caller the failure is filed under (null for a tokenless access-log line). */
  clientId: string | null;
  userId: string | null;
  ipAddress: string | null;
  origin: string;
  httpMethod: string | null;
  httpPath: string | null;
  httpStatus: number | null;
  userAgent: string | null;
  evidence: string | null;
}

export interface NamedFailureGroup {
  /** The caller's clientId (refusals), or the whole user agent (tokenless callers); null: none recorded. */
  key: string | null;
  failures: number;
  topCause: string | null;
  lastSeen: number;
}

export interface FailuresNamingClient {
  groups: NamedFailureGroup[];
  recent: NamedFailure[];
  /** Failures found, at most the scan limit; when it is reached only the newest of the range were counted. */
  total: number;
  complete: boolean;
}

export interface NamingClientParams {
  sourceId?: string;
  realm: string;
  /** The human clientId. */
  clientId: string;
  range: TimeRange;
  /** Failures read at most, newest first (default 2,000). */
  scanLimit?: number;
  recentLimit?: number;
}

const SCAN_LIMIT = 2_000;

/**
 * Failures other clients made against this client, as an API or as the audience they asked for, grouped by
 * caller: "our API returns 403" answered from the API's side.
 */
export function listRefusalsByApi(db: Db, params: NamingClientParams): Promise<FailuresNamingClient> {
  return namedFailures(
    db,
    params,
    db`(e.origin = 'report' or (e.details ->> 'audience') is not null)
       and exists (select 1 from ${apiNamesOf(db, "e")} as api where api.name = ${params.clientId})`,
    db`e.client_id`,
  );
}

/** Access-log failures without a token whose user agent names this client ("acme-reporting/2.4 node"). */
export function listFailuresByUserAgent(db: Db, params: NamingClientParams): Promise<FailuresNamingClient> {
  return namedFailures(
    db,
    params,
    db`e.origin = 'access-log' and e.client_id is null
       and lower(${agentNameOf(db, "e")}) = lower(${params.clientId})`,
    db`e.details ->> 'user_agent'`,
  );
}

async function namedFailures(
  db: Db,
  params: NamingClientParams,
  match: postgres.Fragment,
  groupKey: postgres.Fragment,
): Promise<FailuresNamingClient> {
  const scanLimit = Math.max(1, params.scanLimit ?? SCAN_LIMIT);
  const recentLimit = Math.min(Math.max(1, params.recentLimit ?? 20), 200);
  const [row] = await db<
    {
      total: number;
      groups: { key: string | null; failures: number; top_cause: string | null; last_seen: number }[];
      recent: (Omit<NamedFailure, "time"> & { time: number })[];
    }[]
  >`
    with hits as (
      select e.source_id, e.id, e.time, e.type, e.error, e.cause, e.client_id, e.user_id, e.ip_address, e.origin,
             e.http_method, e.http_path, e.http_status, e.evidence, e.details ->> 'user_agent' as user_agent,
             ${groupKey} as group_key
      from user_events as e
      where e.realm = ${params.realm} ${params.sourceId ? db`and e.source_id = ${params.sourceId}::uuid` : db``}
        and e.time >= ${iso(params.range.from)}::timestamptz and e.time < ${iso(params.range.to)}::timestamptz
        and ${namedInDetails(db, "e")}
        and ${match}
      order by e.time desc
      limit ${scanLimit}
    )
    select
      (select count(*)::int from hits) as total,
      coalesce((
        select json_agg(g order by g.failures desc, g.key nulls last)
        from (select group_key as key, count(*)::int as failures,
                     mode() within group (order by cause) as top_cause,
                     (extract(epoch from max(time)) * 1000)::bigint as last_seen
              from hits group by group_key
              order by failures desc, group_key nulls last limit 50) as g), '[]') as groups,
      coalesce((
        select json_agg(json_build_object(
                 'sourceId', r.source_id, 'id', r.id, 'time', (extract(epoch from r.time) * 1000)::bigint,
                 'type', r.type, 'error', r.error, 'cause', r.cause, 'clientId', r.client_id, 'userId', r.user_id,
                 'ipAddress', r.ip_address, 'origin', r.origin, 'httpMethod', r.http_method,
                 'httpPath', r.http_path, 'httpStatus', r.http_status, 'userAgent', r.user_agent,
                 'evidence', r.evidence) order by r.time desc, r.id desc)
        from (select * from hits order by time desc, id desc limit ${recentLimit}) as r), '[]') as recent`;
  const total = row?.total ?? 0;
  return {
    total,
    complete: total < scanLimit,
    groups: (row?.groups ?? []).map((g) => ({
      key: g.key,
      failures: g.failures,
      topCause: g.top_cause,
      lastSeen: Number(g.last_seen),
    })),
    recent: (row?.recent ?? []).map((r) => ({ ...r, time: Number(r.time) })),
  };
}
