import type postgres from "postgres";
import { correlateAdminEvents, type NameBook, type SuspectedChange } from "@/lib/analytics/admin-correlation";
import type { EntityKind } from "@/lib/analytics/admin-names";
import { ALL_CLIENTS } from "@/lib/analytics/incidents";
import type { PatternWindow } from "@/lib/analytics/patterns";
import { coverRange } from "@/lib/analytics/rollup-plan";
import { userIdIs } from "@/lib/db/user-hash";
import { type AnalyticsFilter, coverRows, type Db, eventFilter, iso } from "@/lib/queries/filters";
import {
  entityKey,
  lookupEntityNames,
  lookupRealmNames,
  type UserNameLookup,
} from "@/lib/queries/names/entity-names";

/** [key, value, failures]: what a pattern's failures carry, most frequent first per key. */
export type EvidenceValue = [string, string, number];

/** What a pattern's failures hold, read again as the pattern grows (at most every few hours). */
export interface PatternBody {
  eventCount: number;
  /** Users among its newest USER_SCAN_LIMIT failures (all of them for most patterns). */
  affectedUsers: number;
  affectedClients: number;
  sampleEventIds: string[];
  sampleEventTimes: number[];
  /** The client of a client-scoped pattern, or the client with most failures in a realm- or user-scoped one. */
  clientId: string | null;
  userId: string | null;
  evidenceValues: EvidenceValue[];
}

/** How a pattern began: its first failure and the admin changes around it. Read once, when its start is known. */
export interface PatternOnset {
  /** The first failure's exact time, or null when its events are gone. */
  onset: number | null;
  suspectedChanges: SuspectedChange[];
}

export type PatternEvidence = PatternBody & PatternOnset;

const HOUR = 3_600_000;
/** Admin changes this long before the onset are looked at, and up to ADMIN_LOOKAHEAD after it. */
export const ADMIN_LOOKBACK = 24 * HOUR;
export const ADMIN_LOOKAHEAD = 2 * HOUR;
/** Who and what a pattern hit at its start, for ranking the changes before it: its first hours. */
export const ONSET_WINDOW = 6 * HOUR;
export const USER_SCAN_LIMIT = 20_000;
const VALUES_PER_KEY = 5;
const MAX_VALUE = 300;

/** The filter selecting a pattern's failures: its source, realm, cause and scope. */
export function patternFilter(p: PatternWindow): AnalyticsFilter & { userId?: string } {
  const filter: AnalyticsFilter & { userId?: string } = {
    sourceId: p.sourceId,
    realm: p.realm,
    cause: p.cause,
  };
  if (p.scopeKind === "client") filter.clientId = p.scopeValue;
  // A realm's pattern is made of the failures that name no client (a client's failures have their own patterns),
  // or of every client's when one problem hit many of them (ALL_CLIENTS).
  if (p.scopeKind === "realm" && p.scopeValue !== ALL_CLIENTS) filter.clientId = "";
  if (p.scopeKind === "user") filter.userId = p.scopeValue;
  return filter;
}

export function userCondition(db: Db, userId: string | undefined): postgres.Fragment {
  return userId === undefined ? db`` : db`and ${userIdIs(db, db`${userId}::text`)}`;
}

/**
 * What a pattern's failures carry, counted: Keycloak's own detail keys (reason, redirect_uri, audience...), what
 * access logs add (origin, user agent), what resource-server reports add (the required roles and the token's
 * claims), and the endpoint. Read by the fix pages (issue evidence) and by the correlation (the clients the
 * failures name besides the caller).
 */
const DETAIL_KEYS = [
  "reason",
  "redirect_uri",
  "audience",
  "subject_token_client_id",
  "requested_issuer",
  "scope",
  "grant_type",
  "auth_method",
  "client_auth_method",
  "permission",
  "origin",
  "user_agent",
  "host",
] as const;

function scopeOf(p: PatternWindow & { clientFilter?: string | null }) {
  const filter = patternFilter(p);
  // A user's pattern found in one client's failures stays within that client.
  if (p.scopeKind === "user" && p.clientFilter) filter.clientId = p.clientFilter;
  const rollupFilter = p.scopeKind === "user" ? { ...filter, userId: undefined } : filter;
  return { filter, rollupFilter };
}

/**
 * What a pattern's window holds: how many failures, users and clients, a few sample events, the values its
 * failures carry. Counts come from the rollups where the scope allows (a client, a realm), users and values from
 * the newest USER_SCAN_LIMIT failures: the cost stays flat however long the pattern runs.
 */
export async function collectPatternBody(
  db: Db,
  p: PatternWindow & { clientFilter?: string | null },
): Promise<PatternBody> {
  const { filter, rollupFilter } = scopeOf(p);
  const from = iso(p.firstSeen);
  const to = iso(Math.max(p.lastSeen, p.firstSeen + 1));
  const inWindow = db`time >= ${from}::timestamptz and time < ${to}::timestamptz and is_failure
                      ${eventFilter(db, filter)} ${userCondition(db, filter.userId)}`;
  const cover = coverRange({ from: p.firstSeen, to: p.lastSeen });
  const [rollupCounts, userCount, samples, clients, users, values] = await Promise.all([
    db<{ failures: number; clients: number }[]>`
      select coalesce(sum(failures), 0)::int as failures, count(distinct client_id) filter (where failures > 0)::int as clients
      from (${coverRows(db, cover, db`client_id, failures`, rollupFilter)}) as c`,
    p.scopeKind === "user"
      ? db<{ events: number }[]>`select count(*)::int as events from user_events where ${inWindow}`
      : Promise.resolve([]),
    db<
      { id: string; time: Date }[]
    >`select id, time from user_events where ${inWindow} order by time desc limit 5`,
    db<{ client_id: string; failures: number }[]>`
      select client_id, sum(failures)::int as failures
      from (${coverRows(db, cover, db`client_id, failures`, rollupFilter)}) as c
      group by client_id having sum(failures) > 0 order by failures desc, client_id limit 10`,
    db<{ user_id: string; failures: number; users: number }[]>`
      select user_id, count(*)::int as failures, count(*) over ()::int as users
      from (select user_id from user_events where ${inWindow} order by time desc limit ${USER_SCAN_LIMIT}) as u
      where user_id is not null
      group by user_id order by failures desc, user_id limit 2`,
    db<{ k: string; v: string; n: number }[]>`
      with f as (
        select type, error, details, http_method, http_path, http_status
        from user_events where ${inWindow} order by time desc limit ${USER_SCAN_LIMIT}
      )
      select k, v, count(*)::int as n
      from (select d.k, left(d.v, ${MAX_VALUE}) as v
      from f cross join lateral (
        select key as k, f.details ->> key as v from unnest(${[...DETAIL_KEYS]}::text[]) as key
        union all select 'type', f.type
        union all select 'error', f.error
        union all select 'endpoint', f.http_method || ' ' || f.http_path
        union all select 'status', f.http_status::text
        union all select 'required', f.details ->> 'required'
        union all select 'token_claims', f.details ->> 'token_claims'
      ) as d
      where d.v is not null and d.v <> '') as x
      group by k, v
      order by k, n desc, v
      limit 2000`,
  ]);
  const topClient = clients.find((c) => c.client_id !== "")?.client_id ?? null;
  return {
    eventCount: p.scopeKind === "user" ? (userCount[0]?.events ?? 0) : (rollupCounts[0]?.failures ?? 0),
    affectedUsers: users[0]?.users ?? 0,
    affectedClients: rollupCounts[0]?.clients ?? 0,
    sampleEventIds: samples.map((s) => s.id),
    sampleEventTimes: samples.map((s) => s.time.getTime()),
    clientId: p.scopeKind === "client" ? p.scopeValue : topClient,
    userId: p.scopeKind === "user" ? p.scopeValue : users.length === 1 ? users[0]!.user_id : null,
    evidenceValues: summarizeValues(values),
  };
}

/**
 * How a pattern began: its first failure to the millisecond, and the admin changes from a day before it into its
 * first hours ranked as suspects against the clients, users and event types of its first hours (ONSET_WINDOW), with
 * their names. Depends on the start only, so it is read once per pattern (again only if its start moves).
 */
export async function collectPatternOnset(
  db: Db,
  p: PatternWindow & { clientFilter?: string | null },
  resolveUser?: UserNameLookup,
): Promise<PatternOnset> {
  const { filter, rollupFilter } = scopeOf(p);
  const start = p.firstSeen;
  const until = Math.max(Math.min(p.lastSeen, start + ONSET_WINDOW), start + 1);
  const inStart = db`time >= ${iso(start)}::timestamptz and time < ${iso(until)}::timestamptz and is_failure
                     ${eventFilter(db, filter)} ${userCondition(db, filter.userId)}`;
  const cover = coverRange({ from: start, to: until });
  const [first, clients, users, types, values] = await Promise.all([
    db<{ time: Date }[]>`select time from user_events where ${inStart} order by time limit 1`,
    db<{ client_id: string; failures: number }[]>`
      select client_id, sum(failures)::int as failures
      from (${coverRows(db, cover, db`client_id, failures`, rollupFilter)}) as c
      group by client_id having sum(failures) > 0 order by failures desc, client_id limit 10`,
    db<{ user_id: string; username: string | null; failures: number }[]>`
      select user_id, max(username) as username, count(*)::int as failures
      from (select user_id, username from user_events where ${inStart} order by time limit ${USER_SCAN_LIMIT}) as u
      where user_id is not null
      group by user_id order by failures desc, user_id limit 500`,
    db<{ type: string }[]>`
      select type from (${coverRows(db, cover, db`type, failures`, rollupFilter)}) as t
      group by type having sum(failures) > 0 order by sum(failures) desc, type limit 5`,
    db<{ k: string; v: string; n: number }[]>`
      select k, v, count(*)::int as n from (
        select d.k, d.v from (select details from user_events where ${inStart} order by time limit 2000) as f
        cross join lateral (
          select key as k, f.details ->> key as v
          from unnest(${["audience", "subject_token_client_id", "required"]}::text[]) as key
        ) as d
        where d.v is not null and d.v <> '') as x
      group by k, v`,
  ]);
  const onset = first[0]?.time.getTime() ?? null;
  const total = users.reduce((sum, u) => sum + u.failures, 0);
  const clientTotal = clients.reduce((sum, c) => sum + c.failures, 0);
  const callers = clients.filter((c) => c.client_id !== "");
  const related = relatedClientIds(summarizeValues(values)).filter(
    (c) => !callers.some((x) => x.client_id === c),
  );

  const admin = await db<
    {
      id: string;
      time: Date;
      operation_type: string;
      resource_type: string | null;
      resource_path: string | null;
      representation: string | null;
      previous: string | null;
      auth_user_id: string | null;
      auth_realm_id: string | null;
    }[]
  >`
    select a.id, a.time, a.operation_type, a.resource_type, a.resource_path, a.representation,
           prev.representation as previous, a.auth_user_id, a.auth_realm_id
    from admin_events a
    left join lateral (
      select p.representation from admin_events p
      where p.source_id = a.source_id and p.realm = a.realm and p.resource_path = a.resource_path
        and p.time < a.time and p.representation is not null
      order by p.time desc limit 1
    ) prev on a.representation is not null
    where a.source_id = ${p.sourceId}::uuid and a.realm = ${p.realm}
      and a.time >= ${iso((onset ?? start) - ADMIN_LOOKBACK)}::timestamptz
      and a.time <= ${iso((onset ?? start) + ADMIN_LOOKAHEAD)}::timestamptz
    order by a.time, a.id
    limit 2000`;

  const book = await nameBook(
    db,
    p.sourceId,
    p.realm,
    admin,
    [...callers.map((c) => c.client_id), ...related],
    resolveUser,
  );
  const uuidOf = (clientId: string) => book.uuidOf.get(clientId) ?? null;
  const suspectedChanges = correlateAdminEvents(
    {
      onset: onset ?? start,
      latest: (onset ?? start) + ADMIN_LOOKAHEAD,
      causes: [{ cause: p.cause, share: 1 }],
      clients: callers.map((c) => ({
        clientId: c.client_id,
        uuid: uuidOf(c.client_id),
        share: clientTotal > 0 ? c.failures / clientTotal : 0,
      })),
      relatedClients: related.map((clientId) => ({ clientId, uuid: uuidOf(clientId) })),
      users: users.map((u) => ({
        userId: u.user_id,
        username: u.username ?? book.names.user?.(u.user_id) ?? null,
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
      by: a.auth_user_id ? (book.admins.get(a.auth_user_id) ?? a.auth_user_id) : null,
    })),
    {},
    book.names,
  );
  return { onset, suspectedChanges };
}

/** Both parts of a pattern's evidence. */
export async function collectPatternEvidence(
  db: Db,
  p: PatternWindow & { clientFilter?: string | null },
  resolveUser?: UserNameLookup,
): Promise<PatternEvidence> {
  const [body, onset] = await Promise.all([
    collectPatternBody(db, p),
    collectPatternOnset(db, p, resolveUser),
  ]);
  return { ...body, ...onset };
}

/**
 * Top values per key; the JSON a report stores (required roles, the token's claims) is read into the keys a
 * person and the checks use: required_role ("client:role" or "realm:role"), required_audience, required_scope,
 * token_aud, token_azp, token_iss, token_scope, token_role.
 */
export function summarizeValues(rows: readonly { k: string; v: string; n: number }[]): EvidenceValue[] {
  const counts = new Map<string, Map<string, number>>();
  const bump = (k: string, v: unknown, n: number) => {
    if (typeof v !== "string" && typeof v !== "number") return;
    const value = String(v).slice(0, MAX_VALUE);
    if (value === "") return;
    const m = counts.get(k) ?? new Map<string, number>();
    m.set(value, (m.get(value) ?? 0) + n);
    counts.set(k, m);
  };
  for (const { k, v, n } of rows) {
    if (k === "required") {
      const req = parseObject(v);
      for (const role of arrayOf(req?.realmRoles)) bump("required_role", `realm:${role}`, n);
      // Client roles come as objects ({ clientId, roles }), not strings.
      for (const entry of Array.isArray(req?.clientRoles) ? req.clientRoles.slice(0, 50) : []) {
        const e = entry as { clientId?: unknown; roles?: unknown };
        if (typeof e?.clientId !== "string") continue;
        for (const role of arrayOf(e.roles)) bump("required_role", `${e.clientId}:${role}`, n);
      }
      for (const aud of arrayOf(req?.audience)) bump("required_audience", aud, n);
      for (const scope of arrayOf(req?.scopes)) bump("required_scope", scope, n);
    } else if (k === "token_claims") {
      const c = parseObject(v);
      for (const aud of typeof c?.aud === "string" ? [c.aud] : arrayOf(c?.aud)) bump("token_aud", aud, n);
      bump("token_azp", c?.azp, n);
      bump("token_iss", c?.iss, n);
      bump("token_scope", c?.scope, n);
      for (const role of arrayOf(c?.realm_roles)) bump("token_role", `realm:${role}`, n);
      const byClient = c?.client_roles;
      if (byClient && typeof byClient === "object" && !Array.isArray(byClient)) {
        for (const [clientId, roles] of Object.entries(byClient as Record<string, unknown>))
          for (const role of arrayOf(roles)) bump("token_role", `${clientId}:${role}`, n);
      }
    } else bump(k, v, n);
  }
  const out: EvidenceValue[] = [];
  for (const [k, m] of [...counts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const top = [...m.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, VALUES_PER_KEY);
    for (const [v, n] of top) out.push([k, v, n]);
  }
  return out;
}

/** Clients the failures name besides their caller: audiences, an exchanged token's client, role owners. */
export function relatedClientIds(values: readonly EvidenceValue[]): string[] {
  const out = new Set<string>();
  for (const [k, v] of values) {
    if (k === "audience" || k === "subject_token_client_id" || k === "required_audience") out.add(v);
    if (k === "required_role" && !v.startsWith("realm:")) out.add(v.slice(0, v.lastIndexOf(":")));
  }
  out.delete("");
  return [...out].slice(0, 20);
}

function parseObject(text: string): Record<string, unknown> | null {
  if (text.length > 64 * 1024) return null;
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function arrayOf(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string").slice(0, 50) : [];
}

/**
 * Names for the correlation: clients (UUID <-> clientId), users, roles, mappers, client scopes and groups named
 * in the admin events' paths, and the admins who made them (in their own realm, usually master).
 */
async function nameBook(
  db: Db,
  sourceId: string,
  realm: string,
  admin: readonly {
    resource_path: string | null;
    auth_user_id: string | null;
    auth_realm_id: string | null;
  }[],
  clientIds: readonly string[],
  resolveUser?: UserNameLookup,
): Promise<{ names: NameBook; admins: Map<string, string>; uuidOf: Map<string, string> }> {
  const refs: { kind: EntityKind; id: string }[] = [];
  for (const a of admin) {
    const seg = (a.resource_path ?? "").split("?")[0]!.split("/");
    const [head, id, part, sub, subId] = seg;
    if (!id) continue;
    if (head === "clients") refs.push({ kind: "client", id });
    if (head === "users") refs.push({ kind: "user", id });
    if (head === "groups") refs.push({ kind: "group", id });
    if (head === "client-scopes") refs.push({ kind: "client-scope", id });
    if (head === "roles-by-id") refs.push({ kind: "role", id });
    if (part === "protocol-mappers" && sub === "models" && subId) refs.push({ kind: "mapper", id: subId });
    if (part === "role-mappings" && sub === "clients" && subId) refs.push({ kind: "client", id: subId });
    if ((part === "default-client-scopes" || part === "optional-client-scopes") && sub)
      refs.push({ kind: "client-scope", id: sub });
  }
  const authRealmIds = [...new Set(admin.flatMap((a) => (a.auth_realm_id ? [a.auth_realm_id] : [])))];
  const authRealms = await lookupRealmNames(db, sourceId, authRealmIds);
  const adminRefs = admin.flatMap((a) =>
    a.auth_user_id
      ? [
          {
            sourceId,
            realm:
              authRealms.get(a.auth_realm_id ?? "") ?? (a.auth_realm_id ? `id:${a.auth_realm_id}` : realm),
            kind: "user" as const,
            id: a.auth_user_id,
          },
        ]
      : [],
  );
  const [found, uuids] = await Promise.all([
    lookupEntityNames(db, [...refs.map((r) => ({ sourceId, realm, ...r })), ...adminRefs]),
    db<{ id: string; name: string }[]>`
      select id, name from entity_names
      where source_id = ${sourceId}::uuid and realm = ${realm} and kind = 'client'
        and name = any(${[...new Set(clientIds)]}::text[])
      order by seen_at`,
  ]);
  const get = (kind: EntityKind) => (id: string) => found.get(entityKey({ sourceId, realm, kind, id }));
  const admins = new Map<string, string>();
  for (const r of adminRefs) {
    // An admin of a realm realmwatch does not sync (usually master) is known by the realm's id only.
    const name = r.realm.startsWith("id:")
      ? (await resolveUser?.admin(r.sourceId, r.realm.slice(3), r.id))?.username
      : (found.get(entityKey(r)) ?? (await resolveUser?.user(r.sourceId, r.realm, r.id)) ?? undefined);
    if (name) admins.set(r.id, name);
  }
  for (const r of refs) {
    if (r.kind !== "user" || found.has(entityKey({ sourceId, realm, ...r }))) continue;
    const name = await resolveUser?.user(sourceId, realm, r.id);
    if (name) found.set(entityKey({ sourceId, realm, ...r }), name);
  }
  const uuidOf = new Map<string, string>();
  for (const u of uuids) uuidOf.set(u.name, u.id);
  return {
    names: {
      client: get("client"),
      user: get("user"),
      role: get("role"),
      mapper: get("mapper"),
      clientScope: get("client-scope"),
      group: get("group"),
    },
    admins,
    uuidOf,
  };
}
