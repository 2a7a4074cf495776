import type postgres from "postgres";
import { type Db, iso } from "@/lib/queries/filters";
import type { TimeRange } from "@/lib/time/time-buckets";

/**
 * Failures are filed under their caller (client_id). Some name another client in their details only: the API a
 * token was refused by (the `audience` of a token exchange or UMA request, the clients a resource-server report
 * required roles of or as audience), and, for access-log lines without a token, the caller's user agent. These
 * are the predicates of the partial indexes user_events_failures_refused_idx and _tokenless_idx, written the
 * same way so the planner can prove a query may use them.
 */
export function refusedFailure(db: Db, alias: string): postgres.Fragment {
  const e = db(alias);
  return db`${e}.is_failure and (${e}.origin = 'report' or (${e}.details ->> 'audience') is not null)`;
}

/**
 * A realm's rows in a range as (realm, time) row comparisons, which only an index leading with (realm, time) can
 * serve, read newest first with `order by realm desc, time desc`. Given plain bounds the planner took the failure
 * index on time alone, or the primary key when a source was given, and read every failure of every realm (162,000
 * pages instead of 3,000 in the demo). A source is checked on the rows read for the same reason.
 */
export function realmTimeRange(
  db: Db,
  alias: string,
  realm: postgres.Fragment,
  range: TimeRange,
): postgres.Fragment {
  const e = db(alias);
  // The plain bounds again, for the planner alone: it prunes the days of a partitioned table (user_events) on
  // them, never on a row comparison.
  return db`(${e}.realm, ${e}.time) >= (${realm}, ${iso(range.from)}::timestamptz)
            and (${e}.realm, ${e}.time) < (${realm}, ${iso(range.to)}::timestamptz)
            and ${e}.time >= ${iso(range.from)}::timestamptz and ${e}.time < ${iso(range.to)}::timestamptz`;
}

/**
 * Runs reads of "the newest N rows of a range" with bitmap scans off. Their row estimates on these partial indexes
 * are far too low (949 estimated, 14,657 read in the demo), so the planner took a bitmap scan, which reads and
 * sorts every row of the range, over the ordered index scan that stops after N.
 */
export async function newestFirst<T>(db: Db, read: (tx: Db) => Promise<T>): Promise<T> {
  const run = async (tx: Db) => {
    await tx`set local enable_bitmapscan = off`;
    return read(tx);
  };
  return "begin" in db ? ((await db.begin(run)) as T) : run(db);
}

export function tokenlessFailure(db: Db, alias: string): postgres.Fragment {
  const e = db(alias);
  return db`${e}.is_failure and ${e}.origin = 'access-log' and ${e}.client_id is null`;
}

/**
 * The clients a failure names as the API that refused it, given its `audience` detail and, for a report, its
 * `required` detail: the audience (space-separated when several), the clients of required client roles and the
 * required audiences. Report details hold the requirement as JSON text written by realmwatch; it is matched with
 * patterns, never cast, so a stray value cannot fail the query.
 */
export function apiNames(
  db: Db,
  audience: postgres.Fragment,
  required: postgres.Fragment,
): postgres.Fragment {
  return db`(
    select a as name from unnest(string_to_array(${audience}, ' ')) as a where a <> ''
    union
    select m[1] from regexp_matches(${required}, ${REQUIRED_CLIENT}, 'g') as m
    union
    select m[1] from regexp_matches(substring(${required} from ${REQUIRED_AUDIENCE}), ${QUOTED}, 'g') as m)`;
}

/** The `audience` and report `required` details of row `e`, for apiNames. */
export function apiDetails(
  db: Db,
  alias: string,
): { audience: postgres.Fragment; required: postgres.Fragment } {
  const e = db(alias);
  return {
    audience: db`${e}.details ->> 'audience'`,
    required: db`case when ${e}.origin = 'report' then ${e}.details ->> 'required' end`,
  };
}

/** Patterns over the report requirement as JSON.stringify writes it: {"clientRoles":[{"clientId":"api",...}]}. */
const REQUIRED_CLIENT = String.raw`"clientId":"((?:[^"\\]|\\.)+)"`;
const REQUIRED_AUDIENCE = String.raw`"audience":\[([^]]*)\]`;
const QUOTED = String.raw`"((?:[^"\\]|\\.)+)"`;

/** The product of a user agent, "acme-reporting" for "acme-reporting/2.4 node": how a tokenless caller is named. */
export function agentName(db: Db, userAgent: postgres.Fragment): postgres.Fragment {
  return db`nullif(split_part(split_part(${userAgent}, '/', 1), ' ', 1), '')`;
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
  /** Failures found among those examined. */
  total: number;
  /** False when the realm had more such failures in the range than were examined (the newest were). */
  complete: boolean;
}

export interface NamingClientParams {
  sourceId?: string;
  realm: string;
  /** The human clientId. */
  clientId: string;
  range: TimeRange;
  /** The realm's refused or tokenless failures examined at most, newest first (default SCAN_LIMIT). */
  scanLimit?: number;
  recentLimit?: number;
}

/**
 * Each failure examined is a heap fetch through its index (the match is in the details): 20,000 bound a read as
 * the raw top lists are bound (lib/queries/overview/list-top-users-and-ips.ts).
 */
export const SCAN_LIMIT = 20_000;

/**
 * Failures other clients made against this client, as an API or as the audience they asked for, grouped by
 * caller: "our API returns 403" answered from the API's side.
 */
export function listRefusalsByApi(db: Db, params: NamingClientParams): Promise<FailuresNamingClient> {
  const details = apiDetails(db, "e");
  return namedFailures(
    db,
    params,
    refusedFailure(db, "e"),
    db`exists (select 1 from ${apiNames(db, details.audience, details.required)} as api
               where api.name = ${params.clientId})`,
    db`e.client_id`,
  );
}

/** Access-log failures without a token whose user agent names this client ("acme-reporting/2.4 node"). */
export function listFailuresByUserAgent(db: Db, params: NamingClientParams): Promise<FailuresNamingClient> {
  return namedFailures(
    db,
    params,
    tokenlessFailure(db, "e"),
    db`lower(${agentName(db, db`e.details ->> 'user_agent'`)}) = lower(${params.clientId})`,
    db`e.details ->> 'user_agent'`,
  );
}

async function namedFailures(
  db: Db,
  params: NamingClientParams,
  indexed: postgres.Fragment,
  match: postgres.Fragment,
  groupKey: postgres.Fragment,
): Promise<FailuresNamingClient> {
  const scanLimit = Math.max(1, params.scanLimit ?? SCAN_LIMIT);
  const recentLimit = Math.min(Math.max(1, params.recentLimit ?? 20), 200);
  const [row] = await newestFirst(
    db,
    (tx) => tx<
      {
        examined: number;
        total: number;
        groups: { key: string | null; failures: number; top_cause: string | null; last_seen: number }[];
        recent: (Omit<NamedFailure, "time"> & { time: number })[];
      }[]
    >`
    with examined as (
      select e.source_id, e.time, e.id, e.cause, ${groupKey} as group_key, ${match} as matches
      from user_events as e
      where ${realmTimeRange(db, "e", db`${params.realm}::text`, params.range)} and ${indexed}
      order by e.realm desc, e.time desc
      limit ${scanLimit}
    ),
    hits as (
      select * from examined
      where matches ${params.sourceId ? db`and source_id = ${params.sourceId}::uuid` : db``}
    )
    select
      (select count(*)::int from examined) as examined,
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
                 'httpPath', r.http_path, 'httpStatus', r.http_status, 'userAgent', r.details ->> 'user_agent',
                 'evidence', r.evidence) order by r.time desc, r.id desc)
        -- Only the rows shown are read whole, each by its primary key.
        from (select source_id, time, id from hits order by time desc, id desc limit ${recentLimit}) as h
        join user_events as r
          on r.source_id = h.source_id and r.realm = ${params.realm} and r.time = h.time and r.id = h.id
             and r.time >= ${iso(params.range.from)}::timestamptz and r.time < ${iso(params.range.to)}::timestamptz
        ), '[]') as recent`,
  );
  return {
    total: row?.total ?? 0,
    complete: (row?.examined ?? 0) < scanLimit,
    groups: (row?.groups ?? []).map((g) => ({
      key: g.key,
      failures: g.failures,
      topCause: g.top_cause,
      lastSeen: Number(g.last_seen),
    })),
    recent: (row?.recent ?? []).map((r) => ({ ...r, time: Number(r.time) })),
  };
}
