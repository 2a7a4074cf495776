import type postgres from "postgres";
import { inject } from "vitest";
import { createSql } from "@/lib/db/sql";

/** The test database URL from the global setup; also exported as DATABASE_URL for code under test. */
export function testDatabaseUrl(): string {
  const url = inject("databaseUrl");
  process.env.DATABASE_URL = url;
  return url;
}

export function testSql(max = 4): postgres.Sql {
  return createSql(testDatabaseUrl(), max);
}

/** Empties every realmwatch table (not the migrations record). */
export async function truncateAll(sql: postgres.Sql): Promise<void> {
  const rows = await sql<{ tablename: string }[]>`
    select tablename from pg_tables where schemaname = 'public' and tablename <> '_prisma_migrations'`;
  if (rows.length === 0) return;
  await sql`truncate table ${sql(rows.map((r) => r.tablename))} restart identity cascade`;
}
