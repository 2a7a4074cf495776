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
    with g as (
      select r.realm, r.user_id, (r.time at time zone 'UTC')::date as day, r.source_id,
             coalesce(r.cause, '') as cause, extract(hour from r.time at time zone 'UTC')::int as hour,
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
      group by 1, 2, 3, 4, 5, 6
    ),
    causes as (
      select realm, user_id, day, source_id, jsonb_object_agg(cause, n) as by_cause
      from (select realm, user_id, day, source_id, cause, sum(failures)::int as n from g
            group by 1, 2, 3, 4, 5 having sum(failures) > 0) as c
      group by 1, 2, 3, 4
    ),
    hours as (
      select realm, user_id, day, source_id, jsonb_object_agg(hour::text, n) as success_hours
      from (select realm, user_id, day, source_id, hour, sum(successes)::int as n from g
            group by 1, 2, 3, 4, 5 having sum(successes) > 0) as h
      group by 1, 2, 3, 4
    ),
    days as (
      select realm, user_id, day, source_id, sum(successes)::int as successes, sum(failures)::int as failures,
             max(last_success) as last_success, max(last_login) as last_login, max(last_failure) as last_failure,
             max(last_temporary) as last_temporary, max(last_permanent) as last_permanent,
             max(last_denied_locked) as last_denied_locked
      from g group by 1, 2, 3, 4
    )
    insert into user_days as u (realm, user_id, day, source_id, successes, failures, last_success, last_login,
                                last_failure, last_temporary_lockout, last_permanent_lockout, last_denied_locked,
                                by_cause, success_hours)
    select d.realm, d.user_id, d.day, d.source_id, d.successes, d.failures, d.last_success, d.last_login,
           d.last_failure, d.last_temporary, d.last_permanent, d.last_denied_locked, c.by_cause, h.success_hours
    from days d
    left join causes c using (realm, user_id, day, source_id)
    left join hours h using (realm, user_id, day, source_id)
    on conflict (realm, user_id, day, source_id) do update set
      successes = u.successes + excluded.successes,
      failures = u.failures + excluded.failures,
      last_success = greatest(u.last_success, excluded.last_success),
      last_login = greatest(u.last_login, excluded.last_login),
      last_failure = greatest(u.last_failure, excluded.last_failure),
      last_temporary_lockout = greatest(u.last_temporary_lockout, excluded.last_temporary_lockout),
      last_permanent_lockout = greatest(u.last_permanent_lockout, excluded.last_permanent_lockout),
      last_denied_locked = greatest(u.last_denied_locked, excluded.last_denied_locked),
      by_cause = realmwatch_jsonb_add(u.by_cause, excluded.by_cause),
      success_hours = realmwatch_jsonb_add(u.success_hours, excluded.success_hours)`;
}

/** Deletes the user days older than a cutoff (their own retention, REALMWATCH_SUMMARY_RETENTION_DAYS). */
export async function deleteExpiredUserDays(sql: postgres.Sql, before: Date): Promise<number> {
  const result =
    await sql`delete from user_days where day < (${before}::timestamptz at time zone 'UTC')::date`;
  return result.count;
}
