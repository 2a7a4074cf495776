import type postgres from "postgres";
import { getSql } from "@/lib/db/sql";
import { logger } from "@/lib/server/logger";

/**
 * Sessions signed out before their cookie expires. The cookie itself is sealed and self-contained, so without
 * this list a copied cookie would keep working until it expires (12 h by default). Sign-out records the
 * session's id here; every request checks it. The list is read from the database at most every few seconds per
 * process (other replicas learn of a sign-out within that time; this process at once), and rows go once the
 * cookie would have expired anyway.
 */
const REFRESH_MS = 5_000;
const KEY = Symbol.for("realmwatch.revoked-sessions");

interface Cache {
  ids: Set<string>;
  readAt: number;
}

function cache(): Cache {
  const holder = globalThis as { [KEY]?: Cache };
  holder[KEY] ??= { ids: new Set(), readAt: 0 };
  return holder[KEY];
}

export async function revokeSession(sql: postgres.Sql, sid: string, expSec: number): Promise<void> {
  await sql`
    insert into revoked_sessions (sid, expires_at) values (${sid}, ${new Date(expSec * 1000)})
    on conflict (sid) do nothing`;
  cache().ids.add(sid);
}

/** The revoked session ids, as recently read. If the database cannot be read, the last list read is kept. */
export async function revokedSessionIds(
  nowMs = Date.now(),
  given?: postgres.Sql,
): Promise<ReadonlySet<string>> {
  const c = cache();
  if (nowMs - c.readAt < REFRESH_MS) return c.ids;
  try {
    const sql = given ?? getSql();
    const rows = await sql<{ sid: string }[]>`select sid from revoked_sessions where expires_at > now()`;
    c.ids = new Set(rows.map((r) => r.sid));
    c.readAt = nowMs;
  } catch (err) {
    logger.warn("revoked sessions unreadable; using the last list", { error: (err as Error).message });
  }
  return c.ids;
}

/** For retention: rows of sessions whose cookies have expired anyway. */
export async function deleteExpiredRevocations(sql: postgres.Sql): Promise<number> {
  return (await sql`delete from revoked_sessions where expires_at <= now()`).count;
}
