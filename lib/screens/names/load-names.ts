import type postgres from "postgres";
import type { EntityKind } from "@/lib/analytics/admin-names";
import { maskPersonal } from "@/lib/auth/personal-data";
import type { Role } from "@/lib/auth/roles";
import {
  type EntityRef,
  entityKey,
  lookupEntityNames,
  lookupRealmNames,
} from "@/lib/queries/names/entity-names";
import { idsInPath } from "./named-parts";

/** The admin behind an admin event: authDetails.userId lives in the realm whose Keycloak id is authDetails.realmId. */
export interface AdminRef {
  sourceId: string;
  /** The realm the event was recorded in, and its Keycloak id. */
  realm: string;
  realmId: string | null;
  authRealmId: string | null;
  userId: string;
}

/** An admin as a person sees them: the username masked for the viewer's role, the id for hover, the realm they belong to. */
export interface AdminShown {
  name: string | null;
  /** Null only for an admin known by name alone (a suspect whose admin event is gone). */
  id: string | null;
  realm: string | null;
}

export interface Names {
  /** The last known name of an object; usernames raw (mask them for the viewer's role). */
  entity(ref: EntityRef): string | null;
  admin(ref: AdminRef): { username: string | null; realm: string | null };
}

/** Names of clients, users, roles... and of admins, in two round trips at most (realm names, then all names). */
export async function loadNames(
  sql: postgres.Sql,
  request: { entities?: readonly EntityRef[]; admins?: readonly AdminRef[] },
): Promise<Names> {
  const admins = request.admins ?? [];
  const realmIdsBySource = new Map<string, Set<string>>();
  for (const a of admins) {
    if (!a.authRealmId) continue;
    const set = realmIdsBySource.get(a.sourceId) ?? new Set<string>();
    set.add(a.authRealmId);
    realmIdsBySource.set(a.sourceId, set);
  }
  const realmNames = new Map<string, string>();
  await Promise.all(
    [...realmIdsBySource].map(async ([sourceId, ids]) => {
      for (const [id, name] of await lookupRealmNames(sql, sourceId, [...ids]))
        realmNames.set(`${sourceId}/${id}`, name);
    }),
  );
  const adminRealm = (a: AdminRef): string | null =>
    (a.authRealmId ? realmNames.get(`${a.sourceId}/${a.authRealmId}`) : undefined) ??
    (a.authRealmId !== null && a.authRealmId === a.realmId ? a.realm : null);
  // Ids are UUIDs: an admin whose realm is not synced is still found if the same id is known in the event's realm.
  const adminRefs = (a: AdminRef): EntityRef[] => {
    const realm = adminRealm(a);
    const own = { sourceId: a.sourceId, kind: "user" as const, id: a.userId };
    return realm && realm !== a.realm
      ? [
          { ...own, realm },
          { ...own, realm: a.realm },
        ]
      : [{ ...own, realm: a.realm }];
  };
  const found = await lookupEntityNames(sql, [...(request.entities ?? []), ...admins.flatMap(adminRefs)]);
  return {
    entity: (ref) => found.get(entityKey(ref)) ?? null,
    admin: (a) => ({
      username: adminRefs(a).reduce<string | null>(
        (name, ref) => name ?? found.get(entityKey(ref)) ?? null,
        null,
      ),
      realm: adminRealm(a),
    }),
  };
}

/** The objects the resource paths name, to look up in one go. */
export function pathRefs(
  items: readonly { sourceId: string; realm: string; path: string | null }[],
): EntityRef[] {
  return items.flatMap(({ sourceId, realm, path }) =>
    idsInPath(path).map(({ kind, id }) => ({ sourceId, realm, kind, id })),
  );
}

/** Names for the parts of a path of one realm, users masked for the role; ids of no known kind stay unnamed. */
export function realmNamer(
  names: Names,
  sourceId: string,
  realm: string,
  role: Role,
): (kind: EntityKind | null, id: string) => string | null {
  return (kind, id) => {
    if (!kind) return null;
    const name = names.entity({ sourceId, realm, kind, id });
    return kind === "user" ? maskPersonal(name, "username", role) : name;
  };
}

export function adminShown(names: Names, ref: AdminRef, role: Role): AdminShown {
  const { username, realm } = names.admin(ref);
  return { name: maskPersonal(username, "username", role), id: ref.userId, realm };
}
