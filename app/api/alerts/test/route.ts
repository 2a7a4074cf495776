import { NextResponse } from "next/server";
import { z } from "zod";
import { sendTestAlert } from "@/lib/alerts/send-test-alert";
import { getViewerOrThrow } from "@/lib/auth/get-viewer";
import { recordAudit } from "@/lib/auth/record-audit";
import { getSql } from "@/lib/db/sql";
import { getEnv } from "@/lib/server/env";
import { AppError } from "@/lib/server/errors";
import { errorResponse } from "@/lib/server/respond";

export const dynamic = "force-dynamic";

const body = z.object({ webhookId: z.string().uuid().optional() }).default({});

/** Sends a test alert to every enabled webhook (or one), and answers with each delivery's outcome. */
export async function POST(request: Request) {
  try {
    const viewer = await getViewerOrThrow("admin");
    const text = await request.text();
    const input = body.parse(text.trim() ? parseJson(text) : {});
    const sql = getSql();
    const results = await sendTestAlert(sql, new Date(), {
      webhookId: input.webhookId,
      publicUrl: getEnv().REALMWATCH_PUBLIC_URL,
    });
    if (results.length === 0) {
      throw new AppError("conflict", "No enabled alert webhook: add one first (POST /api/alerts/webhooks).");
    }
    await recordAudit(sql, { viewer, action: "alerts.test", target: input.webhookId ?? "all" });
    return NextResponse.json({ results }, { status: results.every((r) => r.ok) ? 200 : 502 });
  } catch (err) {
    return errorResponse(err);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("bad_request", "The request body must be JSON.");
  }
}
