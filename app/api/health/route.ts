import { route } from "@/lib/auth/route";
import { pendingMigrations } from "@/lib/db/migrate";
import { getSql } from "@/lib/db/sql";
import { json } from "@/lib/server/respond";
import { VERSION } from "@/lib/server/version";

export const dynamic = "force-dynamic";

/** Database reachable, migrations applied, version. 200 when healthy, 503 otherwise. */
export const GET = route({}, async () => {
  const started = performance.now();
  try {
    const sql = getSql();
    await sql`select 1`;
    const pending = await pendingMigrations(sql);
    const ok = pending.length === 0;
    return json(
      {
        status: ok ? "ok" : "degraded",
        version: VERSION,
        database: { reachable: true, latencyMs: Math.round(performance.now() - started) },
        migrations: { applied: ok, pending },
      },
      { status: ok ? 200 : 503 },
    );
  } catch (err) {
    return json(
      {
        status: "down",
        version: VERSION,
        database: { reachable: false, error: (err as Error).message.slice(0, 200) },
      },
      { status: 503 },
    );
  }
});
