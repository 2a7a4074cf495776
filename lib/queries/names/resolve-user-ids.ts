import type postgres from "postgres";

/**
 * The user ids behind what someone typed: an id itself, or any username or e-mail the user ever had (from
 * user_names, so a search by an old name still finds events after a rename, and a deleted user's history stays
 * findable). Keycloak stores usernames and e-mails lower-cased, so the match ignores case.
 */
export async function resolveUserIds(
  sql: postgres.Sql,
  terms: readonly string[],
  scope: { sourceId?: string | null; realm?: string | null } = {},
): Promise<string[]> {
  if (terms.length === 0) return [];
  const lowered = [...new Set(terms.map((t) => t.toLowerCase()))];
  const rows = await sql<{ user_id: string }[]>`
    select distinct user_id from user_names
    where (username = any(${lowered}::text[]) or username = any(${terms as string[]}::text[])
           or lower(email) = any(${lowered}::text[]) or user_id = any(${terms as string[]}::text[]))
      ${scope.sourceId ? sql`and source_id = ${scope.sourceId}::uuid` : sql``}
      ${scope.realm ? sql`and realm = ${scope.realm}` : sql``}`;
  return [...new Set([...terms, ...rows.map((r) => r.user_id)])];
}
