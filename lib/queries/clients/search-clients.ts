import type postgres from "postgres";
import { coverRange } from "@/lib/analytics/rollup-plan";
import {
  agentName,
  apiDetails,
  apiNames,
  newestFirst,
  realmTimeRange,
  refusedFailure,
  tokenlessFailure,
} from "@/lib/queries/drilldown/clients-in-details";
import { coverRows, type Db } from "@/lib/queries/filters";
import type { TimeRange } from "@/lib/time/time-buckets";

export interface ClientSearchParams {
  /** Part of a clientId, matched case-insensitively anywhere in it. */
  q: string;
  sourceId?: string;
  realm?: string;
  range: TimeRange;
  limit?: number;
  /** Refused and tokenless failures examined per realm, each, newest first (default 5,000). */
  scanLimit?: number;
}

export interface ClientSearchHit {
  sourceId: string;
  realm: string;
  clientId: string;
  /** In the realm's client list (or named by an admin event): a client Keycloak has or had. */
  known: boolean;
  /** Failures filed under it as the caller, from the rollups. */
  failures: number;
  /** Failures of other callers refused by it as an API or audience, among the failures scanned. */
  refusals: number;
  /** Access-log failures without a token whose user agent names it, among the failures scanned, and the agents. */
  agentFailures: number;
  userAgents: string[];
}

export interface ClientSearchResult {
  hits: ClientSearchHit[];
  /** False when a realm had more failures naming clients in their details than were scanned. */
  complete: boolean;
}

export const SEARCH_SCAN_LIMIT = 5_000;

/**
 * Clients by part of their clientId: every client of the realms' client lists, every caller with failures in the
 * range, every API that only appears as the audience or required client of refused tokens, and every caller known
 * only by its user agent in access logs. Exact and prefix matches first, then by failures.
 */
export async function searchClients(db: Db, params: ClientSearchParams): Promise<ClientSearchResult> {
  const q = params.q.trim().toLowerCase();
  const limit = Math.min(Math.max(1, params.limit ?? 50), 200);
  const scanLimit = Math.max(1, params.scanLimit ?? SEARCH_SCAN_LIMIT);
  if (q === "") return { hits: [], complete: true };
  const scope = { sourceId: params.sourceId, realm: params.realm };
  const source = (column: string) =>
    params.sourceId ? db`and ${db(column)} = ${params.sourceId}::uuid` : db``;
  const realm = (column: string) =>
    params.realm !== undefined ? db`and ${db(column)} = ${params.realm}` : db``;
  const matches = (column: postgres.Fragment) => db`strpos(lower(${column}), ${q}) > 0`;
  const refused = apiDetails(db, "e");

  const [listed, failing, named] = await Promise.all([
    db<{ source_id: string; realm: string; client_id: string }[]>`
      select r.source_id, r.name as realm, c.value as client_id
      from realms as r
      cross join lateral jsonb_each_text(
        case when jsonb_typeof(r.client_ids) = 'object' then r.client_ids else '{}'::jsonb end) as c
      where ${matches(db`c.value`)} ${source("r.source_id")} ${realm("r.name")}
      union
      select source_id, realm, name from entity_names
      where kind = 'client' and ${matches(db`name`)} ${source("source_id")} ${realm("realm")}`,
    db<{ source_id: string; realm: string; client_id: string; failures: number }[]>`
      select source_id, realm, client_id, sum(failures)::int as failures
      from (${coverRows(db, coverRange(params.range), db`source_id, realm, client_id, failures`, scope)}) as f
      where client_id <> '' and ${matches(db`client_id`)}
      group by source_id, realm, client_id
      having sum(failures) > 0`,
    // Per realm, its newest failures that name clients in their details: the index on (realm, time) serves each.
    newestFirst(
      db,
      (tx) => tx<
        {
          source_id: string | null;
          realm: string;
          name: string | null;
          as_api: number;
          by_agent: number;
          agents: string[];
          scanned: number | null;
        }[]
      >`
      with realms_in_scope as (
        select name as realm from realms where true ${source("source_id")} ${realm("name")}
        union
        select realm from sync_streams where true ${source("source_id")} ${realm("realm")}
      ),
      -- Per realm its newest refused and tokenless failures, each read through its partial index on (realm, time).
      scanned as (
        select e.source_id, r.realm, true as as_api, e.audience, e.required, null::text as user_agent, e.scanned
        from realms_in_scope as r
        cross join lateral (
          select x.*, count(*) over () as scanned
          from (select e.source_id, ${refused.audience} as audience, ${refused.required} as required
                from user_events as e
                where ${realmTimeRange(db, "e", db`r.realm`, params.range)} and ${refusedFailure(db, "e")}
                order by e.realm desc, e.time desc
                limit ${scanLimit}) as x) as e
        where true ${source("e.source_id")}
        union all
        select e.source_id, r.realm, false, null, null, e.user_agent, e.scanned
        from realms_in_scope as r
        cross join lateral (
          select x.*, count(*) over () as scanned
          from (select e.source_id, e.details ->> 'user_agent' as user_agent from user_events as e
                where ${realmTimeRange(db, "e", db`r.realm`, params.range)} and ${tokenlessFailure(db, "e")}
                order by e.realm desc, e.time desc
                limit ${scanLimit}) as x) as e
        where true ${source("e.source_id")}
      ),
      names as (
        select s.source_id, s.realm, api.name, true as as_api, null::text as agent, s.scanned
        from scanned as s cross join lateral ${apiNames(db, db`s.audience`, db`s.required`)} as api
        where s.as_api
        union all
        select s.source_id, s.realm, ${agentName(db, db`s.user_agent`)}, false, s.user_agent, s.scanned
        from scanned as s where not s.as_api
      )
      select source_id, realm, name, (count(*) filter (where as_api))::int as as_api,
             (count(*) filter (where not as_api))::int as by_agent,
             coalesce(array_agg(distinct agent) filter (where agent is not null), '{}') as agents,
             null::int as scanned
      from names
      where name is not null and ${matches(db`name`)}
      group by source_id, realm, name
      union all
      select null, realm, null, 0, 0, '{}', max(scanned)::int from scanned group by realm, as_api`,
    ),
  ]);

  const hits = new Map<string, ClientSearchHit>();
  const hit = (sourceId: string, realmName: string, clientId: string) => {
    const key = JSON.stringify([sourceId, realmName, clientId]);
    let h = hits.get(key);
    if (!h) {
      h = {
        sourceId,
        realm: realmName,
        clientId,
        known: false,
        failures: 0,
        refusals: 0,
        agentFailures: 0,
        userAgents: [],
      };
      hits.set(key, h);
    }
    return h;
  };
  for (const r of listed) hit(r.source_id, r.realm, r.client_id).known = true;
  for (const r of failing) hit(r.source_id, r.realm, r.client_id).failures += r.failures;
  for (const r of named) {
    const name = r.name;
    if (name === null || r.source_id === null) continue;
    // A user agent names its product in any case ("Acme-Reporting/2.4"): it joins the client of that name.
    const same = [...hits.values()].find(
      (h) =>
        h.sourceId === r.source_id && h.realm === r.realm && h.clientId.toLowerCase() === name.toLowerCase(),
    );
    const h = same ?? hit(r.source_id, r.realm, name);
    h.refusals += r.as_api;
    h.agentFailures += r.by_agent;
    h.userAgents = [...new Set([...h.userAgents, ...r.agents])].sort();
  }
  const rank = (h: ClientSearchHit) => {
    const id = h.clientId.toLowerCase();
    return id === q ? 0 : id.startsWith(q) ? 1 : 2;
  };
  const total = (h: ClientSearchHit) => h.failures + h.refusals + h.agentFailures;
  return {
    hits: [...hits.values()]
      .sort(
        (a, b) =>
          rank(a) - rank(b) ||
          total(b) - total(a) ||
          (a.clientId < b.clientId ? -1 : a.clientId > b.clientId ? 1 : 0) ||
          (a.realm < b.realm ? -1 : a.realm > b.realm ? 1 : 0),
      )
      .slice(0, limit),
    complete: named.every((r) => r.scanned === null || r.scanned < scanLimit),
  };
}
