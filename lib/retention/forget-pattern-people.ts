import type postgres from "postgres";

/**
 * A pattern keeps its attribution after its events are gone (patterns outlive event retention by design), but
 * not the people in it: once a pattern ended before the user-event cutoff, the user ids and IP addresses among
 * its contributors are removed, as their events were. Causes, clients and errors stay. Returns the patterns
 * changed.
 */
export async function forgetPatternPeople(
  sql: postgres.Sql | postgres.TransactionSql,
  before: Date,
): Promise<number> {
  const result = await sql`
    update patterns p set contributors = (
      select coalesce(jsonb_agg(c.value order by c.n), '[]'::jsonb)
      from jsonb_array_elements(p.contributors) with ordinality as c(value, n)
      where c.value->>0 not in ('user', 'ip'))
    where p.last_seen < ${before} and jsonb_typeof(p.contributors) = 'array'
      and exists (select 1 from jsonb_array_elements(p.contributors) c where c->>0 in ('user', 'ip'))`;
  return result.count;
}

/**
 * The same for the admin changes a pattern names as its suspects, which outlive the admin events they quote:
 * once the pattern ended before the user-event cutoff, no admin's name (`by`) is kept, and a change to a user
 * (a resource under users/) names "a user" instead of the person, in its name and in its reason sentence.
 * Returns the patterns changed.
 */
export async function forgetSuspectPeople(
  sql: postgres.Sql | postgres.TransactionSql,
  before: Date,
): Promise<number> {
  const result = await sql`
    update patterns p set suspected_changes = (
      select jsonb_agg(
        case when s->>'resourcePath' like 'users/%'
          then s || jsonb_build_object(
            'by', null,
            'resourceName', 'a user',
            'reason', replace(s->>'reason', coalesce(nullif(s->>'resourceName', ''), chr(1)), 'a user'))
          else s || jsonb_build_object('by', null)
        end order by x.n)
      from jsonb_array_elements(p.suspected_changes) with ordinality as x(s, n))
    where p.last_seen < ${before} and jsonb_typeof(p.suspected_changes) = 'array'
      and exists (
        select 1 from jsonb_array_elements(p.suspected_changes) s
        where s->>'by' is not null
           or (s->>'resourcePath' like 'users/%' and s->>'resourceName' is distinct from 'a user'))`;
  return result.count;
}
