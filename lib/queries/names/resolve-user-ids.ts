import type postgres from "postgres";

/** Users one term may stand for: enough for a search, bounded so a short term cannot pull in a whole realm. */
export const MAX_USERS_PER_TERM = 200;
/** Below this length a term is matched as an id, a whole name or a prefix only: "a" contains half the names. */
const MIN_CONTAINS_LENGTH = 3;

/** A term as the literal part of a `like` pattern: its own `%`, `_` and `\` match only themselves. */
const literal = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * The user ids behind what someone typed, as people search: an id itself, or any username or e-mail the user
 * ever had that is, starts with, or (from 3 characters) contains the term, ignoring case ("marco" finds
 * marco.rossi and Marco@Example.com; "rossi" finds marco.rossi). From user_names, so a search by an old name
 * still finds events after a rename, and a deleted user's history stays findable. Keycloak stores usernames and
 * e-mails lower-cased. Prefixes are read through the text_pattern_ops indexes; "contains" scans user_names
 * (one row per user and name, small beside the events), never the event table.
 */
export async function resolveUserIds(
  sql: postgres.Sql,
  terms: readonly string[],
  scope: { sourceId?: string | null; realm?: string | null } = {},
): Promise<string[]> {
  if (terms.length === 0) return [];
  const lowered = [...new Set(terms.map((t) => t.toLowerCase()))];
  const where = sql`${scope.sourceId ? sql`and source_id = ${scope.sourceId}::uuid` : sql``}
      ${scope.realm ? sql`and realm = ${scope.realm}` : sql``}`;
  // One `like` per term with the pattern bound: the planner sees each constant prefix and reads the indexes
  // (`like any(array)` would hide the prefixes from it).
  const prefixes = lowered
    .map((t) => `${literal(t)}%`)
    .map((p) => sql`username like ${p} or email like ${p}`)
    .reduce((a, b) => sql`${a} or ${b}`);
  const infixes = lowered.filter((t) => t.length >= MIN_CONTAINS_LENGTH).map((t) => `%${literal(t)}%`);
  const limit = MAX_USERS_PER_TERM * terms.length;
  const [exact, prefix, contains] = await Promise.all([
    sql<{ user_id: string }[]>`
      select distinct user_id from user_names
      where (username = any(${terms as string[]}::text[]) or lower(email) = any(${lowered}::text[])
             or user_id = any(${terms as string[]}::text[]))
        ${where}`,
    sql<{ user_id: string }[]>`
      select distinct user_id from user_names
      where (${prefixes}) ${where}
      limit ${limit}`,
    infixes.length === 0
      ? []
      : sql<{ user_id: string }[]>`
      select distinct user_id from user_names
      where (username like any(${infixes}::text[]) or lower(email) like any(${infixes}::text[])) ${where}
      limit ${limit}`,
  ]);
  return [...new Set([...terms, ...[...exact, ...prefix, ...contains].map((r) => r.user_id)])];
}
