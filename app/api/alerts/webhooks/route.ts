import { NextResponse } from "next/server";
import { listAlertWebhooks } from "@/lib/alerts/list-alert-webhooks";
import { alertWebhookInput, saveAlertWebhook } from "@/lib/alerts/save-alert-webhook";
import { getViewerOrThrow } from "@/lib/auth/get-viewer";
import { recordAudit } from "@/lib/auth/record-audit";
import { getSql } from "@/lib/db/sql";
import { readJson } from "@/lib/server/read-json";
import { errorResponse } from "@/lib/server/respond";

export const dynamic = "force-dynamic";

/** Enabled webhooks; the URL is shown as its host only, since the rest of it is often the credential. */
export async function GET() {
  try {
    await getViewerOrThrow("admin");
    const webhooks = await listAlertWebhooks(getSql());
    return NextResponse.json({
      webhooks: webhooks.map(({ url, ...w }) => ({ ...w, host: new URL(url).host })),
    });
  } catch (err) {
    return errorResponse(err);
  }
}

export async function POST(request: Request) {
  try {
    const viewer = await getViewerOrThrow("admin");
    const input = await readJson(request, alertWebhookInput);
    const sql = getSql();
    const saved = await saveAlertWebhook(sql, input);
    await recordAudit(sql, {
      viewer,
      action: "alerts.webhook.save",
      target: input.name,
      details: { format: input.format, host: new URL(input.url).host, cooldownSec: input.cooldownSec },
    });
    return NextResponse.json(saved, { status: 201 });
  } catch (err) {
    return errorResponse(err);
  }
}
