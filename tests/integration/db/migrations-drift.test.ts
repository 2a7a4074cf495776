import { readFile } from "node:fs/promises";
import type postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listMigrations } from "@/lib/db/migrate";
import { diffSchemas, isEmptyDiff } from "@/lib/db/schema-engine";
import { testDatabaseUrl, testSql } from "../helpers/db";
import { describeSchema, HAND_MADE_INDEXES, handMadeIndexes } from "../helpers/describe-schema";

/**
 * The schema (prisma/schema.prisma) is the source of truth; the committed migrations must build exactly the
 * same database. Both are applied to empty PostgreSQL schemas of the test database and compared.
 */
let sql: postgres.Sql;
let schemaText: string;

async function buildInto(schema: string, statements: string[]) {
  await sql`drop schema if exists ${sql(schema)} cascade`;
  await sql`create schema ${sql(schema)}`;
  await sql.begin(async (tx) => {
    await tx`select set_config('search_path', ${schema}, true)`;
    for (const s of statements) await tx.unsafe(s);
  });
}

beforeAll(async () => {
  sql = testSql(1);
  schemaText = await readFile("prisma/schema.prisma", "utf8");
});

afterAll(async () => {
  for (const s of ["drift_migrated", "drift_schema", "drift_changed"]) {
    await sql`drop schema if exists ${sql(s)} cascade`;
  }
  await sql.end();
});

describe("migrations vs schema.prisma", () => {
  it("the committed migrations build the database schema.prisma describes", async () => {
    const migrations = await listMigrations();
    expect(migrations.length).toBeGreaterThan(0);
    await buildInto(
      "drift_migrated",
      migrations.map((m) => m.sql),
    );
    await buildInto("drift_schema", [await diffSchemas(testDatabaseUrl(), null, schemaText)]);
    const migrated = await describeSchema(sql, "drift_migrated");
    const declared = await describeSchema(sql, "drift_schema");
    expect(migrated.length).toBeGreaterThan(50);
    expect(
      migrated,
      "schema.prisma changed without a migration: run `npm run db:migration -- <name>`",
    ).toEqual(declared);
  });

  it("the committed migrations make the indexes Prisma cannot describe, as they are declared here", async () => {
    // After the test above, which built drift_migrated from the migrations.
    expect(await handMadeIndexes(sql, "drift_migrated")).toEqual(HAND_MADE_INDEXES);
    expect(await handMadeIndexes(sql, "drift_schema")).toEqual({});
  });

  it("the snapshot the next migration is computed from matches schema.prisma", async () => {
    const snapshot = await readFile("prisma/migrations/schema.snapshot.prisma", "utf8");
    expect(isEmptyDiff(await diffSchemas(testDatabaseUrl(), snapshot, schemaText))).toBe(true);
  });

  it("detects a schema change that has no migration", async () => {
    // A model added to schema.prisma with no migration behind it.
    const changed = `${schemaText}\nmodel DriftProbe {\n  id String @id\n  @@map("drift_probe")\n}\n`;
    expect(changed).not.toBe(schemaText);
    await buildInto("drift_changed", [await diffSchemas(testDatabaseUrl(), null, changed)]);
    const migrated = await describeSchema(sql, "drift_migrated");
    expect(await describeSchema(sql, "drift_changed")).not.toEqual(migrated);
  });
});
