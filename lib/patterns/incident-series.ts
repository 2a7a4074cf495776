import { INCIDENT_SETTINGS, type IncidentSeries } from "@/lib/analytics/incidents";
import { userIdIs } from "@/lib/db/user-hash";
import { type Db, iso, UNCLASSIFIED } from "@/lib/queries/filters";

/**
 * The hourly series incident detection reads, over the whole stored history (up to `historyDays` before now):
 * - one per (source, realm, cause, client) from rollup_hour, the client "" holding failures that name none;
 * - one per (source, realm, cause, user) for the causes that hit one account at a time (wrong passwords,
 *   disabled or locked users), for users with USER_SERIES_MIN_PER_DAY failures in a day, from user_events.
 * Each comes with its reference traffic: the scope's events of the failing kinds (a failing TOKEN_EXCHANGE_ERROR
 * is measured against TOKEN_EXCHANGE + TOKEN_EXCHANGE_ERROR of the same client; failures with no client against
 * the whole realm's), and the realm's successful events per hour (the failures of another incident in the realm,
 * a flood of wrong passwords, are not requests this series' problem would meet). Hours before a realm's first
 * event and inside recorded event gaps are unknown (null), not zero. Hours after `now` are not read: a Keycloak
 * clock that runs ahead stamps events in the future, and they wait until their hour comes. A user's series also
 * carries their last login and last failure of its cause (a lockout ends with a login).
 */
export interface IncidentSeriesParams {
  now: number;
  sourceId?: string;
  /** How far back detection reads (default 120 days). */
  historyDays?: number;
  /** Only these series, each with its whole history (default: every series). */
  scope?: SeriesScope;
}

/**
 * A subset of series: every series of the given (source, realm, cause) groups (all their clients, the realm's, and
 * with `users`, only the listed users' series of the per-account causes).
 */
export interface SeriesScope {
  /** `from`: the series are read from here on (hours before it are unknown to detection). */
  groups: readonly { sourceId: string; realm: string; cause: string; from?: number }[];
  users: readonly { sourceId: string; realm: string; cause: string; userId: string; from?: number }[];
}

const HOUR = 3_600_000;

/** Failures every realm has at a usual share of its traffic: judged against that share, not against zero. */
export const AMBIENT_CAUSES: ReadonlySet<string> = new Set([
  "user-credentials",
  "session-invalid",
  "token-expired",
  UNCLASSIFIED,
]);

/** Causes that hit one account at a time: persistent ones are found per user, bursts per client or realm. */
export const USER_CAUSES: ReadonlySet<string> = new Set(["user-credentials", "user-state"]);

/**
 * A user gets a series of their own for a cause once some day holds this many of their failures of it: fewer
 * can make neither an acute incident (10 in an hour) nor a chronic one (4 a day).
 */
export const USER_SERIES_MIN_PER_DAY = 4;
/**
 * A steady stream is a problem when it fails a real share of the requests it belongs to: a fifth of a client's (a
 * few failed logins among thousands are noise), half of a user's. Where Keycloak stores no successes of the kind,
 * every request seen failed and the share is 1.
 */
export const CLIENT_CHRONIC_SHARE = 0.2;
export const USER_CHRONIC_SHARE = 0.5;

/** The first hour detection reads. */
export function historyStart(params: IncidentSeriesParams): number {
  const current = Math.floor(params.now / HOUR) * HOUR;
  return current - (params.historyDays ?? 120) * 24 * HOUR;
}

/** The base event type of a failure type: TOKEN_EXCHANGE for TOKEN_EXCHANGE_ERROR. */
export function baseType(type: string): string {
  return type.endsWith("_ERROR") ? type.slice(0, -"_ERROR".length) : type;
}

export async function listIncidentSeries(db: Db, params: IncidentSeriesParams): Promise<IncidentSeries[]> {
  return [...(await readIncidentSeries(db, params)).series];
}

/**
 * The series read, made one at a time as they are iterated: a refresh detects each series and lets it go, so it
 * never holds every series' hours at once (a full read of 3,431 series over 120 days holds 30 million).
 */
export interface SeriesRead {
  count: number;
  series: Iterable<IncidentSeries>;
}

export async function readIncidentSeries(db: Db, params: IncidentSeriesParams): Promise<SeriesRead> {
  const current = Math.floor(params.now / HOUR) * HOUR;
  const from = historyStart(params);
  const to = current + HOUR;
  const source = params.sourceId ? db`and source_id = ${params.sourceId}::uuid` : db``;
  const range = db`bucket >= ${iso(from)}::timestamptz and bucket < ${iso(to)}::timestamptz`;
  // In an hourly refresh nothing before the earliest replay start is read.
  const readFrom = params.scope
    ? Math.max(
        from,
        Math.min(...[...params.scope.groups, ...params.scope.users].map((g) => g.from ?? from), to),
      )
    : from;
  const readRange = db`bucket >= ${iso(readFrom)}::timestamptz and bucket < ${iso(to)}::timestamptz`;
  const scope = params.scope;
  // Rollups keep "no cause" as ''.
  // The failing rollup rows read: every group's from the history's start, or in an hourly refresh only the groups
  // it reads again, each from its own start.
  // A group's hours are one range of rollup_hour_failing_cover_idx, read index-only (`offset 0` keeps each
  // lateral a range scan: joined, the planner scanned every hour of the table in parallel).
  const failing = scope
    ? db`(select g.source_id, g.realm, g.cause, h.client_id, h.type, h.bucket, h.failures
          from unnest(${scope.groups.map((g) => g.sourceId)}::uuid[], ${scope.groups.map((g) => g.realm)}::text[],
                      ${scope.groups.map((g) => (g.cause === UNCLASSIFIED ? "" : g.cause))}::text[],
                      ${scope.groups.map((g) => iso(Math.max(from, g.from ?? from)))}::timestamptz[])
                 as g(source_id, realm, cause, since)
          cross join lateral (
            select h.client_id, h.type, h.bucket, h.failures from rollup_hour h
            where h.source_id = g.source_id and h.realm = g.realm and h.cause = g.cause
              and h.bucket >= g.since and h.failures > 0 and ${range}
            offset 0
          ) as h)`
    : db`(select * from rollup_hour where failures > 0 and ${range} ${source})`;
  const failureQuery = db<
    {
      source_id: string;
      realm: string;
      cause: string;
      client_id: string;
      types: string[];
      ats: number[];
      counts: number[];
    }[]
  >`
    select source_id, realm, cause, client_id, array_agg(distinct type) as types,
           array_agg((extract(epoch from bucket) / 3600)::int) as ats, array_agg(failures) as counts
    from ${failing} as f
    group by source_id, realm, cause, client_id`;
  const userQuery = (async () =>
    listUserCellsOf(
      db,
      from,
      to,
      scope ? scope.users : await listUserCandidates(db, from, to, params.sourceId),
    ))();
  // Read in parallel when the caller gives a pool (the refresh does): each read is one statement on its own.
  const [failureRows, userRows] = await Promise.all([failureQuery, userQuery]);
  if (failureRows.length === 0 && userRows.length === 0) return { count: 0, series: [] };

  const realmKeys = uniqueRealms([...failureRows, ...userRows]);
  // In an hourly refresh each series is read from its own start: the hours before are unknown to it, and its
  // arrays begin there (detection skips unknown hours; days end at midnight UTC whatever the start), so a refresh
  // that replays most groups over two weeks does not hold 120 days of hours per series.
  const groupSince = new Map(
    (scope?.groups ?? []).map((g) => [JSON.stringify([g.sourceId, g.realm, g.cause]), g.from ?? from]),
  );
  const userSince = new Map(
    (scope?.users ?? []).map((u) => [
      JSON.stringify([u.sourceId, u.realm, u.cause, u.userId]),
      u.from ?? from,
    ]),
  );
  /** Where a (source, realm, cause) group's series start: the successes it needs and its arrays both begin there. */
  const groupSinceOf = (sourceId: string, realm: string, cause: string) =>
    Math.max(
      from,
      groupSince.get(JSON.stringify([sourceId, realm, cause === "" ? UNCLASSIFIED : cause])) ??
        (scope ? readFrom : from),
    );
  const [starts, gaps, realmTraffic, successes, userTraffic] = await Promise.all([
    db<{ source_id: string; realm: string; first: Date | null }[]>`
      select k.source_id, k.realm,
             (select min(bucket) from rollup_hour h where h.source_id = k.source_id and h.realm = k.realm) as first
      from unnest(${realmKeys.map((r) => r[0])}::uuid[], ${realmKeys.map((r) => r[1])}::text[]) as k(source_id, realm)`,
    db<{ source_id: string; realm: string; from_time: Date; to_time: Date }[]>`
      select source_id, realm, from_time, to_time from event_gaps
      where kind = 'user' and to_time > ${iso(from)}::timestamptz and from_time < ${iso(to)}::timestamptz ${source}`,
    db<{ source_id: string; realm: string; ats: number[]; counts: number[] }[]>`
      select source_id, realm, array_agg((extract(epoch from bucket) / 3600)::int) as ats,
             array_agg(events - failures) as counts
      from rollup_realm_hour
      where ${readRange}
        and (source_id, realm) in (select * from unnest(${realmKeys.map((r) => r[0])}::uuid[],
                                                        ${realmKeys.map((r) => r[1])}::text[]))
      group by source_id, realm`,
    listSuccesses(db, successNeeds(failureRows, to, groupSinceOf), to),
    listUserTraffic(db, readFrom, to, userRows),
  ]);

  const hours = (to - from) / HOUR;
  /** Series cells come as hours since the epoch (small integers: half the memory of epoch milliseconds). */
  const fromHour = from / HOUR;
  /** Counts per hour from the hour `first` (an index on the history's axis) to the end. */
  const axis = (ats: readonly number[], counts: readonly number[], first = 0) => {
    const values = new Array<number>(hours - first).fill(0);
    ats.forEach((at, i) => {
      const idx = Math.round(at - fromHour) - first;
      if (idx >= 0 && idx < values.length) values[idx]! += counts[i] ?? 0;
    });
    return values;
  };
  const realmKey = (sourceId: string, realm: string) => JSON.stringify([sourceId, realm]);
  const firstHour = new Map(starts.map((s) => [realmKey(s.source_id, s.realm), s.first?.getTime() ?? to]));
  const gapsOf = new Map<string, { from: number; to: number }[]>();
  for (const g of gaps) {
    const key = realmKey(g.source_id, g.realm);
    gapsOf.set(key, [...(gapsOf.get(key) ?? []), { from: g.from_time.getTime(), to: g.to_time.getTime() }]);
  }
  const realmAxis = new Map(realmTraffic.map((r) => [realmKey(r.source_id, r.realm), axis(r.ats, r.counts)]));
  // Successes by (source, realm, client, kind), and by (source, realm, kind) over every client. Each is held from
  // its first hour read on (most are read from two weeks back, not 120 days), in 32-bit cells: with hundreds of
  // clients they were most of a refresh's memory.
  const okOf = new Map<string, HourCells>();
  const addOk = (key: string, ats: readonly number[], counts: readonly number[]) => {
    let first = hours;
    for (const at of ats) first = Math.min(first, Math.max(0, Math.round(at - fromHour)));
    const have = okOf.get(key);
    if (!have) okOf.set(key, addCells({ offset: first, values: new Int32Array(hours - first) }, ats, counts));
    else if (first >= have.offset) addCells(have, ats, counts);
    else {
      const wider = { offset: first, values: new Int32Array(hours - first) };
      wider.values.set(have.values, have.offset - first);
      okOf.set(key, addCells(wider, ats, counts));
    }
  };
  const addCells = (cells: HourCells, ats: readonly number[], counts: readonly number[]) => {
    ats.forEach((at, i) => {
      const idx = Math.round(at - fromHour) - cells.offset;
      if (idx >= 0 && idx < cells.values.length) cells.values[idx]! += counts[i] ?? 0;
    });
    return cells;
  };
  for (const r of successes) {
    addOk(JSON.stringify([r.source_id, r.realm, r.client_id, r.base]), r.ats, r.counts);
    addOk(JSON.stringify([r.source_id, r.realm, "*", r.base]), r.ats, r.counts);
  }
  /**
   * The series' own requests from the hour `first` on: successes of its kinds in its scope (any client for "")
   * plus its failures `f` (which start at `first` too).
   */
  const ownTraffic = (
    r: { source_id: string; realm: string; client_id: string; types: string[] },
    f: readonly number[],
    first: number,
  ) => {
    const own = [...f];
    for (const base of new Set(r.types.map(baseType))) {
      const ok = okOf.get(
        JSON.stringify([r.source_id, r.realm, r.client_id === "" ? "*" : r.client_id, base]),
      );
      if (ok)
        for (let i = Math.max(ok.offset, first); i < hours; i++) own[i - first]! += ok.values[i - ok.offset]!;
    }
    return own;
  };
  /** The first hour (index) a series starts at: its own start, never before the history's. */
  const firstIndex = (since: number) => Math.min(hours, Math.max(0, Math.round((since - from) / HOUR)));
  /**
   * Which hours of a realm's series that start at `since` are unknown (the mask starts at that series' first hour):
   * before the realm's first event or inside a recorded gap. Made once per realm and start, shared by every series
   * there (asked per hour and series, the test allocated more than the series themselves).
   */
  const unknownOf = new Map<string, Uint8Array>();
  const unknown = (sourceId: string, realm: string, since: number): Uint8Array => {
    const key = JSON.stringify([sourceId, realm, since]);
    let mask = unknownOf.get(key);
    if (!mask) {
      const first = firstIndex(since);
      mask = new Uint8Array(hours - first);
      const begins = Math.max(firstHour.get(realmKey(sourceId, realm)) ?? to, since);
      const lost = gapsOf.get(realmKey(sourceId, realm)) ?? [];
      for (let j = 0; j < mask.length; j++) {
        const start = from + (first + j) * HOUR;
        if (start < begins) mask[j] = 1;
      }
      for (const g of lost)
        for (let j = 0; j < mask.length; j++) {
          const start = from + (first + j) * HOUR;
          if (g.from < start + HOUR && g.to > start) mask[j] = 1;
        }
      unknownOf.set(key, mask);
    }
    return mask;
  };
  /** Marks the unknown hours of a series' own array (it and the mask start at the same hour) in place. */
  const withUnknown = (values: number[], unknownHours: Uint8Array) => {
    const out: (number | null)[] = values;
    for (let j = 0; j < out.length; j++) if (unknownHours[j] === 1) out[j] = null;
    return out;
  };
  /**
   * A realm's traffic as the series starting at `since` see it, made once and shared by every series of the realm
   * that starts there (detection only reads the arrays): one copy per series was, with hundreds of clients, most
   * of what a refresh allocated.
   */
  const realmSeen = new Map<string, (number | null)[]>();
  const realmTrafficOf = (sourceId: string, realm: string, since: number) => {
    const key = JSON.stringify([sourceId, realm, since]);
    let seen = realmSeen.get(key);
    if (!seen) {
      const first = firstIndex(since);
      const values = realmAxis.get(realmKey(sourceId, realm));
      seen = withUnknown(
        values ? values.slice(first) : new Array<number>(hours - first).fill(0),
        unknown(sourceId, realm, since),
      );
      realmSeen.set(key, seen);
    }
    return seen;
  };

  const merged = new Map<string, (typeof failureRows)[number]>();
  for (const r of failureRows) {
    // Rollups keep "no cause" as '': the same series as "unknown".
    const cause = r.cause === "" ? UNCLASSIFIED : r.cause;
    const key = JSON.stringify([r.source_id, r.realm, cause, r.client_id]);
    const have = merged.get(key);
    if (have) {
      have.ats = [...have.ats, ...r.ats];
      have.counts = [...have.counts, ...r.counts];
      have.types = [...new Set([...have.types, ...r.types])];
    } else merged.set(key, { ...r, cause });
  }
  const all = function* (): Generator<IncidentSeries> {
    for (const r of merged.values()) {
      const since = groupSinceOf(r.source_id, r.realm, r.cause);
      const first = firstIndex(since);
      const isUnknown = unknown(r.source_id, r.realm, since);
      const failures = axis(r.ats, r.counts, first);
      const traffic = ownTraffic(r, failures, first);
      yield {
        sourceId: r.source_id,
        realm: r.realm,
        cause: r.cause,
        scopeKind: r.client_id === "" ? "realm" : "client",
        scopeValue: r.client_id,
        start: from + first * HOUR,
        failures: withUnknown(failures, isUnknown),
        traffic: withUnknown(traffic, isUnknown),
        realmTraffic: realmTrafficOf(r.source_id, r.realm, since),
        ambient: AMBIENT_CAUSES.has(r.cause),
        acuteOnly: USER_CAUSES.has(r.cause),
        chronicMinShare: CLIENT_CHRONIC_SHARE,
      };
    }
    for (const r of userRows) {
      const since = userSince.get(JSON.stringify([r.source_id, r.realm, r.cause, r.user_id])) ?? from;
      const first = firstIndex(since);
      const isUnknown = unknown(r.source_id, r.realm, since);
      const own = userTraffic.get(JSON.stringify([r.source_id, r.realm, r.user_id, r.cause]));
      yield {
        sourceId: r.source_id,
        realm: r.realm,
        cause: r.cause,
        scopeKind: "user",
        scopeValue: r.user_id,
        start: from + first * HOUR,
        failures: withUnknown(axis(r.ats, r.counts, first), isUnknown),
        traffic: withUnknown(
          own ? axis(own.ats, own.counts, first) : new Array<number>(hours - first).fill(0),
          isUnknown,
        ),
        realmTraffic: realmTrafficOf(r.source_id, r.realm, since),
        ambient: false,
        acuteOnly: false,
        chronicMinShare: USER_CHRONIC_SHARE,
        endsOnLogin: { lastLogin: own?.lastLogin ?? null, lastFailure: own?.lastFailure ?? null },
      };
    }
  };
  return { count: merged.size + userRows.length, series: all() };
}

/** Counts per hour from the hour `offset` (an index on the history's axis) on; the hours before hold none. */
interface HourCells {
  offset: number;
  values: Int32Array;
}

function uniqueRealms(rows: readonly { source_id: string; realm: string }[]): [string, string][] {
  return [...new Set(rows.map((r) => JSON.stringify([r.source_id, r.realm])))].map(
    (k) => JSON.parse(k) as [string, string],
  );
}

/**
 * The successes listSuccesses reads: per (source, realm) and event type (each failing kind and its _ERROR twin),
 * from the earliest hour a series of that kind in that realm is read from. An hourly refresh replays most groups
 * over a couple of weeks and a few over months (a pattern still open since then): reading every client's
 * successes from the earliest of them read months of hours no series used (16 s of the refresh at 30 million
 * events).
 */
function successNeeds(
  failureRows: readonly { source_id: string; realm: string; cause: string; types: string[] }[],
  to: number,
  sinceOf: (sourceId: string, realm: string, cause: string) => number,
): { sourceId: string; realm: string; type: string; since: number }[] {
  const needs = new Map<string, { sourceId: string; realm: string; type: string; since: number }>();
  for (const r of failureRows) {
    const since = Math.min(to, sinceOf(r.source_id, r.realm, r.cause));
    for (const base of new Set(r.types.map(baseType)))
      for (const type of [base, `${base}_ERROR`]) {
        const key = JSON.stringify([r.source_id, r.realm, type]);
        const have = needs.get(key);
        if (!have) needs.set(key, { sourceId: r.source_id, realm: r.realm, type, since });
        else have.since = Math.min(have.since, since);
      }
  }
  return [...needs.values()];
}

/**
 * Successes per hour of each kind (TOKEN_EXCHANGE for TOKEN_EXCHANGE and TOKEN_EXCHANGE_ERROR) per (source, realm,
 * client), for the kinds that fail, each from where successNeeds says: with a series' own failures, the requests
 * the failures are part of. An hour may come in several rows (a rollup row per origin, error and cause): the
 * caller adds them up (axis), so PostgreSQL does not group the hours first (838,000 of them at 30 million events).
 * Each kind is read on its own (LATERAL, grouped inside): a range of rollup_hour_type_cover_idx read index-only,
 * its clients grouped by hashing a few thousand rows. Joined as a whole, the planner (which cannot tell how many
 * hours a kind has) scanned every hour of every kind and sorted the 430,000 rows kept: 1.3-2.0 s at 30 million
 * events, 0.2-0.4 s this way.
 */
async function listSuccesses(
  db: Db,
  needs: readonly { sourceId: string; realm: string; type: string; since: number }[],
  to: number,
): Promise<
  { source_id: string; realm: string; client_id: string; base: string; ats: number[]; counts: number[] }[]
> {
  if (needs.length === 0) return [];
  const rows = await db<
    { source_id: string; realm: string; client_id: string; type: string; ats: number[]; counts: number[] }[]
  >`
    select n.source_id, n.realm, c.client_id, n.type, c.ats, c.counts
    from unnest(${needs.map((n) => n.sourceId)}::uuid[], ${needs.map((n) => n.realm)}::text[],
                ${needs.map((n) => n.type)}::text[], ${needs.map((n) => iso(n.since))}::timestamptz[])
           as n(source_id, realm, type, since)
    cross join lateral (
      select h.client_id, array_agg((extract(epoch from h.bucket) / 3600)::int) as ats,
             array_agg(h.events - h.failures) as counts
      from rollup_hour h
      where h.source_id = n.source_id and h.realm = n.realm and h.type = n.type
        and h.bucket >= n.since and h.bucket < ${iso(to)}::timestamptz and h.events > h.failures
      group by h.client_id
    ) as c`;
  return rows.map((r) => ({ ...r, base: baseType(r.type) }));
}

interface UserCells {
  source_id: string;
  realm: string;
  cause: string;
  user_id: string;
  ats: number[];
  counts: number[];
}

/**
 * The users who get a series of their own for a per-account cause, from their failures in [from, to): an hour
 * with 10 failures (an acute incident is possible), or a day with USER_SERIES_MIN_PER_DAY failures that are at least
 * half of their requests that day (a chronic one is possible: a user mistyping now and then among hundreds of
 * logins is not). Each day's requests are counted only as far as the answer needs (LIMIT), so a busy account costs
 * little more than a quiet one; the successes retention already dropped count from user_days.
 */
export async function listUserCandidates(
  db: Db,
  from: number,
  to: number,
  sourceId?: string,
): Promise<SeriesScope["users"]> {
  const source = sourceId ? db`and source_id = ${sourceId}::uuid` : db``;
  const rows = await db<{ source_id: string; realm: string; cause: string; user_id: string }[]>`
    with failures as (
      select source_id, realm, cause, user_id, floor(extract(epoch from time) / 3600) as h
      from user_events
      where is_failure and cause = any(${[...USER_CAUSES]}::text[]) and user_id is not null
        and time >= ${iso(from)}::timestamptz and time < ${iso(to)}::timestamptz ${source}
    ),
    acute as (
      select source_id, realm, cause, user_id from failures
      group by source_id, realm, cause, user_id, h having count(*) >= ${INCIDENT_SETTINGS.acuteMinFailures}
    ),
    days as (
      select source_id, realm, cause, user_id, floor(h / 24) as d, count(*)::int as n from failures
      group by source_id, realm, cause, user_id, floor(h / 24) having count(*) >= ${USER_SERIES_MIN_PER_DAY}
    ),
    steady as (
      select source_id, realm, cause, user_id from days
      where (select count(*) from (
               select 1 from user_events e
               where e.realm = days.realm and ${userIdIs(db, db`days.user_id`, "e")} and e.source_id = days.source_id
                 and e.time >= to_timestamp(days.d * 86400) and e.time < to_timestamp((days.d + 1) * 86400)
                 and (not e.is_failure or e.cause = days.cause) and e.copy_of is null
               limit 2 * days.n + 1) as x)
            + coalesce((select sum(u.successes) from user_days u
                        where u.realm = days.realm and u.user_id = days.user_id and u.source_id = days.source_id
                          and u.day = (to_timestamp(days.d * 86400) at time zone 'UTC')::date), 0) <= 2 * days.n
    )
    select * from acute union select * from steady`;
  return rows.map((r) => ({ sourceId: r.source_id, realm: r.realm, cause: r.cause, userId: r.user_id }));
}

/** A user's requests per hour (successes and the series' failures), their last login and last such failure. */
interface UserTraffic {
  ats: number[];
  counts: number[];
  lastLogin: number | null;
  lastFailure: number | null;
}

/**
 * Each candidate user's requests per hour: their successes plus their failures of the series' cause (an attempt
 * that failed for another reason says nothing about this one). A copy of an event (copy_of: an access-log line
 * repeating it) is not a request of its own. The successes retention already dropped count from
 * user_days' successes by hour (lib/retention/user-day-summaries.ts): a row is in the one or the other, never both.
 */
async function listUserTraffic(
  db: Db,
  from: number,
  to: number,
  users: readonly UserCells[],
): Promise<Map<string, UserTraffic>> {
  if (users.length === 0) return new Map();
  const rows = await db<
    {
      source_id: string;
      realm: string;
      user_id: string;
      cause: string;
      ats: number[];
      counts: number[];
      last_login: Date | null;
      last_failure: Date | null;
    }[]
  >`
    with k as (
      select * from unnest(${users.map((k) => k.source_id)}::uuid[], ${users.map((k) => k.realm)}::text[],
                           ${users.map((k) => k.user_id)}::text[], ${users.map((k) => k.cause)}::text[])
             as k(source_id, realm, user_id, cause)
    ),
    cells as (
      select k.source_id, k.realm, k.user_id, k.cause, floor(extract(epoch from ev.time) / 3600)::int as at,
             count(*)::int as n, max(ev.time) filter (where ev.type = 'LOGIN' and not ev.is_failure) as last_login,
             max(ev.time) filter (where ev.is_failure) as last_failure
      from k
      join user_events ev on ev.realm = k.realm and ${userIdIs(db, db`k.user_id`, "ev")} and ev.source_id = k.source_id
      where ev.time >= ${iso(from)}::timestamptz and ev.time < ${iso(to)}::timestamptz
        and (not ev.is_failure or ev.cause = k.cause) and ev.copy_of is null
      group by k.source_id, k.realm, k.user_id, k.cause, at
      union all
      select k.source_id, k.realm, k.user_id, k.cause, (extract(epoch from d.day) / 3600)::int + h.hour::int as at,
             h.n::int as n, d.last_login, null::timestamptz as last_failure
      from k
      join user_days d on d.realm = k.realm and d.user_id = k.user_id and d.source_id = k.source_id
      cross join lateral jsonb_each_text(d.success_hours) as h(hour, n)
      where d.day >= (${iso(from)}::timestamptz at time zone 'UTC')::date
        and d.day <= (${iso(to)}::timestamptz at time zone 'UTC')::date
    )
    select source_id, realm, user_id, cause, array_agg(at) as ats, array_agg(n) as counts,
           max(last_login) as last_login, max(last_failure) as last_failure
    from (select source_id, realm, user_id, cause, at, sum(n)::int as n, max(last_login) as last_login,
                 max(last_failure) as last_failure
          from cells
          where at >= ${from / HOUR} and at < ${to / HOUR}
          group by source_id, realm, user_id, cause, at) as e
    group by source_id, realm, user_id, cause`;
  return new Map(
    rows.map((r) => [
      JSON.stringify([r.source_id, r.realm, r.user_id, r.cause]),
      {
        ats: r.ats,
        counts: r.counts,
        lastLogin: r.last_login?.getTime() ?? null,
        lastFailure: r.last_failure?.getTime() ?? null,
      },
    ]),
  );
}

/** The hourly failures of the given users' series over the whole history. */
async function listUserCellsOf(
  db: Db,
  from: number,
  to: number,
  users: SeriesScope["users"],
): Promise<UserCells[]> {
  if (users.length === 0) return [];
  return db<UserCells[]>`
    select k.source_id, k.realm, k.cause, k.user_id, array_agg(c.at order by c.at) as ats,
           array_agg(c.n order by c.at) as counts
    from unnest(${users.map((u) => u.sourceId)}::uuid[], ${users.map((u) => u.realm)}::text[],
                ${users.map((u) => u.cause)}::text[], ${users.map((u) => u.userId)}::text[],
                ${users.map((u) => iso(Math.max(from, u.from ?? from)))}::timestamptz[])
           as k(source_id, realm, cause, user_id, since)
    cross join lateral (
      select floor(extract(epoch from e.time) / 3600)::int as at, count(*)::int as n
      from user_events e
      where e.realm = k.realm and ${userIdIs(db, db`k.user_id`, "e")} and e.source_id = k.source_id and e.is_failure
        and e.cause = k.cause and e.time >= k.since and e.time < ${iso(to)}::timestamptz
      group by 1
    ) as c
    group by k.source_id, k.realm, k.cause, k.user_id`;
}

/**
 * The series an hourly refresh recomputes: the (source, realm, cause) groups with a failure in the last `days`
 * or a pattern not resolved yet, and the users of the per-account causes with a day of failures in that window or
 * a pattern not resolved. Other series ended (or never started) more than a week ago: their patterns are final.
 */
export async function listRecentScope(
  db: Db,
  params: { now: number; recentMs: number; replayMs: number; sourceId?: string },
): Promise<SeriesScope> {
  const current = Math.floor(params.now / HOUR) * HOUR;
  const recent = current - params.recentMs;
  const to = current + HOUR;
  const source = params.sourceId ? db`and source_id = ${params.sourceId}::uuid` : db``;
  // Where each series' replay starts: a day of ambient history and the longest quiet gap before the earliest
  // pattern that may still change (one seen in the window), and never later than two windows back.
  const margin = params.replayMs;
  const [groups, open, live] = await Promise.all([
    db<{ source_id: string; realm: string; cause: string }[]>`
      select distinct source_id, realm, case when cause = '' then ${UNCLASSIFIED} else cause end as cause
      from rollup_hour
      where failures > 0 and bucket >= ${iso(recent)}::timestamptz and bucket < ${iso(to)}::timestamptz ${source}
      union
      select source_id, realm, cause from patterns where status <> 'resolved' ${source}`,
    db<{ source_id: string; realm: string; cause: string; user_id: string }[]>`
      select source_id, realm, cause, scope_value as user_id from patterns
      where status <> 'resolved' and scope_kind = 'user' and cause = any(${[...USER_CAUSES]}::text[]) ${source}`,
    db<
      {
        source_id: string;
        realm: string;
        cause: string;
        scope_kind: string;
        scope_value: string;
        first: Date;
      }[]
    >`
      select source_id, realm, cause, scope_kind, scope_value, min(first_seen) as first from patterns
      where (last_seen >= ${iso(current - margin)}::timestamptz or status <> 'resolved') ${source}
      group by source_id, realm, cause, scope_kind, scope_value`,
  ]);
  const earliest = new Map<string, number>();
  const bump = (key: string, t: number) => earliest.set(key, Math.min(earliest.get(key) ?? t, t));
  for (const l of live) {
    bump(JSON.stringify([l.source_id, l.realm, l.cause]), l.first.getTime());
    if (l.scope_kind === "user")
      bump(JSON.stringify([l.source_id, l.realm, l.cause, l.scope_value]), l.first.getTime());
  }
  const since = (key: string) =>
    Math.min(
      current - 2 * margin,
      Math.floor((earliest.get(key) ?? Number.POSITIVE_INFINITY) / HOUR) * HOUR - margin,
    );
  const recentUsers = await listUserCandidates(db, recent, to, params.sourceId);
  const users = new Map(
    recentUsers.map((u) => [JSON.stringify([u.sourceId, u.realm, u.cause, u.userId]), u]),
  );
  for (const u of open) {
    const key = { sourceId: u.source_id, realm: u.realm, cause: u.cause, userId: u.user_id };
    users.set(JSON.stringify([key.sourceId, key.realm, key.cause, key.userId]), key);
  }
  return {
    groups: groups.map((g) => ({
      sourceId: g.source_id,
      realm: g.realm,
      cause: g.cause,
      from: since(JSON.stringify([g.source_id, g.realm, g.cause])),
    })),
    users: [...users.entries()].map(([key, u]) => ({ ...u, from: since(key) })),
  };
}
