import type postgres from "postgres";

type Db = postgres.Sql | postgres.TransactionSql;

/** The index through which user_events finds a user's events (migration 20261206100000_user_events_user_hash_index). */
export const USER_HASH_INDEX = "user_events_user_hash_time_idx";

/**
 * The condition "this row's user id is `value`" on user_events, in the form its per-user index serves.
 *
 * user_events finds a user's events through an index on a hash of the user id, (hashtext(user_id), time), rather
 * than on the id itself: Keycloak's user ids are 36-character UUIDs, and the index (realm, user_id, time) was the
 * largest of the table (102 bytes a stored event, the rows themselves 387), its keys inserted at random places by
 * every sync. The planner uses the hashed index only for a condition that names the hash, so a query that looks
 * a user's events up by id takes its condition from here; the id itself is compared as well, since two ids may
 * share a hash (the index then yields a few rows more, which the comparison drops).
 *
 * `value` is the id as SQL: a bound value (db`${id}::text`) or another row's column (db`k.user_id`). `alias`
 * names user_events in the query when it has one.
 */
export function userIdIs(db: Db, value: postgres.Fragment, alias?: string): postgres.Fragment {
  const column = alias ? db(`${alias}.user_id`) : db`user_id`;
  return db`(hashtext(${column}) = hashtext(${value}) and ${column} = ${value})`;
}

/** The condition "this row's user id is one of `ids`" on user_events, in the form its per-user index serves. */
export function userIdIn(db: Db, ids: readonly string[]): postgres.Fragment {
  return db`(hashtext(user_id) = any(array(select hashtext(u) from unnest(${ids as string[]}::text[]) as u))
             and user_id = any(${ids as string[]}::text[]))`;
}
