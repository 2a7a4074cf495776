import { NextResponse } from "next/server";

export const dynamic = "force-dynamic";

/** Liveness: the process serves requests. Touches nothing else, so a slow database never gets it restarted. */
export function GET() {
  return NextResponse.json({ status: "live" }, { headers: { "Cache-Control": "no-store" } });
}
