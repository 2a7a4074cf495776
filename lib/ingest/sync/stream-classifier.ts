import type postgres from "postgres";
import type { ClassifyContext } from "@/lib/classify/types";
import { saveEntityNames } from "@/lib/ingest/write/save-entity-names";
import type { UserEventRow } from "@/lib/keycloak/event-rows";
import { resolveEntry } from "@/lib/keycloak/redirect-uris";
import type { KeycloakSession } from "@/lib/keycloak/session";

/**
 * Classification with the realm's context. An `invalid_redirect_uri` whose URI differs from a registered one
 * only in scheme, host or port points at a proxy, not at a missing registration; the catalogue decides that
 * from `registeredRedirectUris`. The registered URIs come from the clients' configuration, read once per
 * stream run (needs view-clients); without that role, the redirect URIs of the client's successful logins
 * stand in for them (loaded from stored events, then learned page by page).
 */
const MAX_URIS_PER_CLIENT = 50;

export async function streamClassifier(
  sql: postgres.Sql,
  sourceId: string,
  realm: string,
  classify: (row: UserEventRow, ctx?: ClassifyContext) => void,
  session?: KeycloakSession,
): Promise<(row: UserEventRow) => void> {
  const configured = session ? await readClients(sql, session, sourceId, realm) : null;
  const known = new Map<string, Set<string>>();
  const learn = (clientId: string, uri: string) => {
    let set = known.get(clientId);
    if (!set) {
      set = new Set();
      known.set(clientId, set);
    }
    if (set.size < MAX_URIS_PER_CLIENT) set.add(uri);
  };
  const rows = await sql<{ client_id: string; uri: string }[]>`
    select distinct client_id, details->>'redirect_uri' as uri from user_events
    where source_id = ${sourceId} and realm = ${realm} and not is_failure and client_id is not null
      and details ? 'redirect_uri' and time > now() - interval '30 days'
    limit 2000`;
  for (const r of rows) learn(r.client_id, r.uri);

  return (row) => {
    const uri = row.details?.redirect_uri;
    if (!row.isFailure) {
      if (uri && row.clientId) learn(row.clientId, uri);
      return;
    }
    const registered = row.clientId ? (configured?.get(row.clientId) ?? known.get(row.clientId)) : undefined;
    classify(row, registered ? { registeredRedirectUris: [...registered] } : undefined);
  };
}

/**
 * The realm's clients (needs view-clients): their registered redirect URIs for classification, and the
 * UUID-to-clientId map kept on the realm so admin events (which name clients by UUID) can be matched to the
 * clients of a spike.
 */
async function readClients(
  sql: postgres.Sql,
  session: KeycloakSession,
  sourceId: string,
  realm: string,
): Promise<Map<string, Set<string>> | null> {
  try {
    const clients = await session.listClients(realm, { max: 2000 });
    const uris = new Map<string, Set<string>>();
    const ids: Record<string, string> = {};
    for (const c of clients) {
      if (!c.clientId) continue;
      if (c.id) ids[c.id] = c.clientId;
      // Relative entries are resolved with the client's Root URL, as RedirectUtils does.
      if (Array.isArray(c.redirectUris))
        uris.set(
          c.clientId,
          new Set(
            c.redirectUris
              .slice(0, MAX_URIS_PER_CLIENT)
              .map((e) => resolveEntry(e, { rootUrl: c.rootUrl ?? null }) ?? e),
          ),
        );
    }
    await sql`
      insert into realms (source_id, name, client_ids) values (${sourceId}, ${realm}, ${sql.json(ids)})
      on conflict (source_id, name) do update set client_ids = excluded.client_ids`;
    // Kept apart from the current list: a deleted client keeps its last name on old admin events.
    await saveEntityNames(
      sql,
      sourceId,
      realm,
      Object.entries(ids).map(([id, name]) => ({ kind: "client" as const, id, name })),
      Date.now(),
    );
    return uris;
  } catch {
    return null; // no view-clients: fall back to the URIs of successful logins
  }
}
