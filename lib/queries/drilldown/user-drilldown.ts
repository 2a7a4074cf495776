import type postgres from "postgres";
import { dayOf } from "@/lib/db/event-partitions";
import { userIdIs } from "@/lib/db/user-hash";
import { impersonatorDetails, USER_SESSION_DELETED } from "@/lib/keycloak/session-events";
import { LOCKED_ERRORS, LOCKOUT_TYPES, LOGIN_OR_TOKEN_TYPES } from "@/lib/keycloak/types";
import { type Db, iso, UNCLASSIFIED } from "@/lib/queries/filters";
import { type AdminTimelineEntry, listAdminEventsUnder } from "@/lib/queries/patterns/admin-timeline";
import type { TimeRange } from "@/lib/time/time-buckets";

export interface UserDrilldownParams {
  sourceId?: string;
  realm: string;
  userId: string;
  range: TimeRange;
  /** Timeline entries (default 100). */
  limit?: number;
}

export interface UserTimelineEvent {
  id: string;
  time: number;
  type: string;
  clientId: string | null;
  error: string | null;
  cause: string | null;
  ipAddress: string | null;
  isFailure: boolean;
  origin: string;
  evidence: string | null;
  /** USER_SESSION_DELETED (26.5+): why Keycloak removed the session (its `reason` detail). */
  sessionEndReason: string | null;
  /** The event's impersonator details (lib/keycloak/session-events.ts), null when not impersonated. */
  impersonator: Record<string, string> | null;
}

/** Sessions Keycloak removed by itself (USER_SESSION_DELETED, 26.5+), by reason. */
export interface SessionsDeleted {
  reason: string | null;
  count: number;
  lastAt: number;
}

/** Who acted as the user (IMPERSONATE, and since 26.8 the impersonated session's token events). */
export interface Impersonation {
  impersonator: Record<string, string>;
  events: number;
  lastAt: number;
}

export type LockoutState =
  | { state: "none" }
  | { state: "locked"; permanent: boolean; lockedAt: number; deniedSince: number }
  | {
      state: "cleared";
      permanent: boolean;
      lockedAt: number;
      clearedAt: number;
      clearedBy: "login" | "admin";
    };

export interface UserDrilldown {
  userId: string;
  /** Every username and e-mail seen for this id, newest first: names change, ids do not. */
  names: { username: string; email: string | null; firstSeen: number; lastSeen: number }[];
  failures: number;
  /** Successful events of the range (any type), those whose raw rows expired counted from the user days. */
  successes: number;
  /**
   * The earliest day (UTC midnight) whose counts come from the user days (raw rows expired, by whole days), or
   * null when every count is of stored events.
   */
  summarizedFrom: number | null;
  /** False when the user has more events in the range than a drill-down counts: the counts cover the newest. */
  countsComplete: boolean;
  byCause: { cause: string; failures: number }[];
  byClient: { clientId: string; failures: number }[];
  /** The last successful login or token of the 30 days before the range's end. */
  lastSuccess: number | null;
  /** The user's events in the range, newest first. */
  events: UserTimelineEvent[];
  /** Admin changes to the user (role mappings, groups, credentials, lockout resets) from a week before the range. */
  adminEvents: AdminTimelineEntry[];
  lockout: LockoutState;
  /** Among the counted events of the range. */
  sessionsDeleted: SessionsDeleted[];
  impersonations: Impersonation[];
}

const WEEK = 7 * 86_400_000;
/**
 * Events counted per drill-down. A person has a few hundred events a month; a service account can have tens of
 * thousands, and reading all of them costs a heap fetch each (measured: 260 ms for 44,000 at 10M events).
 */
const COUNT_SCAN_LIMIT = 5_000;
/** How far before the range "last success" and an earlier lockout are looked for. */
const LOOKBACK = 30 * 86_400_000;

/**
 * What retention kept of the user's expired events (lib/retention/user-day-summaries.ts): whole UTC days, only
 * of rows no longer stored, so they add to the stored rows without counting one twice.
 */
interface UserDaySummary {
  day: number;
  successes: number;
  failures: number;
  by_cause: Record<string, number> | null;
  last_success: Date | null;
  last_login: Date | null;
  last_temporary_lockout: Date | null;
  last_permanent_lockout: Date | null;
  last_denied_locked: Date | null;
}

/**
 * "Why can't this user log in?": their failures, the admin changes that touched them, and lockout state. Where
 * raw events expired (successes after a week, failures after three months by default), counts, the last
 * success and lockouts come from the user days instead.
 */
export async function getUserDrilldown(db: Db, params: UserDrilldownParams): Promise<UserDrilldown> {
  const limit = Math.min(Math.max(1, params.limit ?? 100), 1000);
  const from = iso(params.range.from);
  const to = iso(params.range.to);
  const source = params.sourceId ? db`and source_id = ${params.sourceId}::uuid` : db``;
  const ofUser = db`realm = ${params.realm} and ${userIdIs(db, db`${params.userId}::text`)} ${source}`;

  const newest = db`
    select type, time, details from user_events
    where ${ofUser} and time >= ${from}::timestamptz and time < ${to}::timestamptz and copy_of is null
    order by time desc limit ${COUNT_SCAN_LIMIT}`;
  const [names, aggregates, events, lastSuccess, adminEvents, deleted, impersonated, summaries] =
    await Promise.all([
      db<{ username: string; email: string | null; first_seen: Date; last_seen: Date }[]>`
      select username, email, first_seen, last_seen from user_names
      where realm = ${params.realm} and user_id = ${params.userId} ${source}
      order by last_seen desc
      limit 50`,
      // One pass over the user's newest events in the range: failure counts, and the lockout events among them.
      db<
        {
          cause: string | null;
          client_id: string | null;
          events: number;
          failures: number;
          temporary: Date | null;
          permanent: Date | null;
          denied_locked: boolean;
        }[]
      >`
      select cause, client_id, count(*)::int as events, (count(*) filter (where is_failure))::int as failures,
             max(time) filter (where type = ${LOCKOUT_TYPES[0]}) as temporary,
             max(time) filter (where type = ${LOCKOUT_TYPES[1]}) as permanent,
             coalesce(bool_or(error = any(${[...LOCKED_ERRORS]}::text[])), false) as denied_locked
      from (select cause, client_id, type, error, time, is_failure from user_events
            where ${ofUser} and time >= ${from}::timestamptz and time < ${to}::timestamptz and copy_of is null
            order by time desc limit ${COUNT_SCAN_LIMIT}) as newest
      group by cause, client_id`,
      db<
        {
          id: string;
          time: Date;
          type: string;
          client_id: string | null;
          error: string | null;
          cause: string | null;
          ip_address: string | null;
          is_failure: boolean;
          origin: string;
          evidence: string | null;
          session_reason: string | null;
          impersonator: Record<string, string> | null;
        }[]
      >`
      select id, time, type, client_id, error, cause, ip_address, is_failure, origin, evidence,
             case when type = ${USER_SESSION_DELETED} then details->>'reason' end as session_reason,
             ${impersonatorOf(db)} as impersonator
      from user_events
      where ${ofUser} and time >= ${from}::timestamptz and time < ${to}::timestamptz
      order by time desc
      limit ${limit}`,
      db<{ time: Date }[]>`
      select time from user_events
      where ${ofUser} and not is_failure and type = any(${[...LOGIN_OR_TOKEN_TYPES]}::text[])
        and time >= ${iso(params.range.from - LOOKBACK)}::timestamptz and time < ${to}::timestamptz
      order by time desc limit 1`,
      listAdminEventsUnder(db, {
        sourceId: params.sourceId,
        realm: params.realm,
        prefixes: [`users/${params.userId}`, `attack-detection/brute-force/users/${params.userId}`],
        range: { from: params.range.from - WEEK, to: params.range.to },
        limit,
      }),
      db<{ reason: string | null; count: number; last_at: Date }[]>`
      select details->>'reason' as reason, count(*)::int as count, max(time) as last_at
      from (${newest}) as newest where type = ${USER_SESSION_DELETED}
      group by 1 order by count desc, reason limit 20`,
      db<{ impersonator: Record<string, string>; count: number; last_at: Date }[]>`
      select impersonator, count(*)::int as count, max(time) as last_at
      from (select time, ${impersonatorOf(db)} as impersonator from (${newest}) as newest) as marked
      where impersonator is not null
      group by impersonator order by last_at desc limit 20`,
      db<UserDaySummary[]>`
      select (extract(epoch from day::timestamp at time zone 'UTC') * 1000)::float8 as day, successes, failures,
             by_cause, last_success, last_login, last_temporary_lockout, last_permanent_lockout,
             last_denied_locked
      from user_days
      where realm = ${params.realm} and user_id = ${params.userId} ${source}
        and day >= (${iso(params.range.from - LOOKBACK)}::timestamptz at time zone 'UTC')::date
        and day < ${to}::timestamptz at time zone 'UTC'
      order by day`,
    ]);
  // Whole days: a summarized day counts if it starts in the range or holds its start.
  const inRange = summaries.filter((d) => d.day >= dayOf(params.range.from));
  const lockout = await readLockout(db, params, ofUser, aggregates, summaries);

  const byCause = new Map<string, number>();
  const byClient = new Map<string, number>();
  for (const d of inRange) {
    for (const [cause, n] of Object.entries(d.by_cause ?? {})) {
      const key = cause === "" ? UNCLASSIFIED : cause;
      byCause.set(key, (byCause.get(key) ?? 0) + Number(n));
    }
  }
  for (const a of aggregates) {
    if (a.failures === 0) continue;
    const cause = a.cause ?? UNCLASSIFIED;
    byCause.set(cause, (byCause.get(cause) ?? 0) + a.failures);
    const client = a.client_id ?? "";
    byClient.set(client, (byClient.get(client) ?? 0) + a.failures);
  }
  const ranked = (m: Map<string, number>) =>
    [...m.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));

  return {
    userId: params.userId,
    names: names.map((n) => ({
      username: n.username,
      email: n.email,
      firstSeen: n.first_seen.getTime(),
      lastSeen: n.last_seen.getTime(),
    })),
    failures:
      aggregates.reduce((sum, a) => sum + a.failures, 0) + inRange.reduce((sum, d) => sum + d.failures, 0),
    successes:
      aggregates.reduce((sum, a) => sum + a.events - a.failures, 0) +
      inRange.reduce((sum, d) => sum + d.successes, 0),
    summarizedFrom: inRange[0]?.day ?? null,
    countsComplete: aggregates.reduce((sum, a) => sum + a.events, 0) < COUNT_SCAN_LIMIT,
    byCause: ranked(byCause).map(([cause, failures]) => ({ cause, failures })),
    byClient: ranked(byClient).map(([clientId, failures]) => ({ clientId, failures })),
    lastSuccess: latest([
      lastSuccess[0]?.time,
      ...summaries.map((d) => before(d.last_success, params.range.to)),
    ]),
    events: events.map((e) => ({
      id: e.id,
      time: e.time.getTime(),
      type: e.type,
      clientId: e.client_id,
      error: e.error,
      cause: e.cause,
      ipAddress: e.ip_address,
      isFailure: e.is_failure,
      origin: e.origin,
      evidence: e.evidence,
      sessionEndReason: e.session_reason,
      impersonator: impersonatorDetails(e.impersonator),
    })),
    adminEvents,
    lockout,
    sessionsDeleted: deleted.map((d) => ({ reason: d.reason, count: d.count, lastAt: d.last_at.getTime() })),
    impersonations: impersonated.flatMap((i) => {
      const impersonator = impersonatorDetails(i.impersonator);
      return impersonator ? [{ impersonator, events: i.count, lastAt: i.last_at.getTime() }] : [];
    }),
  };
}

/**
 * The details whose key starts with `impersonator` as one JSON object, or null (lib/keycloak/session-events.ts
 * says why a prefix). The prefix is a constant of this file, never a value from a request.
 */
function impersonatorOf(db: Db) {
  return db`(select jsonb_object_agg(key, value) from jsonb_each_text(
      case when jsonb_typeof(details) = 'object' then details else '{}'::jsonb end)
    where key like 'impersonator%')`;
}

/**
 * Brute-force detection sends USER_DISABLED_BY_TEMPORARY_LOCKOUT / _PERMANENT_LOCKOUT as success-type events;
 * later logins fail with user_temporarily_disabled or user_disabled. A lockout is over once the user logs in
 * again or an admin clears it (DELETE attack-detection/brute-force/users/<id>, or enabling the user after a
 * permanent lockout). A temporary lockout also ends by itself after the realm's wait time, which events do not
 * show: "locked" then means "locked when last seen". Lockouts are looked for among the counted events of the
 * range, and up to 30 days before it only when those show logins denied as locked.
 */
async function readLockout(
  db: Db,
  params: UserDrilldownParams,
  ofUser: postgres.Fragment,
  inRange: readonly { temporary: Date | null; permanent: Date | null; denied_locked: boolean }[],
  summaries: readonly UserDaySummary[],
): Promise<LockoutState> {
  let lock: { type: string; time: Date } | undefined;
  const consider = (type: string, time: Date | null, from: number) => {
    if (time && time.getTime() >= from && time.getTime() < params.range.to && (!lock || time > lock.time))
      lock = { type, time };
  };
  const considerSummaries = (from: number) => {
    for (const d of summaries) {
      consider(LOCKOUT_TYPES[0], d.last_temporary_lockout, from);
      consider(LOCKOUT_TYPES[1], d.last_permanent_lockout, from);
    }
  };
  for (const row of inRange) {
    consider(LOCKOUT_TYPES[0], row.temporary, params.range.from);
    consider(LOCKOUT_TYPES[1], row.permanent, params.range.from);
  }
  considerSummaries(params.range.from);
  // Denied as locked with no lockout in the range: the lockout happened before it.
  const deniedLocked =
    inRange.some((r) => r.denied_locked) ||
    summaries.some((d) => d.last_denied_locked !== null && d.day >= dayOf(params.range.from));
  if (!lock && deniedLocked) {
    [lock] = await db<{ type: string; time: Date }[]>`
      select type, time from user_events
      where ${ofUser} and type = any(${[...LOCKOUT_TYPES]}::text[])
        and time >= ${iso(params.range.from - LOOKBACK)}::timestamptz and time < ${iso(params.range.from)}::timestamptz
      order by time desc limit 1`;
    considerSummaries(params.range.from - LOOKBACK);
  }
  if (!lock) return { state: "none" };
  const permanent = lock.type === "USER_DISABLED_BY_PERMANENT_LOCKOUT";
  const lockedAt = lock.time.getTime();
  const source = params.sourceId ? db`and source_id = ${params.sourceId}::uuid` : db``;
  const [login, cleared, denied] = await Promise.all([
    db<{ time: Date }[]>`
      select time from user_events
      where ${ofUser} and type = 'LOGIN' and not is_failure and time > ${lock.time}
        and time < ${iso(params.range.to)}::timestamptz
      order by time limit 1`,
    db<{ time: Date }[]>`
      select time from admin_events
      where realm = ${params.realm} ${source} and time > ${lock.time} and time < ${iso(params.range.to)}::timestamptz
        and ((operation_type = 'DELETE' and resource_path in (${`attack-detection/brute-force/users/${params.userId}`}, 'attack-detection/brute-force/users'))
             or (operation_type = 'UPDATE' and resource_path = ${`users/${params.userId}`}
                 and representation like '%"enabled":true%'))
      order by time limit 1`,
    db<{ time: Date }[]>`
      select time from user_events
      where ${ofUser} and error = any(${[...LOCKED_ERRORS]}::text[]) and time >= ${lock.time}
        and time < ${iso(params.range.to)}::timestamptz
      order by time limit 1`,
  ]);
  // A login after the lock, stored or only summarized (a summarized day's last login, if after the lock).
  const byLogin = firstAfter(lock.time, [
    login[0]?.time,
    ...summaries.map((d) => before(d.last_login, params.range.to)),
  ])?.getTime();
  const byAdmin = cleared[0]?.time.getTime();
  if (byLogin !== undefined || byAdmin !== undefined) {
    const clearedBy =
      byAdmin !== undefined && (byLogin === undefined || byAdmin <= byLogin) ? "admin" : "login";
    const clearedAt = clearedBy === "admin" ? byAdmin! : byLogin!;
    return { state: "cleared", permanent, lockedAt, clearedAt, clearedBy };
  }
  return { state: "locked", permanent, lockedAt, deniedSince: denied[0]?.time.getTime() ?? lockedAt };
}

/** The latest of some times, or null. */
function latest(times: ReadonlyArray<Date | null | undefined>): number | null {
  let best: number | null = null;
  for (const t of times) if (t && (best === null || t.getTime() > best)) best = t.getTime();
  return best;
}

/** The earliest of some times that is after `after`, or undefined. */
function firstAfter(after: Date, times: ReadonlyArray<Date | null | undefined>): Date | undefined {
  let best: Date | undefined;
  for (const t of times) if (t && t > after && (!best || t < best)) best = t;
  return best;
}

/** A time if it is before `to` (a summarized day can hold the range's end), else null. */
function before(time: Date | null, to: number): Date | null {
  return time && time.getTime() < to ? time : null;
}
