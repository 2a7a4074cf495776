import type postgres from "postgres";
import { likeLiteral, MIN_CONTAINS_LENGTH } from "./like-pattern";

/** Client ids one term may stand for. */
const MAX_CLIENTS_PER_TERM = 100;

/**
 * The client ids behind what someone typed: the term itself, and every client id the realm's sources listed
 * (the names tables: entity_names and each realm's client list) that starts with it or, from 3 characters,
 * contains it, ignoring case ("orders" finds orders-api and acme-orders-ui). A term that is a client id itself
 * means that client only, so a link to `shop` does not also show `shop-admin`. Those tables hold one row per
 * client, so they are scanned, never the event table. A client seen only in imported logs is found by its
 * whole id.
 */
export async function resolveClientIds(
  sql: postgres.Sql,
  terms: readonly string[],
  scope: { sourceId?: string | null; realm?: string | null } = {},
): Promise<string[]> {
  if (terms.length === 0) return [];
  const patterns = [
    ...new Set(
      terms.flatMap((t) => {
        const l = likeLiteral(t.toLowerCase());
        return t.length >= MIN_CONTAINS_LENGTH ? [`${l}%`, `%${l}%`] : [`${l}%`];
      }),
    ),
  ];
  const source = scope.sourceId ? sql`and source_id = ${scope.sourceId}::uuid` : sql``;
  const rows = await sql<{ client_id: string }[]>`
    select client_id from (
      select name as client_id from entity_names
      where kind = 'client' and lower(name) like any(${patterns}::text[]) ${source}
        ${scope.realm ? sql`and realm = ${scope.realm}` : sql``}
      union
      select c.value as client_id
      from realms r cross join lateral jsonb_array_elements_text(
        case when jsonb_typeof(r.client_ids) = 'array' then r.client_ids else '[]'::jsonb end) as c(value)
      where lower(c.value) like any(${patterns}::text[]) ${source}
        ${scope.realm ? sql`and r.name = ${scope.realm}` : sql``}
    ) found
    order by client_id
    limit ${MAX_CLIENTS_PER_TERM * terms.length}`;
  const found = rows.map((r) => r.client_id);
  const matches = (term: string) => {
    if (found.includes(term)) return [term];
    const l = term.toLowerCase();
    return found.filter((id) =>
      term.length >= MIN_CONTAINS_LENGTH ? id.toLowerCase().includes(l) : id.toLowerCase().startsWith(l),
    );
  };
  return [...new Set([...terms, ...terms.flatMap(matches)])];
}
