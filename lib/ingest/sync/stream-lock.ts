import type postgres from "postgres";

/**
 * At most one worker per stream across processes: a session-level advisory lock held on a reserved connection
 * for the whole run. If the process dies, PostgreSQL drops the connection and the lock with it. Even without
 * the lock no event could be stored twice (primary keys), but two workers would waste each other's work.
 */
export async function withStreamLock<T>(
  sql: postgres.Sql,
  lockName: string,
  fn: () => Promise<T>,
): Promise<{ locked: true; value: T } | { locked: false }> {
  const conn = await sql.reserve();
  try {
    const [row] = await conn<
      { ok: boolean }[]
    >`select pg_try_advisory_lock(hashtextextended(${lockName}, 0)) as ok`;
    if (!row?.ok) return { locked: false };
    try {
      return { locked: true, value: await fn() };
    } finally {
      await conn`select pg_advisory_unlock(hashtextextended(${lockName}, 0))`.catch(() => {});
    }
  } finally {
    conn.release();
  }
}
