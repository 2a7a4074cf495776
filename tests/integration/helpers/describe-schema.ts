import type postgres from "postgres";
import { USER_HASH_INDEX } from "@/lib/db/user-hash";

/**
 * Indexes the migrations make by hand because Prisma cannot describe them (an index on an expression), with
 * the definition they must have: left out of describeSchema, checked on their own by the drift test.
 */
export const HAND_MADE_INDEXES: Record<string, string> = {
  [USER_HASH_INDEX]: `CREATE INDEX ${USER_HASH_INDEX} ON user_events USING btree (hashtext(user_id), "time")`,
};

/** The definitions of the hand-made indexes a schema holds, by name. */
export async function handMadeIndexes(sql: postgres.Sql, schema: string): Promise<Record<string, string>> {
  const rows = await sql<{ name: string; def: string }[]>`
    select c.relname as name, replace(pg_get_indexdef(i.indexrelid), ' ON ONLY ', ' ON ') as def
    from pg_index i join pg_class c on c.oid = i.indexrelid join pg_class t on t.oid = i.indrelid
    join pg_namespace n on n.oid = t.relnamespace
    where n.nspname = ${schema} and not t.relispartition and c.relname = any(${Object.keys(HAND_MADE_INDEXES)}::text[])`;
  return Object.fromEntries(
    rows.map((r) => [r.name, r.def.replaceAll(`${schema}.`, "").replaceAll(`"${schema}".`, "")]),
  );
}

/**
 * A comparable description of everything a migration creates in one PostgreSQL schema: columns with types,
 * nullability and defaults, indexes, constraints. Schema names are normalised away. A partitioned table is
 * described by its parent alone, as the plain table Prisma would build (Prisma cannot describe partitioning):
 * its partitions (days, created at run time) and the ONLY of its indexes' definitions are left out. So are the
 * hand-made indexes (HAND_MADE_INDEXES), which Prisma cannot describe either.
 */
export async function describeSchema(sql: postgres.Sql, schema: string): Promise<string[]> {
  const columns = await sql<{ line: string }[]>`
    select format('column %s.%s %s%s%s', c.relname, a.attname, format_type(a.atttypid, a.atttypmod),
                  case when a.attnotnull then ' not null' else '' end,
                  coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '')) as line
    from pg_attribute a
    join pg_class c on c.oid = a.attrelid
    join pg_namespace n on n.oid = c.relnamespace
    left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
    where n.nspname = ${schema} and c.relkind in ('r', 'p') and not c.relispartition
      and a.attnum > 0 and not a.attisdropped`;
  const indexes = await sql<{ line: string }[]>`
    select 'index ' || replace(pg_get_indexdef(i.indexrelid), ' ON ONLY ', ' ON ') as line
    from pg_index i join pg_class c on c.oid = i.indrelid join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = ${schema} and not c.relispartition
      and (select x.relname from pg_class x where x.oid = i.indexrelid) <> all(${Object.keys(HAND_MADE_INDEXES)}::text[])`;
  const constraints = await sql<{ line: string }[]>`
    select format('constraint %s.%s %s', c.relname, k.conname, pg_get_constraintdef(k.oid)) as line
    from pg_constraint k join pg_class c on c.oid = k.conrelid join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = ${schema} and not c.relispartition`;
  const strip = (line: string) => line.replaceAll(`${schema}.`, "").replaceAll(`"${schema}".`, "");
  return [...columns, ...indexes, ...constraints].map((r) => strip(r.line)).sort();
}
