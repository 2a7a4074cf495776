import type postgres from "postgres";
import { likeLiteral, MIN_CONTAINS_LENGTH } from "./like-pattern";

/** Users one term may stand for: enough for a search, bounded so a short term cannot pull in a whole realm. */
export const MAX_USERS_PER_TERM = 200;

/**
 * The user ids behind what someone typed, as people search: an id itself, or any username or e-mail the user
 * ever had that is, starts with, or (from 3 characters) contains the term, ignoring case ("marco" finds
 * marco.rossi and Marco@Example.com; "rossi" finds marco.rossi). A term that is an id, a username or an e-mail
 * means that user only (a link by id does not also find look-alikes). From user_names, so a search by an old name
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
  const where = sql`${scope.sourceId ? sql`and source_id = ${scope.sourceId}::uuid` : sql``}
      ${scope.realm ? sql`and realm = ${scope.realm}` : sql``}`;
  const lowered = [...new Set(terms.map((t) => t.toLowerCase()))];
  const exact = await sql<{ user_id: string; username: string; email: string | null }[]>`
    select distinct user_id, username, lower(email) as email from user_names
    where (username = any(${lowered}::text[]) or username = any(${terms as string[]}::text[])
           or lower(email) = any(${lowered}::text[]) or user_id = any(${terms as string[]}::text[]))
      ${where}`;
  // A term that is an id, a username or an e-mail means that user: only the others are searched.
  const whole = new Set(exact.flatMap((r) => [r.user_id, r.username, r.email ?? ""]));
  const open = lowered.filter(
    (t) => !whole.has(t) && !terms.some((u) => u.toLowerCase() === t && whole.has(u)),
  );
  const searched =
    open.length === 0 ? [] : await searchUserIds(sql, open, where, MAX_USERS_PER_TERM * open.length);
  return [...new Set([...terms, ...exact.map((r) => r.user_id), ...searched])];
}

/** Users whose username or e-mail starts with a term or, from 3 characters, contains it. */
async function searchUserIds(
  sql: postgres.Sql,
  lowered: readonly string[],
  where: postgres.Fragment,
  limit: number,
): Promise<string[]> {
  // One `like` per term with the pattern bound: the planner sees each constant prefix and reads the indexes
  // (`like any(array)` would hide the prefixes from it).
  const prefixes = lowered
    .map((t) => `${likeLiteral(t)}%`)
    .map((p) => sql`username like ${p} or email like ${p}`)
    .reduce((a, b) => sql`${a} or ${b}`);
  const infixes = lowered.filter((t) => t.length >= MIN_CONTAINS_LENGTH).map((t) => `%${likeLiteral(t)}%`);
  const [prefix, contains] = await Promise.all([
    sql<{ user_id: string }[]>`
      select distinct user_id from user_names where (${prefixes}) ${where} limit ${limit}`,
    infixes.length === 0
      ? []
      : sql<{ user_id: string }[]>`
      select distinct user_id from user_names
      where (username like any(${infixes}::text[]) or lower(email) like any(${infixes}::text[])) ${where}
      limit ${limit}`,
  ]);
  return [...prefix, ...contains].map((r) => r.user_id);
}
