import type { EntityKind } from "@/lib/analytics/admin-names";
import type { Db } from "@/lib/queries/filters";

/**
 * Names asked of Keycloak (lib/ingest/sync/resolve-user-names.ts): a user's username, a realm's name from its id
 * (admins usually live in master, which realmwatch may not sync). Null when it cannot be known (no access, deleted,
 * unreachable).
 */
export interface UserNameLookup {
  user(sourceId: string, realm: string, userId: string): Promise<string | null>;
  /**
   * An admin of a realm realmwatch knows only by id: Keycloak's realm list names it when the service account may
   * view it; otherwise (Keycloak lists realms it may not view without their id, RealmsAdminResource#toRealmRep)
   * the admin is looked for in the service account's own realm, then in master.
   */
  admin(
    sourceId: string,
    realmId: string,
    userId: string,
  ): Promise<{ realm: string; username: string } | null>;
}

export interface EntityRef {
  sourceId: string;
  /** The realm name the object lives in. */
  realm: string;
  kind: EntityKind;
  id: string;
}

export const entityKey = (r: EntityRef): string => JSON.stringify([r.sourceId, r.realm, r.kind, r.id]);

/**
 * The last known name of each object: entity_names first, then for users their latest username seen in events
 * (user_names), for clients the realm's client list read at sync. Objects never named stay out of the map.
 */
export async function lookupEntityNames(db: Db, refs: readonly EntityRef[]): Promise<Map<string, string>> {
  const unique = [...new Map(refs.map((r) => [entityKey(r), r])).values()];
  if (unique.length === 0) return new Map();
  const cols = {
    sources: unique.map((r) => r.sourceId),
    realms: unique.map((r) => r.realm),
    kinds: unique.map((r) => r.kind as string),
    ids: unique.map((r) => r.id),
  };
  const rows = await db<{ source_id: string; realm: string; kind: EntityKind; id: string; name: string }[]>`
    with wanted as (
      select * from unnest(${cols.sources}::uuid[], ${cols.realms}::text[], ${cols.kinds}::text[], ${cols.ids}::text[])
        as w(source_id, realm, kind, id)
    )
    select w.source_id, w.realm, w.kind, w.id,
           coalesce(
             (select e.name from entity_names e
              where e.source_id = w.source_id and e.realm = w.realm and e.kind = w.kind and e.id = w.id),
             case when w.kind = 'user' then
               (select n.username from user_names n
                where n.source_id = w.source_id and n.realm = w.realm and n.user_id = w.id
                order by n.last_seen desc limit 1) end,
             case when w.kind = 'client' then
               (select r.client_ids ->> w.id from realms r where r.source_id = w.source_id and r.name = w.realm) end
           ) as name
    from wanted w`;
  const out = new Map<string, string>();
  for (const r of rows) {
    if (r.name) out.set(entityKey({ sourceId: r.source_id, realm: r.realm, kind: r.kind, id: r.id }), r.name);
  }
  return out;
}

/** Realm names of Keycloak realm ids (admin events give the admin's realm as an id). */
export async function lookupRealmNames(
  db: Db,
  sourceId: string,
  keycloakIds: readonly string[],
): Promise<Map<string, string>> {
  const ids = [...new Set(keycloakIds.filter((id) => id !== ""))];
  if (ids.length === 0) return new Map();
  const rows = await db<{ keycloak_id: string; name: string }[]>`
    select keycloak_id, name from realms where source_id = ${sourceId}::uuid and keycloak_id = any(${ids}::text[])`;
  return new Map(rows.map((r) => [r.keycloak_id, r.name]));
}
