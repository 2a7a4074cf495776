import { randomUUID } from "node:crypto";
import type postgres from "postgres";
import {
  FULL_AT_KEY,
  FULL_EVERY_MS,
  HISTORY_CHANGED_KEY,
  RECENT_MS,
  REPLAY_MS,
} from "@/lib/analytics/detection-window";
import { type DetectedIncident, detectIncidents, mergeRealmWide } from "@/lib/analytics/incidents";
import type { PatternKind, PatternWindow, ScopeKind } from "@/lib/analytics/patterns";
import {
  historyStart,
  listRecentScope,
  readIncidentSeries,
  type SeriesScope,
  USER_CAUSES,
} from "@/lib/patterns/incident-series";
import { savePatternContributors } from "@/lib/patterns/save-pattern-contributors";
import { type Db, eventFilter, iso } from "@/lib/queries/filters";
import type { UserNameLookup } from "@/lib/queries/names/entity-names";
import { collectPatternBody, collectPatternEvidence } from "@/lib/queries/patterns/pattern-evidence";
import type { PatternRowBase } from "@/lib/queries/patterns/pattern-row";

export interface RefreshPatternsOptions {
  now?: number;
  /** The zone the pattern's summary sentence names times in (default UTC). */
  timeZone?: string;
  sourceId?: string;
  /** How far back detection reads (default 120 days); older patterns are kept as they are. */
  historyDays?: number;
  /** Names of admins and users no event names, asked of Keycloak (lib/ingest/sync/resolve-user-names.ts). */
  resolveUser?: UserNameLookup;
  /**
   * Read every series again, not only those active in the last 8 days (detection-window.ts). Done anyway on the
   * first run, once a day, and after events older than that were written.
   */
  full?: boolean;
}

export interface RefreshPatternsResult {
  /** Another refresh held the lock: nothing was done. */
  skipped: boolean;
  series: number;
  /** Incidents found in the whole history read. */
  incidents: number;
  created: number;
  updated: number;
  resolved: number;
  /** Stored patterns the history no longer shows (data that arrived late changed the picture). */
  removed: number;
  /** Every series read again (else only the recently active ones). */
  full: boolean;
}

const HOUR = 3_600_000;
/** One user behind this share of a client's incident makes it that user's incident. */
const DOMINANT_USER_SHARE = 0.8;

interface StoredPattern extends Omit<PatternRowBase, "user_id" | "affected_users" | "peak_score"> {
  kind: PatternKind;
  failures_24h: number;
  body_at: Date | null;
}

/** A detected incident with the scope it is stored under (a client's incident may be one user's). */
interface Placed extends DetectedIncident {
  storeScopeKind: ScopeKind;
  storeScopeValue: string;
  /** The client series a user's incident was found in (its failures are counted within that client). */
  clientFilter: string | null;
  stored?: StoredPattern;
}

/**
 * Finds the incidents of the whole stored history (lib/analytics/incidents.ts) and makes the patterns table say
 * the same: new incidents are created, changed ones updated (their evidence and suspects collected again),
 * patterns the history no longer shows removed. Detection is causal, so this gives the same patterns whether it
 * runs every hour or once after a backfill. One refresh at a time (a transaction-scoped advisory lock; a second
 * caller returns `skipped`); running it twice at the same `now` changes nothing the second time.
 */
export async function refreshPatterns(
  sql: postgres.Sql,
  opts: RefreshPatternsOptions = {},
): Promise<RefreshPatternsResult> {
  const now = opts.now ?? Date.now();
  const none = {
    skipped: true,
    series: 0,
    incidents: 0,
    created: 0,
    updated: 0,
    resolved: 0,
    removed: 0,
    full: false,
  };
  return sql.begin(async (tx) => {
    const [lock] = await tx<{ locked: boolean }[]>`
      select pg_try_advisory_xact_lock(hashtext('realmwatch.refresh-patterns')) as locked`;
    if (!lock?.locked) return none;
    await tx`set local work_mem = '64MB'`;

    const full = opts.full === true || (await needsFullRead(tx, now));
    // Reads go through the pool, several at once (the transaction is one connection); only this refresh writes
    // patterns (the lock), and events written meanwhile are read by the next one.
    const scope = full
      ? undefined
      : await listRecentScope(sql, {
          now,
          recentMs: RECENT_MS,
          replayMs: REPLAY_MS,
          sourceId: opts.sourceId,
        });
    const params = { now, sourceId: opts.sourceId, historyDays: opts.historyDays, scope };
    const series = await readIncidentSeries(sql, params);
    const found = mergeRealmWide(detectIncidents(series.series, now), USER_CAUSES).filter((f) =>
      settled(f, scope),
    );
    const stored = (await loadStored(tx, historyStart(params), opts.sourceId)).filter((s) =>
      inScope(s, scope),
    );
    const placed = await placeIncidents(tx, found, stored);

    const result = { ...none, skipped: false, series: series.count, incidents: placed.length, full };
    // Patterns the history no longer shows go first: a new incident may take over their key.
    const kept = new Set(placed.flatMap((p) => (p.stored ? [p.stored.id] : [])));
    const gone = stored.filter((s) => !kept.has(s.id)).map((s) => s.id);
    if (gone.length > 0) {
      await tx`delete from patterns where id = any(${gone}::uuid[])`;
      result.removed = gone.length;
    }
    const timeZone = opts.timeZone ?? "UTC";
    for (const p of placed) {
      const s = p.stored;
      const statusMoved = s !== undefined && s.status !== p.status;
      if (s && sameHours(s, p)) {
        // Same incident, same hours: the figures that move within an hour are updated, the evidence is not read
        // again until a new hour of failures comes.
        if (statusMoved || s.failures_24h !== p.failures24h || s.last_seen.getTime() !== p.to) {
          await tx`update patterns set status = ${p.status}, failures_24h = ${p.failures24h},
                     last_seen = ${iso(p.to)}::timestamptz, updated_at = now()
                   where id = ${s.id}::uuid`;
        }
      } else if (s && sameStart(s, p) && !bodyDue(s, p)) {
        await updateFigures(tx, s, p, timeZone);
      } else {
        await savePattern(tx, p, timeZone, opts.resolveUser, s && sameStart(s, p) ? "body" : "all");
      }
      if (!s) result.created++;
      else if (statusMoved && p.status === "resolved") result.resolved++;
      else if (statusMoved || !sameHours(s, p)) result.updated++;
    }
    if (full && !opts.sourceId) await recordFullRead(tx, now);
    return result;
  });
}

/** The first run, a day after the last full read, or after events older than the recent window were written. */
async function needsFullRead(db: Db, now: number): Promise<boolean> {
  const rows = await db<{ key: string; value: unknown }[]>`
    select key, value from app_state where key in (${FULL_AT_KEY}, ${HISTORY_CHANGED_KEY})`;
  const fullAt = rows.find((r) => r.key === FULL_AT_KEY)?.value;
  const changed = rows.find((r) => r.key === HISTORY_CHANGED_KEY)?.value === true;
  return changed || typeof fullAt !== "number" || now < fullAt || now - fullAt >= FULL_EVERY_MS;
}

async function recordFullRead(db: Db, now: number): Promise<void> {
  await db`
    insert into app_state (key, value, updated_at) values (${FULL_AT_KEY}, ${db.json(now)}, now())
    on conflict (key) do update set value = excluded.value, updated_at = now()`;
  await db`delete from app_state where key = ${HISTORY_CHANGED_KEY}`;
}

/**
 * In an hourly refresh a series is replayed from `from`, and its first REPLAY_MS only warm it up (the usual share
 * of an ambient cause, runs already going): what it finds there, and what is stored there, are left alone. Live
 * patterns start after the warm-up by construction (listRecentScope).
 */
function warmedUpFrom(
  scope: SeriesScope | undefined,
  s: { sourceId: string; realm: string; cause: string; user?: string },
): number {
  if (!scope) return Number.NEGATIVE_INFINITY;
  const from =
    s.user !== undefined
      ? scope.users.find(
          (u) =>
            u.sourceId === s.sourceId && u.realm === s.realm && u.cause === s.cause && u.userId === s.user,
        )?.from
      : scope.groups.find((g) => g.sourceId === s.sourceId && g.realm === s.realm && g.cause === s.cause)
          ?.from;
  return from === undefined ? Number.POSITIVE_INFINITY : from + REPLAY_MS;
}

/** A detected incident the refresh may write: all of them in a full read, those after the warm-up otherwise. */
function settled(f: DetectedIncident, scope: SeriesScope | undefined): boolean {
  const user = f.scopeKind === "user" ? f.scopeValue : undefined;
  return f.from >= warmedUpFrom(scope, { sourceId: f.sourceId, realm: f.realm, cause: f.cause, user });
}

/**
 * A stored pattern belongs to the series read: its cause group (for a per-account cause, its user), and it began
 * after that series' warm-up (older patterns of the series are final and stay as they are).
 */
function inScope(s: StoredPattern, scope: SeriesScope | undefined): boolean {
  if (!scope) return true;
  const user = s.scope_kind === "user" && USER_CAUSES.has(s.cause) ? s.scope_value : undefined;
  return (
    s.first_seen.getTime() >=
    warmedUpFrom(scope, { sourceId: s.source_id, realm: s.realm, cause: s.cause, user })
  );
}

async function loadStored(db: Db, since: number, sourceId?: string): Promise<StoredPattern[]> {
  return db<StoredPattern[]>`
    select id, source_id, realm, cause, scope_kind, scope_value, client_id, first_seen, last_seen, status, kind,
           event_count, failures_24h, body_at
    from patterns
    where first_seen >= ${iso(since)}::timestamptz ${sourceId ? db`and source_id = ${sourceId}::uuid` : db``}`;
}

const hourOf = (t: number) => Math.floor(t / HOUR) * HOUR;

/**
 * Where each incident is stored, matched with the pattern already stored for it. A client's incident is scoped to
 * one user when that user is behind most of its failures (a user's missing role), and a burst of wrong passwords
 * or lockouts that one user makes is left to that user's own series. The decision is taken again whenever the
 * incident's hours change; a stored pattern keeps its id (and URL) when its scope moves.
 */
async function placeIncidents(
  db: Db,
  found: readonly DetectedIncident[],
  stored: readonly StoredPattern[],
): Promise<Placed[]> {
  const byKey = new Map<string, StoredPattern[]>();
  const keyOf = (sourceId: string, realm: string, cause: string, hour: number) =>
    JSON.stringify([sourceId, realm, cause, hour]);
  for (const s of stored) {
    const key = keyOf(s.source_id, s.realm, s.cause, hourOf(s.first_seen.getTime()));
    byKey.set(key, [...(byKey.get(key) ?? []), s]);
  }
  const taken = new Set<string>();
  const out: Placed[] = [];
  for (const incident of found) {
    const candidates =
      byKey.get(keyOf(incident.sourceId, incident.realm, incident.cause, incident.from)) ?? [];
    const fromClientSeries = incident.scopeKind !== "user";
    const userCause = USER_CAUSES.has(incident.cause);
    const match = candidates.find(
      (s) =>
        !taken.has(s.id) &&
        ((s.scope_kind === incident.scopeKind && s.scope_value === incident.scopeValue) ||
          (fromClientSeries &&
            !userCause &&
            s.scope_kind === "user" &&
            (s.client_id ?? "") === incident.scopeValue)),
    );
    if (match) taken.add(match.id);
    const asFound = {
      ...incident,
      storeScopeKind: incident.scopeKind,
      storeScopeValue: incident.scopeValue,
      clientFilter: null,
      stored: match,
    };
    if (match && sameHours(match, incident)) {
      out.push({
        ...asFound,
        storeScopeKind: match.scope_kind,
        storeScopeValue: match.scope_value,
        clientFilter: match.scope_kind === "user" && fromClientSeries ? incident.scopeValue || null : null,
      });
      continue;
    }
    const top = fromClientSeries ? await topUser(db, incident) : null;
    const dominated = top !== null && top.share >= DOMINANT_USER_SHARE;
    if (userCause && dominated) continue;
    if (dominated && !top.serviceAccount && !userCause) {
      out.push({
        ...asFound,
        storeScopeKind: "user",
        storeScopeValue: top.userId,
        clientFilter: incident.scopeValue || null,
      });
      continue;
    }
    out.push(asFound);
  }
  return out;
}

/** The user behind most of an incident's failures, with their share. */
async function topUser(
  db: Db,
  incident: DetectedIncident,
): Promise<{ userId: string; share: number; serviceAccount: boolean } | null> {
  const filter = {
    sourceId: incident.sourceId,
    realm: incident.realm,
    cause: incident.cause,
    ...(incident.scopeKind === "client" ? { clientId: incident.scopeValue } : {}),
  };
  const [top] = await db<
    { user_id: string | null; failures: number; total: number; username: string | null }[]
  >`
    select user_id, count(*)::int as failures, sum(count(*)) over ()::int as total, max(username) as username
    from user_events
    where time >= ${iso(incident.from)}::timestamptz and time < ${iso(incident.to)}::timestamptz and is_failure
      ${eventFilter(db, filter)} ${incident.scopeKind === "realm" && incident.scopeValue === "" ? db`and client_id is null` : db``}
    group by user_id order by failures desc limit 1`;
  if (!top?.user_id || top.total <= 0) return null;
  const [named] = top.username
    ? [{ username: top.username }]
    : await db<{ username: string }[]>`
        select username from user_names
        where source_id = ${incident.sourceId}::uuid and realm = ${incident.realm} and user_id = ${top.user_id}
        order by last_seen desc limit 1`;
  // Keycloak names a client's service-account user "service-account-<clientId>": its roles are the client's.
  const serviceAccount = (named?.username ?? "").startsWith("service-account-");
  return { userId: top.user_id, share: top.failures / top.total, serviceAccount };
}

/** The stored pattern covers the same hours (first and last failure hour) with the same kind. */
function sameHours(s: StoredPattern, p: DetectedIncident): boolean {
  return (
    hourOf(s.first_seen.getTime()) === p.from &&
    hourOf(s.last_seen.getTime() - 1) === p.lastHour &&
    s.kind === p.kind
  );
}

/** The same start and scope: its onset and suspects stand. */
function sameStart(s: StoredPattern, p: Placed): boolean {
  return (
    hourOf(s.first_seen.getTime()) === p.from &&
    s.scope_kind === p.storeScopeKind &&
    s.scope_value === p.storeScopeValue
  );
}

/**
 * A growing pattern's counts, samples, users and values are read again after BODY_EVERY_MS more hours of failures,
 * and once more when it resolves; in between its figures come from what detection counted.
 */
const BODY_EVERY_MS = 6 * HOUR;

function bodyDue(s: StoredPattern, p: Placed): boolean {
  if (p.status === "resolved" && s.status !== "resolved") return true;
  const bodyAt = s.body_at?.getTime() ?? Number.NEGATIVE_INFINITY;
  return p.to - bodyAt >= BODY_EVERY_MS;
}

/** What detection itself knows of a growing pattern: its end, status, kind, peak, and its count for a scope the
 * rollups count (a user's pattern keeps its count until its evidence is read again). */
async function updateFigures(db: Db, s: StoredPattern, p: Placed, timeZone: string): Promise<void> {
  const count = p.storeScopeKind === "user" ? s.event_count : p.failures;
  await db`
    update patterns set status = ${p.status}, kind = ${p.kind}, last_seen = ${iso(p.to)}::timestamptz,
      failures_24h = ${p.failures24h}, event_count = ${count}, peak_score = ${p.peakScore},
      baseline = ${p.baseline}, evidence = ${summarize(p, s.first_seen.getTime(), count, timeZone)}, updated_at = now()
    where id = ${s.id}::uuid`;
}

async function savePattern(
  db: Db,
  p: Placed,
  timeZone: string,
  resolveUser: UserNameLookup | undefined,
  what: "all" | "body",
): Promise<void> {
  const window: PatternWindow & { clientFilter?: string | null } = {
    sourceId: p.sourceId,
    realm: p.realm,
    cause: p.cause,
    scopeKind: p.storeScopeKind,
    scopeValue: p.storeScopeValue,
    firstSeen: p.from,
    lastSeen: p.to,
    status: p.status,
    peakScore: p.peakScore,
    baseline: p.baseline,
    clientFilter: p.clientFilter,
  };
  const evidence =
    what === "all"
      ? await collectPatternEvidence(db, window, resolveUser)
      : { ...(await collectPatternBody(db, window)), onset: null, suspectedChanges: null };
  // The onset to the millisecond when its events are stored; the hour otherwise (kept after retention).
  const firstSeen =
    evidence.onset !== null && hourOf(evidence.onset) === p.from
      ? evidence.onset
      : (p.stored?.first_seen.getTime() ?? p.from);
  // A pattern whose start stands keeps its suspects.
  const keepSuspects = evidence.suspectedChanges === null;
  const clientId = p.clientFilter ?? evidence.clientId;
  const text = summarize(p, firstSeen, evidence.eventCount, timeZone);
  const [saved] = await db<{ id: string }[]>`
    insert into patterns (id, source_id, realm, cause, scope_kind, scope_value, client_id, user_id, status, kind,
                          first_seen, last_seen, event_count, affected_users, affected_clients, failures_24h,
                          peak_score, baseline, sample_event_ids, sample_event_times, suspected_changes,
                          evidence_values, evidence, body_at, updated_at)
    values (${p.stored?.id ?? randomUUID()}::uuid, ${p.sourceId}::uuid, ${p.realm}, ${p.cause}, ${p.storeScopeKind},
            ${p.storeScopeValue}, ${clientId}, ${evidence.userId}, ${p.status}, ${p.kind},
            ${iso(firstSeen)}::timestamptz, ${iso(p.to)}::timestamptz, ${evidence.eventCount},
            ${evidence.affectedUsers}, ${evidence.affectedClients}, ${p.failures24h}, ${p.peakScore}, ${p.baseline},
            ${evidence.sampleEventIds}::text[], ${evidence.sampleEventTimes.map(iso)}::timestamptz[],
            ${db.json((evidence.suspectedChanges ?? []) as unknown as postgres.JSONValue)},
            ${db.json(evidence.evidenceValues as unknown as postgres.JSONValue)}, ${text},
            ${iso(p.to)}::timestamptz, now())
    on conflict (id) do update set
      scope_kind = excluded.scope_kind, scope_value = excluded.scope_value, first_seen = excluded.first_seen,
      status = excluded.status, kind = excluded.kind, last_seen = excluded.last_seen, client_id = excluded.client_id,
      user_id = excluded.user_id, event_count = excluded.event_count, affected_users = excluded.affected_users,
      affected_clients = excluded.affected_clients, failures_24h = excluded.failures_24h,
      peak_score = excluded.peak_score, baseline = excluded.baseline, sample_event_ids = excluded.sample_event_ids,
      sample_event_times = excluded.sample_event_times,
      suspected_changes = ${keepSuspects ? db`patterns.suspected_changes` : db`excluded.suspected_changes`},
      evidence_values = excluded.evidence_values, evidence = excluded.evidence, body_at = excluded.body_at,
      updated_at = now()
    returning id`;
  // Counted from the start of the onset's hour: the rollups the counts partly come from are minute- and
  // hour-grained, and the pattern has no failure before its onset anyway.
  if (saved) await savePatternContributors(db, saved.id, window);
}

const count = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const small = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });

/** The incident in one sentence: how many failures, over how long, how they ran. */
function summarize(p: Placed, firstSeen: number, failures: number, timeZone: string): string {
  const hours = Math.max(1, Math.round((p.to - p.from) / HOUR));
  const span = hours >= 48 ? `${Math.round(hours / 24)} days` : `${hours} hour${hours === 1 ? "" : "s"}`;
  const since = new Intl.DateTimeFormat("en-GB", {
    timeZone,
    weekday: "short",
    day: "numeric",
    month: "short",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(firstSeen);
  const total = count.format(Math.max(failures, p.failures));
  if (p.kind === "chronic")
    return `${total} failures over ${span} since ${since}, a steady ${small.format(p.failures / Math.max(1, p.elevatedHours))} an hour in the hours it failed; it never spiked`;
  const usual =
    p.baseline > 0 ? ` where about ${small.format(p.baseline)} are usual` : " where none are usual";
  return `${total} failures over ${span} since ${since}, up to ${count.format(p.peakFailures)} in an hour${usual}`;
}
