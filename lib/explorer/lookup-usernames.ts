import type postgres from "postgres";

export interface UserKey {
  sourceId: string;
  realm: string;
  userId: string;
}

export const userKey = (k: UserKey) => `${k.sourceId}/${k.realm}/${k.userId}`;

/**
 * The latest username of each user, from user_names (raw: callers pass it through showPersonal): events without a username of their
 * own (CODE_TO_TOKEN, REFRESH_TOKEN, most _ERRORs after login) still show who it was. Keyed by userKey().
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
