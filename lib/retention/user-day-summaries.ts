import type postgres from "postgres";
import { LOCKED_ERRORS, LOCKOUT_TYPES, LOGIN_OR_TOKEN_TYPES } from "@/lib/keycloak/types";

type Db = postgres.Sql | postgres.TransactionSql;

/**
 * Adds what some user_events rows say of each user to user_days, by UTC day: how many succeeded and failed, the
 * last success, login, failure and lockouts (failures: lib/keycloak/types.ts, isFailure), and the failures by cause ('' for none). `rows` is a FROM item with
 * the columns source_id, realm, user_id, time, type, is_failure, error, cause and copy_of: a day or tier about to be
 * dropped, or the rows a DELETE returned. The copies of events (copy_of) are not counted, as the rollups do not
 * count them (lib/ingest/write/link-copies.ts). Only rows that are then deleted are added, in the same
 * transaction: a reader adds user_days to the rows still stored without counting any event twice.
 * Returns the user days written.
 */
export function addToUserDays(db: Db, rows: postgres.Fragment): postgres.PendingQuery<postgres.Row[]> {
  return db`
    insert into user_days as u (realm, user_id, day, source_id, successes, failures, last_success, last_login,
                                last_failure, last_temporary_lockout, last_permanent_lockout, last_denied_locked, by_cause)
    select realm, user_id, day, source_id, sum(successes)::int, sum(failures)::int, max(last_success),
           max(last_login), max(last_failure), max(last_temporary), max(last_permanent), max(last_denied_locked),
           jsonb_object_agg(cause, failures) filter (where failures > 0)
    from (
      select r.realm, r.user_id, (r.time at time zone 'UTC')::date as day, r.source_id,
             coalesce(r.cause, '') as cause,
             count(*) filter (where not r.is_failure) as successes,
             count(*) filter (where r.is_failure) as failures,
             max(r.time) filter (where not r.is_failure and r.type = any(${[...LOGIN_OR_TOKEN_TYPES]}::text[])) as last_success,
             max(r.time) filter (where not r.is_failure and r.type = 'LOGIN') as last_login,
             max(r.time) filter (where r.is_failure) as last_failure,
             max(r.time) filter (where r.type = ${LOCKOUT_TYPES[0]}) as last_temporary,
             max(r.time) filter (where r.type = ${LOCKOUT_TYPES[1]}) as last_permanent,
             max(r.time) filter (where r.is_failure and r.error = any(${[...LOCKED_ERRORS]}::text[])) as last_denied_locked
      from ${rows} as r
      where r.user_id is not null and r.copy_of is null
      group by 1, 2, 3, 4, 5
    ) as g
    group by realm, user_id, day, source_id
    on conflict (realm, user_id, day, source_id) do update set
      successes = u.successes + excluded.successes,
      failures = u.failures + excluded.failures,
      last_success = greatest(u.last_success, excluded.last_success),
      last_login = greatest(u.last_login, excluded.last_login),
      last_failure = greatest(u.last_failure, excluded.last_failure),
      last_temporary_lockout = greatest(u.last_temporary_lockout, excluded.last_temporary_lockout),
      last_permanent_lockout = greatest(u.last_permanent_lockout, excluded.last_permanent_lockout),
      last_denied_locked = greatest(u.last_denied_locked, excluded.last_denied_locked),
      by_cause = case
        when u.by_cause is null then excluded.by_cause
        when excluded.by_cause is null then u.by_cause
        else (select jsonb_object_agg(k, n) from (
                select k, sum(v::int) as n
                from (select * from jsonb_each_text(u.by_cause)
                      union all select * from jsonb_each_text(excluded.by_cause)) as both_(k, v)
                group by k) as summed)
      end`;
}

/** Deletes the user days older than a cutoff (their own retention, REALMWATCH_SUMMARY_RETENTION_DAYS). */
export async function deleteExpiredUserDays(sql: postgres.Sql, before: Date): Promise<number> {
  const result =
    await sql`delete from user_days where day < (${before}::timestamptz at time zone 'UTC')::date`;
  return result.count;
}
