import type postgres from "postgres";

export interface UserKey {
  sourceId: string;
  realm: string;
  userId: string;
}

export const userKey = (k: UserKey) => `${k.sourceId}/${k.realm}/${k.userId}`;

/**
 * The latest username of each user, from user_names (raw: callers mask it with maskPersonal for the viewer's
 * role): events without a username of their own (CODE_TO_TOKEN, REFRESH_TOKEN, most _ERRORs after login) still
 * show who it was. Keyed by userKey().
 */
export async function lookupUsernames(
  sql: postgres.Sql,
  keys: readonly UserKey[],
): Promise<Map<string, string>> {
  const unique = [...new Map(keys.map((k) => [userKey(k), k])).values()];
  if (unique.length === 0) return new Map();
  const rows = await sql<{ source_id: string; realm: string; user_id: string; username: string }[]>`
    select distinct on (n.source_id, n.realm, n.user_id) n.source_id, n.realm, n.user_id, n.username
    from user_names n
    join unnest(${unique.map((k) => k.sourceId)}::uuid[], ${unique.map((k) => k.realm)}::text[],
                ${unique.map((k) => k.userId)}::text[]) as k(source_id, realm, user_id)
      on n.source_id = k.source_id and n.realm = k.realm and n.user_id = k.user_id
    order by n.source_id, n.realm, n.user_id, n.last_seen desc`;
  return new Map(
    rows.map((r) => [userKey({ sourceId: r.source_id, realm: r.realm, userId: r.user_id }), r.username]),
  );
}

/**
 * The latest username of user ids of rows that carry no source or realm (top lists across realms): ids are
 * UUIDs, so each is looked up in every realm of the scope, a primary-key probe per realm. Raw, keyed by user id.
 */
export async function lookupUsernamesInScope(
  sql: postgres.Sql,
  userIds: readonly string[],
  scope: { sourceId?: string | null; realm?: string | null },
): Promise<Map<string, string>> {
  const ids = [...new Set(userIds)];
  if (ids.length === 0) return new Map();
  const source = scope.sourceId ? sql`where source_id = ${scope.sourceId}::uuid` : sql``;
  const realms = scope.realm
    ? sql`select id as source_id, ${scope.realm}::text as realm from sources ${scope.sourceId ? sql`where id = ${scope.sourceId}::uuid` : sql``}`
    : sql`select source_id, name as realm from realms ${source} union select source_id, realm from sync_streams ${source}`;
  const rows = await sql<{ user_id: string; username: string }[]>`
    select distinct on (n.user_id) n.user_id, n.username
    from (${realms}) as r
    join user_names n on n.source_id = r.source_id and n.realm = r.realm and n.user_id = any(${ids}::text[])
    order by n.user_id, n.last_seen desc`;
  return new Map(rows.map((r) => [r.user_id, r.username]));
}
