import { NextResponse } from "next/server";
import { pendingMigrations } from "@/lib/db/migrate";
import { getSql } from "@/lib/db/sql";

export const dynamic = "force-dynamic";

/** Readiness: the database answers and every migration is applied. 503 otherwise, with the reason. */
export async function GET() {
  const headers = { "Cache-Control": "no-store" };
  try {
    const sql = getSql();
    await sql`select 1`;
    const pending = await pendingMigrations(sql);
    if (pending.length > 0) {
      return NextResponse.json(
        { status: "not_ready", reason: "migrations pending", pending },
        { status: 503, headers },
      );
    }
    return NextResponse.json({ status: "ready" }, { headers });
  } catch {
    return NextResponse.json(
      { status: "not_ready", reason: "database unreachable" },
      { status: 503, headers },
    );
  }
}
