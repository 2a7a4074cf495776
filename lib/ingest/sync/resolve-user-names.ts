import type postgres from "postgres";
import { saveEntityNames } from "@/lib/ingest/write/save-entity-names";
import type { KeycloakSession } from "@/lib/keycloak/session";
import { entityKey, lookupEntityNames, type UserNameLookup } from "@/lib/queries/names/entity-names";
import { listSources } from "@/lib/sources/read-sources";
import { sessionFor } from "@/lib/sources/source-session";

/**
 * Usernames realmwatch has never seen in an event (the administrators who make admin changes usually live in the
 * master realm, whose logins may not be synced) asked of Keycloak once each: GET /admin/realms/{realm}/users/{id}
 * with the source's service account (needs view-users there). Answers are kept in entity_names, so a name is asked
 * for once; a failure is remembered for this resolver's life only, and never throws.
 */
export function createUserNameResolver(sql: postgres.Sql, opts: { timeoutMs?: number } = {}): UserNameLookup {
  const sessions = new Map<string, Promise<KeycloakSession | null>>();
  const asked = new Map<string, Promise<string | null>>();
  const realmLists = new Map<string, Promise<Map<string, string>>>();
  /** Realm id to name, from GET /admin/realms (the realms the service account can see). */
  const realmNameOf = async (sourceId: string, id: string): Promise<string | null> => {
    let list = realmLists.get(sourceId);
    if (!list) {
      list = (async () => {
        const session = await sessionOf(sourceId);
        if (!session) return new Map<string, string>();
        try {
          const realms = await session.listRealms();
          return new Map(
            realms.flatMap((r) => (r.id && r.realm ? [[r.id, r.realm] as [string, string]] : [])),
          );
        } catch {
          return new Map<string, string>();
        }
      })();
      realmLists.set(sourceId, list);
    }
    return (await list).get(id) ?? null;
  };
  const sessionOf = (sourceId: string) => {
    let s = sessions.get(sourceId);
    if (!s) {
      s = listSources(sql, sourceId)
        .then(([source]) =>
          source ? sessionFor(source, { timeoutMs: opts.timeoutMs ?? 5_000, retries: 1 }) : null,
        )
        .catch(() => null);
      sessions.set(sourceId, s);
    }
    return s;
  };
  const user = (sourceId: string, realm: string, userId: string) => {
    const key = JSON.stringify([sourceId, realm, userId]);
    let answer = asked.get(key);
    if (!answer) {
      answer = (async () => {
        const ref = { sourceId, realm, kind: "user" as const, id: userId };
        const known = (await lookupEntityNames(sql, [ref])).get(entityKey(ref));
        if (known) return known;
        const session = await sessionOf(sourceId);
        if (!session) return null;
        try {
          const user = await session.getUser(realm, userId);
          const username = typeof user?.username === "string" ? user.username.slice(0, 200) : null;
          if (username)
            await saveEntityNames(sql, sourceId, realm, [{ kind: "user", id: userId, name: username }], 0);
          return username;
        } catch {
          return null;
        }
      })();
      asked.set(key, answer);
    }
    return answer;
  };
  const admin = async (sourceId: string, realmId: string, userId: string) => {
    const named = await realmNameOf(sourceId, realmId);
    const source = named ? null : (await listSources(sql, sourceId).catch(() => []))[0];
    const candidates = named ? [named] : [...new Set([source?.auth_realm ?? "master", "master"])];
    for (const realm of candidates) {
      const username = await user(sourceId, realm, userId);
      if (username) return { realm, username };
    }
    return null;
  };
  return { user, admin };
}
