import type postgres from "postgres";
import { userIdIn } from "@/lib/db/user-hash";
import type { UserEventFilter } from "./user-event-filter";

/**
 * The WHERE conditions of a user-event filter (everything but the partition and the page position), every value
 * bound. `userIds` and `clientIds` are the ids the user and client terms resolved to; a term that matched no directory entry may still be
 * a username typed at a failed login (user_not_found events have a username and no user id).
 */
export function userEventConditions(
  sql: postgres.Sql,
  f: UserEventFilter,
  userIds: readonly string[],
  clientIds: readonly string[] = f.clients,
): postgres.Fragment {
  const parts: postgres.Fragment[] = [
    sql`time >= ${new Date(f.range.from)} and time < ${new Date(f.range.to)}`,
  ];
  if (f.types.length > 0) parts.push(sql`type = any(${f.types}::text[])`);
  if (f.error) parts.push(sql`error = ${f.error}`);
  if (f.causes.length > 0) parts.push(sql`cause = any(${f.causes}::text[])`);
  if (f.clients.length > 0) parts.push(sql`client_id = any(${clientIds as string[]}::text[])`);
  if (f.users.length > 0) {
    const names = [...new Set([...f.users, ...f.users.map((u) => u.toLowerCase())])];
    parts.push(sql`(${userIdIn(sql, userIds)} or (user_id is null and username = any(${names}::text[])))`);
  }
  if (f.ip) parts.push(sql`ip_address = ${f.ip}`);
  if (f.origins.length > 0) parts.push(sql`origin = any(${f.origins}::text[])`);
  if (f.outcome === "failures") parts.push(sql`is_failure`);
  if (f.ids.length > 0) parts.push(sql`id = any(${f.ids}::text[])`);
  if (f.copyOf) parts.push(sql`copy_of = ${f.copyOf}`);
  return joinAnd(sql, parts);
}

export function joinAnd(sql: postgres.Sql, parts: readonly postgres.Fragment[]): postgres.Fragment {
  if (parts.length === 0) return sql`true`;
  return parts.reduce((acc, part) => sql`${acc} and ${part}`);
}
