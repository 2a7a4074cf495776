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
