import type postgres from "postgres";
import { correlateAdminEvents, type SuspectedChange } from "@/lib/analytics/admin-correlation";
import type { PatternWindow } from "@/lib/analytics/patterns";
import { type AnalyticsFilter, coverRows, type Db, eventFilter, iso } from "@/lib/analytics/queries/filters";
import { coverRange } from "@/lib/analytics/rollup-plan";

export interface PatternEvidence {
  eventCount: number;
  affectedUsers: number;
  sampleEventIds: string[];
  sampleEventTimes: number[];
  /** The client of a client-scoped pattern, or the client with most failures in a realm- or user-scoped one. */
  clientId: string | null;
  userId: string | null;
  suspectedChanges: SuspectedChange[];
}

const HOUR = 3_600_000;
export const ADMIN_LOOKBACK = 24 * HOUR;
export const USER_SCAN_LIMIT = 20_000;

/** The filter selecting a pattern's failures: its source, realm, cause and scope. */
export function patternFilter(p: PatternWindow): AnalyticsFilter & { userId?: string } {
  const filter: AnalyticsFilter & { userId?: string } = {
    sourceId: p.sourceId,
    realm: p.realm,
    cause: p.cause,
  };
  if (p.scopeKind === "client") filter.clientId = p.scopeValue;
  if (p.scopeKind === "user") filter.userId = p.scopeValue;
  return filter;
}

export function userCondition(db: Db, userId: string | undefined): postgres.Fragment {
  return userId === undefined ? db`` : db`and user_id = ${userId}`;
}

/**
 * What a pattern's window holds: how many failures and users, a few sample events, and the admin changes of
 * the 24 hours before it began ranked as suspects against the clients, users and event types it hit.
 */
export async function collectPatternEvidence(db: Db, p: PatternWindow): Promise<PatternEvidence> {
  const filter = patternFilter(p);
  const from = iso(p.firstSeen);
  const to = iso(Math.max(p.lastSeen, p.firstSeen + 1));
  const inWindow = db`time >= ${from}::timestamptz and time < ${to}::timestamptz and is_failure
                      ${eventFilter(db, filter)} ${userCondition(db, filter.userId)}`;
  const rollupFilter = p.scopeKind === "user" ? { ...filter, userId: undefined } : filter;

  const [counts, samples, clients, users, types, admin] = await Promise.all([
    db<{ events: number; users: number }[]>`
      select count(*)::int as events, count(distinct user_id)::int as users from user_events where ${inWindow}`,
    db<
      { id: string; time: Date }[]
    >`select id, time from user_events where ${inWindow} order by time desc limit 5`,
    db<{ client_id: string; failures: number }[]>`
      select client_id, sum(failures)::int as failures
      from (${coverRows(db, coverRange({ from: p.firstSeen, to: p.lastSeen }), db`client_id, failures`, rollupFilter)}) as c
      group by client_id having sum(failures) > 0 order by failures desc, client_id limit 10`,
    db<{ user_id: string; username: string | null; failures: number }[]>`
      select user_id, max(username) as username, count(*)::int as failures
      from (select user_id, username from user_events where ${inWindow} order by time desc limit ${USER_SCAN_LIMIT}) as u
      where user_id is not null
      group by user_id order by failures desc, user_id limit 500`,
    db<{ type: string }[]>`
      select type from (${coverRows(db, coverRange({ from: p.firstSeen, to: p.lastSeen }), db`type, failures`, rollupFilter)}) as t
      group by type having sum(failures) > 0 order by sum(failures) desc, type limit 5`,
    db<
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
      select a.id, a.time, a.operation_type, a.resource_type, a.resource_path, a.representation, prev.representation as previous
      from admin_events a
      left join lateral (
        select p.representation from admin_events p
        where p.source_id = a.source_id and p.realm = a.realm and p.resource_path = a.resource_path
          and p.time < a.time and p.representation is not null
        order by p.time desc limit 1
      ) prev on a.representation is not null
      where a.source_id = ${p.sourceId}::uuid and a.realm = ${p.realm}
        and a.time >= ${iso(p.firstSeen - ADMIN_LOOKBACK)}::timestamptz and a.time <= ${iso(p.firstSeen + HOUR)}::timestamptz
      order by a.time, a.id
      limit 2000`,
  ]);

  const total = counts[0]?.events ?? 0;
  const clientTotal = clients.reduce((sum, c) => sum + c.failures, 0);
  // Admin events name clients by their internal UUID; the sync keeps the realm's UUID-to-clientId map.
  const [realmRow] = await db<{ client_ids: Record<string, string> | null }[]>`
    select client_ids from realms where source_id = ${p.sourceId}::uuid and name = ${p.realm}`;
  const uuidOf = new Map(
    Object.entries(realmRow?.client_ids ?? {}).map(([uuid, clientId]) => [clientId, uuid]),
  );
  const suspectedChanges = correlateAdminEvents(
    {
      onset: p.firstSeen,
      causes: [{ cause: p.cause, share: 1 }],
      clients: clients
        .filter((c) => c.client_id !== "")
        .map((c) => ({
          clientId: c.client_id,
          uuid: uuidOf.get(c.client_id),
          share: clientTotal > 0 ? c.failures / clientTotal : 0,
        })),
      users: users.map((u) => ({
        userId: u.user_id,
        username: u.username,
        share: total > 0 ? u.failures / total : 0,
      })),
      eventTypes: types.map((t) => t.type),
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
  const topClient = clients.find((c) => c.client_id !== "")?.client_id ?? null;
  return {
    eventCount: total,
    affectedUsers: counts[0]?.users ?? 0,
    sampleEventIds: samples.map((s) => s.id),
    sampleEventTimes: samples.map((s) => s.time.getTime()),
    clientId: p.scopeKind === "client" ? p.scopeValue : topClient,
    userId: p.scopeKind === "user" ? p.scopeValue : null,
    suspectedChanges,
  };
}
