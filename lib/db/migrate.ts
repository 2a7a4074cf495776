import { createHash, randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type postgres from "postgres";
import { ensurePartitionsAhead } from "@/lib/db/event-partitions";

export const MIGRATIONS_DIR = path.join(process.cwd(), "prisma", "migrations");

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

/** Committed migrations in Prisma's layout: prisma/migrations/<timestamp>_<name>/migration.sql, in order. */
export async function listMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  if (!existsSync(/*turbopackIgnore: true*/ dir)) return [];
  const entries = await readdir(/*turbopackIgnore: true*/ dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory() && /^\d{14}_[a-z0-9_]+$/.test(e.name))
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(/*turbopackIgnore: true*/ path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    }),
  );
}

// Prisma's own migrate lock key, so realmwatch and `prisma migrate deploy` never run side by side.
const LOCK_KEY = 72707369;

/**
 * Applies the committed migrations that are not yet applied, each in its own transaction, and records them in
 * `_prisma_migrations` exactly as Prisma does, so a machine with the Prisma engine can still run
 * `prisma migrate deploy` / `status` against the same database. Then creates the event tables' partitions of
 * the days ahead (event-partitions.ts): every start leaves them in place before the first sync.
 */
export async function applyMigrations(
  sql: postgres.Sql,
  dir = MIGRATIONS_DIR,
  now = new Date(),
): Promise<string[]> {
  const migrations = await listMigrations(dir);
  const applied: string[] = [];
  await sql.reserve().then(async (conn) => {
    try {
      await conn`select pg_advisory_lock(${LOCK_KEY})`;
      await conn`
        create table if not exists _prisma_migrations (
          id varchar(36) primary key not null,
          checksum varchar(64) not null,
          finished_at timestamptz,
          migration_name varchar(255) not null,
          logs text,
          rolled_back_at timestamptz,
          started_at timestamptz not null default now(),
          applied_steps_count integer not null default 0
        )`;
      const rows = await conn<{ migration_name: string; checksum: string; finished_at: Date | null }[]>`
        select migration_name, checksum, finished_at from _prisma_migrations where rolled_back_at is null`;
      const done = new Map(rows.map((r) => [r.migration_name, r]));
      for (const m of migrations) {
        const prior = done.get(m.name);
        if (prior?.finished_at) {
          if (prior.checksum !== m.checksum) {
            throw new Error(
              `Migration ${m.name} was changed after it was applied (checksum differs). Add a new migration instead of editing an applied one.`,
            );
          }
          continue;
        }
        if (prior) {
          throw new Error(
            `Migration ${m.name} failed earlier and is marked unfinished in _prisma_migrations; fix the database by hand, then delete that row.`,
          );
        }
        const id = randomUUID();
        // A reserved connection (it holds the advisory lock) has no begin(): open the transaction by hand.
        await conn`begin`;
        try {
          await conn`insert into _prisma_migrations (id, checksum, migration_name, started_at)
                     values (${id}, ${m.checksum}, ${m.name}, now())`;
          // The committed migration file itself: trusted SQL from the repository, never input.
          await conn.unsafe(m.sql);
          await conn`update _prisma_migrations set finished_at = now(), applied_steps_count = 1 where id = ${id}`;
          await conn`commit`;
        } catch (err) {
          await conn`rollback`.catch(() => {});
          throw new Error(`Migration ${m.name} failed: ${(err as Error).message}`);
        }
        applied.push(m.name);
      }
    } finally {
      await conn`select pg_advisory_unlock(${LOCK_KEY})`.catch(() => {});
      conn.release();
    }
  });
  await ensurePartitionsAhead(sql, now);
  return applied;
}

/** Names of committed migrations that the database has not applied. */
export async function pendingMigrations(sql: postgres.Sql, dir = MIGRATIONS_DIR): Promise<string[]> {
  const migrations = await listMigrations(dir);
  const exists = await sql`select to_regclass('_prisma_migrations') as t`;
  if (!exists[0]?.t) return migrations.map((m) => m.name);
  const rows = await sql<{ migration_name: string }[]>`
    select migration_name from _prisma_migrations where finished_at is not null and rolled_back_at is null`;
  const done = new Set(rows.map((r) => r.migration_name));
  return migrations.filter((m) => !done.has(m.name)).map((m) => m.name);
}
