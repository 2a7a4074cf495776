import type postgres from "postgres";
import { agentNameOf, apiNamesOf, namedInDetails } from "@/lib/analytics/queries/clients-in-details";
import { coverRows, type Db, iso } from "@/lib/analytics/queries/filters";
import { coverRange } from "@/lib/analytics/rollup-plan";
import type { TimeRange } from "@/lib/analytics/time-buckets";

export interface ClientSearchParams {
  /** Part of a clientId, matched case-insensitively anywhere in it. */
  q: string;
  sourceId?: string;
  realm?: string;
  range: TimeRange;
  limit?: number;
  /** Failures naming clients in their details read per realm, newest first (default 2,000). */
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

const SCAN_LIMIT = 2_000;

/**
 * Clients by part of their clientId: every client of the realms' client lists, every caller with failures in the
 * range, every API that only appears as the audience or required client of refused tokens, and every caller known
 * only by its user agent in access logs. Exact and prefix matches first, then by failures.
 */
export async function searchClients(db: Db, params: ClientSearchParams): Promise<ClientSearchResult> {
  const q = params.q.trim().toLowerCase();
  const limit = Math.min(Math.max(1, params.limit ?? 50), 200);
  const scanLimit = Math.max(1, params.scanLimit ?? SCAN_LIMIT);
  if (q === "") return { hits: [], complete: true };
  const scope = { sourceId: params.sourceId, realm: params.realm };
  const source = (column: string) =>
    params.sourceId ? db`and ${db(column)} = ${params.sourceId}::uuid` : db``;
  const realm = (column: string) =>
    params.realm !== undefined ? db`and ${db(column)} = ${params.realm}` : db``;
  const matches = (column: postgres.Fragment) => db`strpos(lower(${column}), ${q}) > 0`;

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
    db<
      {
        source_id: string;
        realm: string;
        name: string | null;
        as_api: number;
        by_agent: number;
        agents: string[];
        scanned: number | null;
      }[]
    >`
      with realms_in_scope as (
        select source_id, name as realm from realms where true ${source("source_id")} ${realm("name")}
        union
        select source_id, realm from sync_streams where true ${source("source_id")} ${realm("realm")}
      ),
      scanned as (
        select r.source_id, r.realm, e.origin, e.client_id, e.details, count(*) over (partition by r.source_id, r.realm) as scanned
        from realms_in_scope as r
        cross join lateral (
          select e.origin, e.client_id, e.details from user_events as e
          where e.realm = r.realm and e.source_id = r.source_id
            and e.time >= ${iso(params.range.from)}::timestamptz and e.time < ${iso(params.range.to)}::timestamptz
            and ${namedInDetails(db, "e")}
          order by e.time desc
          limit ${scanLimit}) as e
      ),
      names as (
        select s.source_id, s.realm, api.name, true as as_api, null::text as agent, s.scanned
        from scanned as s cross join lateral ${apiNamesOf(db, "s")} as api
        union all
        select s.source_id, s.realm, ${agentNameOf(db, "s")}, false, s.details ->> 'user_agent', s.scanned
        from scanned as s where s.origin = 'access-log' and s.client_id is null
      )
      select source_id, realm, name, (count(*) filter (where as_api))::int as as_api,
             (count(*) filter (where not as_api))::int as by_agent,
             coalesce(array_agg(distinct agent) filter (where agent is not null), '{}') as agents,
             null::int as scanned
      from names
      where name is not null and ${matches(db`name`)}
      group by source_id, realm, name
      union all
      select source_id, realm, null, 0, 0, '{}', max(scanned)::int from scanned group by source_id, realm`,
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
    if (name === null) continue;
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
