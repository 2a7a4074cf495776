import { route } from "@/lib/auth/route";
import { pendingMigrations } from "@/lib/db/migrate";
import { getSql } from "@/lib/db/sql";
import { json } from "@/lib/server/respond";

export const dynamic = "force-dynamic";

/** Readiness: the database answers and every migration is applied. 503 otherwise, with the reason. */
export const GET = route({}, async () => {
  try {
    const sql = getSql();
    await sql`select 1`;
    const pending = await pendingMigrations(sql);
    if (pending.length > 0) {
      return json({ status: "not_ready", reason: "migrations pending", pending }, { status: 503 });
    }
    return { status: "ready" };
  } catch {
    return json({ status: "not_ready", reason: "database unreachable" }, { status: 503 });
  }
});
