import { isLocalDatabaseUrl, resolveDatabase } from "@/lib/db/database";
import { applyMigrations } from "@/lib/db/migrate";
import { createSql } from "@/lib/db/sql";

/**
 * A fresh benchmark database: DATABASE_URL (local only: it is wiped) or an embedded PostgreSQL in
 * .data/bench-pg with the same durability settings as the product's default (fsync on).
 */
export async function openBenchDatabase() {
  const given = process.env.DATABASE_URL;
  if (given && !isLocalDatabaseUrl(given))
    throw new Error("Benchmarks wipe their database: use a local DATABASE_URL.");
  const db = await resolveDatabase({ dataDir: ".data/bench", port: 54359 });
  process.env.DATABASE_URL = db.url;
  const sql = createSql(db.url, 6);
  await sql`drop schema if exists public cascade`;
  await sql`create schema public`;
  await applyMigrations(sql);
  const [v] = await sql<{ v: string }[]>`select current_setting('server_version') as v`;
  return { db, sql, serverVersion: v?.v ?? "?" };
}

/** Samples this process's resident set size; `peakMiB()` is the largest seen. */
export function rssSampler(intervalMs = 25) {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    const rss = process.memoryUsage().rss;
    if (rss > peak) peak = rss;
  }, intervalMs);
  timer.unref();
  return {
    peakMiB: () => Math.round(Math.max(peak, process.memoryUsage().rss) / 2 ** 20),
    stop: () => clearInterval(timer),
  };
}
