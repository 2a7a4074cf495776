import type postgres from "postgres";
import { requestOrigin } from "@/lib/ingest/import/request-origin";
import { cleanText, type UserEventRow } from "@/lib/keycloak/event-rows";
import { COPIED_TYPES, isCopiedType, typesFitting } from "./copy-fits";
import { subtractRollups } from "./rollup-batch";

/**
 * An access-log line or a resource-server report that repeats a stored Keycloak event (the 401 of a token request
 * that is also a CLIENT_LOGIN_ERROR) is a copy of it: it stays stored with `copy_of` naming the event, is not a
 * failure of its own (is_failure false, taken out of the rollups), and lends the event what only the request shows
 * (method, path, status, browser Origin, user agent). The writer links copies under its per-(source, realm) lock in
 * the batch's transaction, whichever arrives first: after each batch, the unlinked lines and reports near the
 * batch's own lines, reports and events are matched against the events around them.
 *
 * A line repeats an event when the request fits the event's type (copy-fits.ts), both are of the same source and
 * realm, from the same client address (a report, which has none, must name the event's client), with no other
 * client or user, and the times are within COPY_MATCH_WINDOW_MS. Each line goes to the nearest event no other
 * line of the same write took, else to the nearest: two requests a second apart from one address with one event
 * leave one line uncounted, rather than an event that two access logs (a proxy's and Keycloak's own) repeat being
 * counted twice.
 */

/** Access logs stamp whole seconds, and the event's clock is Keycloak's, not the proxy's. */
export const COPY_MATCH_WINDOW_MS = 2000;

/** Details keys the event gets from its copy; Keycloak's own keys are never overwritten. */
export const ENRICHMENT_KEYS = {
  origin: "realmwatch.http_origin",
  userAgent: "realmwatch.user_agent",
} as const;

/** What linking needs of a batch: its lines and reports that may be copies, and its events they may repeat. */
export interface CopyProbe {
  candidates: { id: string; time: number }[];
  eventTimes: number[];
}

/** Null when the batch holds neither. */
export function copyProbe(rows: ReadonlyArray<UserEventRow>): CopyProbe | null {
  const candidates: CopyProbe["candidates"] = [];
  const eventTimes: number[] = [];
  for (const r of rows) {
    if (!r.isFailure) continue;
    if (r.origin === "access-log" || r.origin === "report") {
      if (typesFitting(r.httpPath, r.httpStatus).length > 0) candidates.push({ id: r.id, time: r.time });
    } else if (isCopiedType(r.type)) {
      eventTimes.push(r.time);
    }
  }
  return candidates.length > 0 || eventTimes.length > 0 ? { candidates, eventTimes } : null;
}

/** The probe less the lines already stored (they were linked when they were first written). */
export function withoutStored(probe: CopyProbe, stored: ReadonlySet<string>): CopyProbe {
  return { ...probe, candidates: probe.candidates.filter((c) => !stored.has(c.id)) };
}

/** [t - window, t + window] around each time, overlapping ones merged, in time order. */
export function mergeWindows(times: readonly number[], window: number): { from: number[]; to: number[] } {
  const sorted = [...times].sort((a, b) => a - b);
  const from: number[] = [];
  const to: number[] = [];
  for (const t of sorted) {
    const last = to.length - 1;
    if (last >= 0 && t - window <= to[last]!) to[last] = t + window;
    else {
      from.push(t - window);
      to.push(t + window);
    }
  }
  return { from, to };
}

export interface CopyPair {
  copyTime: Date;
  copyId: string;
  eventTime: Date;
  eventId: string;
  /** |event time - line time| in ms. */
  distance: number;
}

/**
 * One event per line: the nearest event not yet taken by another line, else the nearest. Pairs are the few
 * nearest events of each line; the order decides ties, so the result does not depend on the database's order.
 */
export function assignCopies<P extends CopyPair>(pairs: readonly P[]): P[] {
  const key = (t: Date, id: string) => `${t.getTime()}\u0001${id}`;
  const sorted = [...pairs].sort(
    (a, b) =>
      a.distance - b.distance ||
      a.copyTime.getTime() - b.copyTime.getTime() ||
      (a.copyId < b.copyId ? -1 : a.copyId > b.copyId ? 1 : 0) ||
      a.eventTime.getTime() - b.eventTime.getTime() ||
      (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0),
  );
  const chosen = new Map<string, P>();
  const taken = new Set<string>();
  for (const p of sorted) {
    const copy = key(p.copyTime, p.copyId);
    const event = key(p.eventTime, p.eventId);
    if (chosen.has(copy) || taken.has(event)) continue;
    chosen.set(copy, p);
    taken.add(event);
  }
  for (const p of sorted) {
    const copy = key(p.copyTime, p.copyId);
    if (!chosen.has(copy)) chosen.set(copy, p);
  }
  return [...chosen.values()];
}

/** What a copy lends its event. */
interface CopyRequest {
  method: string | null;
  path: string | null;
  status: number | null;
  originHeader: string | null;
  referer: string | null;
  userAgent: string | null;
}

type MatchRow = CopyPair & CopyRequest;

interface LineRow {
  time: Date;
  id: string;
  ipAddress: string | null;
  clientId: string | null;
  userId: string | null;
}

interface EventRow {
  time: Date;
  id: string;
  type: string;
  ipAddress: string | null;
  clientId: string | null;
  userId: string | null;
}

/** Candidate pairs: each line with the (up to 4) nearest events its request fits. */
export function pairLines(
  lines: ReadonlyArray<LineRow & CopyRequest>,
  events: ReadonlyArray<EventRow>,
): MatchRow[] {
  const byAddress = new Map<string, EventRow[]>();
  const byClient = new Map<string, EventRow[]>();
  for (const e of events) {
    if (e.ipAddress !== null) push(byAddress, e.ipAddress, e);
    if (e.clientId !== null) push(byClient, e.clientId, e);
  }
  const pairs: MatchRow[] = [];
  for (const line of lines) {
    const types = typesFitting(line.path, line.status);
    if (types.length === 0) continue;
    // A report has no client address: it must name the event's client.
    const near =
      line.ipAddress !== null
        ? byAddress.get(line.ipAddress)
        : line.clientId !== null
          ? byClient.get(line.clientId)
          : undefined;
    const fitting: MatchRow[] = [];
    for (const e of near ?? []) {
      const distance = Math.abs(e.time.getTime() - line.time.getTime());
      if (distance > COPY_MATCH_WINDOW_MS || !types.includes(e.type)) continue;
      if (line.clientId !== null && e.clientId !== null && line.clientId !== e.clientId) continue;
      if (line.userId !== null && e.userId !== null && line.userId !== e.userId) continue;
      fitting.push({
        ...line,
        copyTime: line.time,
        copyId: line.id,
        eventTime: e.time,
        eventId: e.id,
        distance,
      });
    }
    fitting.sort((a, b) => a.distance - b.distance || a.eventTime.getTime() - b.eventTime.getTime());
    pairs.push(...fitting.slice(0, 4));
  }
  return pairs;
}

function push<V>(map: Map<string, V[]>, key: string, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

const isoTimes = (times: readonly number[]) => times.map((t) => new Date(t).toISOString());

/**
 * Whether the span of the batch's lines, reports and events holds unlinked lines or reports (`lines`) and failed
 * events they may repeat (`events`; true without reading when the caller knows the batch holds some): linking
 * has nothing to do unless both. One statement, built and not sent, so that the writer can send it with the
 * batch's existence check (write-events.ts), before the COPY.
 */
export function copiesAround(
  tx: postgres.TransactionSql,
  sourceId: string,
  realm: string,
  probe: CopyProbe,
  eventsKnown: boolean,
) {
  const times = [...probe.candidates.map((c) => c.time), ...probe.eventTimes];
  const windows = mergeWindows(times, COPY_MATCH_WINDOW_MS);
  const lo = new Date(windows.from[0]!);
  const hi = new Date(windows.to[windows.to.length - 1]!);
  return tx<{ lines: boolean; events: boolean }[]>`
    select
      exists(select 1 from user_events
             where source_id = ${sourceId} and realm = ${realm} and time between ${lo} and ${hi}
               and copy_of is null and origin in ('access-log', 'report')) as lines,
      ${
        eventsKnown
          ? tx`true`
          : tx`exists(select 1 from user_events
                      where source_id = ${sourceId} and realm = ${realm} and time between ${lo} and ${hi}
                        and is_failure and origin in ('api', 'log'))`
      } as events`;
}

/**
 * Links the unlinked lines and reports around the batch to the events they repeat and takes them out of the
 * rollups. Runs in the writer's transaction, after the batch is stored (its own rows match each other too).
 * Returns how many were linked.
 */
export async function linkCopies(
  tx: postgres.TransactionSql,
  sourceId: string,
  realm: string,
  probe: CopyProbe,
): Promise<number> {
  const times = [...probe.candidates.map((c) => c.time), ...probe.eventTimes];
  if (times.length === 0) return 0;
  const windows = mergeWindows(times, COPY_MATCH_WINDOW_MS);
  // One probe of the batch's span before any row is matched: most imports meet no events (a source fed only by
  // logs) and most sync pages meet no unlinked lines (a realm without log imports).
  const [any] = await copiesAround(tx, sourceId, realm, probe, probe.eventTimes.length > 0);
  if (!any?.lines || !any.events) return 0;

  // Lines within the window of the batch's times and events within the window of those lines, each read once by
  // one index range per window (the unlinked-copies index for lines, the primary key for events), then paired
  // here. Joined in SQL, the planner's estimate of one row per side made it compare every line with every event
  // (measured: 0.7 s a batch of a server log that interleaves the two). `offset 0` keeps each lateral a range
  // scan per window: pulled up, the window bounds became a join filter over all the realm's unlinked lines.
  const around = mergeWindows(times, 2 * COPY_MATCH_WINDOW_MS);
  const lines = (
    await tx<(LineRow & CopyRequest)[]>`
      select c.time, c.id, c.ip_address as "ipAddress", c.client_id as "clientId", c.user_id as "userId",
             c.http_method as method, c.http_path as path, c.http_status as status,
             c.details->>'origin' as "originHeader", c.details->>'referer' as referer,
             c.details->>'user_agent' as "userAgent"
      from unnest(${isoTimes(windows.from)}::timestamptz[], ${isoTimes(windows.to)}::timestamptz[]) as w(lo, hi)
      cross join lateral (
        select * from user_events c
        where c.source_id = ${sourceId} and c.realm = ${realm} and c.time between w.lo and w.hi
          and c.copy_of is null and c.origin in ('access-log', 'report')
        offset 0
      ) c
      where c.is_failure`
  ).filter((line) => typesFitting(line.path, line.status).length > 0);
  if (lines.length === 0) return 0;
  const addresses = [...new Set(lines.flatMap((l) => (l.ipAddress === null ? [] : [l.ipAddress])))];
  const clients = [
    ...new Set(lines.flatMap((l) => (l.ipAddress === null && l.clientId ? [l.clientId] : []))),
  ];
  const events = await tx<EventRow[]>`
    select e.time, e.id, e.type, e.ip_address as "ipAddress", e.client_id as "clientId", e.user_id as "userId"
    from unnest(${isoTimes(around.from)}::timestamptz[], ${isoTimes(around.to)}::timestamptz[]) as w(lo, hi)
    cross join lateral (
      select * from user_events e
      where e.source_id = ${sourceId} and e.realm = ${realm} and e.time between w.lo and w.hi
      offset 0
    ) e
    where e.is_failure and e.origin in ('api', 'log') and e.copy_of is null
      and e.type = any(${COPIED_TYPES}::text[])
      and (e.ip_address = any(${addresses}::text[]) or e.client_id = any(${clients}::text[]))`;
  const pairs = pairLines(lines, events);
  if (pairs.length === 0) return 0;
  const links = assignCopies(pairs);

  const linked = await tx<
    {
      time: Date;
      type: string;
      error: string | null;
      cause: string | null;
      client_id: string | null;
      origin: string;
    }[]
  >`
    update user_events c set copy_of = u.event_id, is_failure = false
    from unnest(${links.map((l) => l.copyTime.toISOString())}::timestamptz[], ${links.map((l) => l.copyId)}::text[],
                ${links.map((l) => l.eventId)}::text[]) as u(t, id, event_id)
    where c.source_id = ${sourceId} and c.realm = ${realm} and c.time = u.t and c.id = u.id
      and c.copy_of is null and c.is_failure
    returning c.time, c.type, c.error, c.cause, c.client_id, c.origin`;
  await subtractRollups(
    tx,
    sourceId,
    realm,
    linked.map((r) => ({
      time: r.time.getTime(),
      type: r.type,
      error: r.error,
      cause: r.cause,
      clientId: r.client_id,
      origin: r.origin as UserEventRow["origin"],
      isFailure: true,
    })),
  );
  await enrichEvents(tx, sourceId, realm, links);
  return linked.length;
}

/**
 * The events named get what their nearest copy's request shows, where they have nothing of their own: method,
 * path and status in the http columns, the browser Origin and user agent in details (ENRICHMENT_KEYS).
 */
async function enrichEvents(
  tx: postgres.TransactionSql,
  sourceId: string,
  realm: string,
  links: ReadonlyArray<Pick<CopyPair, "eventTime" | "eventId" | "distance"> & CopyRequest>,
): Promise<void> {
  const nearest = new Map<string, (typeof links)[number]>();
  for (const l of [...links].sort((a, b) => a.distance - b.distance)) {
    const key = `${l.eventTime.getTime()}\u0001${l.eventId}`;
    if (!nearest.has(key)) nearest.set(key, l);
  }
  const list = [...nearest.values()];
  if (list.length === 0) return;
  await tx`
    update user_events e
    set http_method = coalesce(e.http_method, u.method),
        http_path = coalesce(e.http_path, u.path),
        http_status = coalesce(e.http_status, u.status),
        details = case when u.origin is null and u.agent is null then e.details
                       else jsonb_strip_nulls(jsonb_build_object(${ENRICHMENT_KEYS.origin}::text, u.origin,
                                                                 ${ENRICHMENT_KEYS.userAgent}::text, u.agent))
                            || coalesce(e.details, '{}'::jsonb) end
    from unnest(${list.map((l) => l.eventTime.toISOString())}::timestamptz[], ${list.map((l) => l.eventId)}::text[],
                ${list.map((l) => l.method)}::text[], ${list.map((l) => l.path)}::text[],
                ${list.map((l) => l.status)}::int[],
                ${list.map((l) => cleanText(requestOrigin({ origin: l.originHeader ?? undefined, referer: l.referer ?? undefined })))}::text[],
                ${list.map((l) => cleanText(l.userAgent))}::text[])
         as u(t, id, method, path, status, origin, agent)
    where e.source_id = ${sourceId} and e.realm = ${realm} and e.time = u.t and e.id = u.id`;
}

/**
 * Copies of log rows that API rows replaced (write-events.ts, supersedeLogRows) now copy the API rows, which get
 * the log rows' enrichment again.
 */
export async function repointCopies(
  tx: postgres.TransactionSql,
  sourceId: string,
  realm: string,
  moves: ReadonlyArray<{ fromId: string; fromTime: number; toId: string; toTime: number }>,
): Promise<void> {
  if (moves.length === 0) return;
  const window = COPY_MATCH_WINDOW_MS / 1000;
  const moved = await tx<(Pick<CopyPair, "eventTime" | "eventId" | "distance"> & CopyRequest)[]>`
    update user_events c set copy_of = m.to_id
    from unnest(${moves.map((m) => m.fromId)}::text[], ${moves.map((m) => new Date(m.fromTime).toISOString())}::timestamptz[],
                ${moves.map((m) => m.toId)}::text[], ${moves.map((m) => new Date(m.toTime).toISOString())}::timestamptz[])
         as m(from_id, from_t, to_id, to_t)
    where c.source_id = ${sourceId} and c.realm = ${realm} and c.copy_of = m.from_id
      and c.time between m.from_t - make_interval(secs => ${window}) and m.from_t + make_interval(secs => ${window})
    returning m.to_t as "eventTime", m.to_id as "eventId",
              abs(extract(epoch from c.time - m.to_t) * 1000)::float8 as distance,
              c.http_method as method, c.http_path as path, c.http_status as status,
              c.details->>'origin' as "originHeader", c.details->>'referer' as referer,
              c.details->>'user_agent' as "userAgent"`;
  await enrichEvents(tx, sourceId, realm, moved);
}
