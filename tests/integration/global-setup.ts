import type { TestProject } from "vitest/node";
import { isLocalDatabaseUrl } from "@/lib/db/database";
import { startEmbeddedPostgres } from "@/lib/db/embedded";
import { applyMigrations } from "@/lib/db/migrate";
import { createSql } from "@/lib/db/sql";

/**
 * Integration tests run against a real PostgreSQL: DATABASE_URL when set (it must be on this machine, since the
 * schema is wiped), else an embedded server in .data/test-pg started here and stopped afterwards.
 */
export default async function setup(project: TestProject) {
  let url = process.env.DATABASE_URL;
  let stop = async () => {};
  if (url) {
    if (!isLocalDatabaseUrl(url) && process.env.REALMWATCH_ALLOW_REMOTE_TEST_DB !== "1") {
      throw new Error(
        "Refusing to run integration tests against a non-local DATABASE_URL: they wipe the schema. Set REALMWATCH_ALLOW_REMOTE_TEST_DB=1 if this is really a throwaway database.",
      );
    }
  } else {
    const db = await startEmbeddedPostgres({
      dataDir: ".data/test-pg",
      port: 54339,
      database: "realmwatch_test",
      ephemeralDurability: true,
    });
    url = db.url;
    stop = db.stop;
  }
  const sql = createSql(url, 1);
  try {
    await sql`drop schema if exists public cascade`;
    await sql`create schema public`;
    await applyMigrations(sql);
  } finally {
    await sql.end();
  }
  process.env.DATABASE_URL = url;
  project.provide("databaseUrl", url);
  return async () => {
    await stop();
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}
