import type postgres from "postgres";
import { impersonatorDetails, USER_SESSION_DELETED } from "@/lib/keycloak/session-events";
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

const LOCKOUT_TYPES = ["USER_DISABLED_BY_TEMPORARY_LOCKOUT", "USER_DISABLED_BY_PERMANENT_LOCKOUT"];
const WEEK = 7 * 86_400_000;
/**
 * Events counted per drill-down. A person has a few hundred events a month; a service account can have tens of
 * thousands, and reading all of them costs a heap fetch each (measured: 260 ms for 44,000 at 10M events).
 */
const COUNT_SCAN_LIMIT = 5_000;
/** How far before the range "last success" and an earlier lockout are looked for. */
const LOOKBACK = 30 * 86_400_000;

/** "Why can't this user log in?": their failures, the admin changes that touched them, and lockout state. */
export async function getUserDrilldown(db: Db, params: UserDrilldownParams): Promise<UserDrilldown> {
  const limit = Math.min(Math.max(1, params.limit ?? 100), 1000);
  const from = iso(params.range.from);
  const to = iso(params.range.to);
  const source = params.sourceId ? db`and source_id = ${params.sourceId}::uuid` : db``;
  const ofUser = db`realm = ${params.realm} and user_id = ${params.userId} ${source}`;

  const newest = db`
    select type, time, details from user_events
    where ${ofUser} and time >= ${from}::timestamptz and time < ${to}::timestamptz and copy_of is null
    order by time desc limit ${COUNT_SCAN_LIMIT}`;
  const [names, aggregates, events, lastSuccess, adminEvents, deleted, impersonated] = await Promise.all([
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
             max(time) filter (where type = 'USER_DISABLED_BY_TEMPORARY_LOCKOUT') as temporary,
             max(time) filter (where type = 'USER_DISABLED_BY_PERMANENT_LOCKOUT') as permanent,
             coalesce(bool_or(error in ('user_temporarily_disabled', 'user_disabled')), false) as denied_locked
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
      where ${ofUser} and not is_failure and type in ('LOGIN', 'CODE_TO_TOKEN', 'REFRESH_TOKEN', 'CLIENT_LOGIN')
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
  ]);
  const lockout = await readLockout(db, params, ofUser, aggregates);

  const byCause = new Map<string, number>();
  const byClient = new Map<string, number>();
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
    failures: aggregates.reduce((sum, a) => sum + a.failures, 0),
    countsComplete: aggregates.reduce((sum, a) => sum + a.events, 0) < COUNT_SCAN_LIMIT,
    byCause: ranked(byCause).map(([cause, failures]) => ({ cause, failures })),
    byClient: ranked(byClient).map(([clientId, failures]) => ({ clientId, failures })),
    lastSuccess: lastSuccess[0]?.time.getTime() ?? null,
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
): Promise<LockoutState> {
  let lock: { type: string; time: Date } | undefined;
  for (const row of inRange) {
    for (const [type, time] of [
      ["USER_DISABLED_BY_TEMPORARY_LOCKOUT", row.temporary],
      ["USER_DISABLED_BY_PERMANENT_LOCKOUT", row.permanent],
    ] as const) {
      if (time && (!lock || time > lock.time)) lock = { type, time };
    }
  }
  // Denied as locked with no lockout in the range: the lockout happened before it.
  if (!lock && inRange.some((r) => r.denied_locked)) {
    [lock] = await db<{ type: string; time: Date }[]>`
      select type, time from user_events
      where ${ofUser} and type = any(${LOCKOUT_TYPES}::text[])
        and time >= ${iso(params.range.from - LOOKBACK)}::timestamptz and time < ${iso(params.range.from)}::timestamptz
      order by time desc limit 1`;
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
      where ${ofUser} and error in ('user_temporarily_disabled', 'user_disabled') and time >= ${lock.time}
        and time < ${iso(params.range.to)}::timestamptz
      order by time limit 1`,
  ]);
  const byLogin = login[0]?.time.getTime();
  const byAdmin = cleared[0]?.time.getTime();
  if (byLogin !== undefined || byAdmin !== undefined) {
    const clearedBy =
      byAdmin !== undefined && (byLogin === undefined || byAdmin <= byLogin) ? "admin" : "login";
    const clearedAt = clearedBy === "admin" ? byAdmin! : byLogin!;
    return { state: "cleared", permanent, lockedAt, clearedAt, clearedBy };
  }
  return { state: "locked", permanent, lockedAt, deniedSince: denied[0]?.time.getTime() ?? lockedAt };
}
