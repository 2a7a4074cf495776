import { listAlertWebhooks } from "@/lib/alerts/list-alert-webhooks";
import { alertWebhookInput, saveAlertWebhook } from "@/lib/alerts/save-alert-webhook";
import { recordAudit } from "@/lib/auth/record-audit";
import { route } from "@/lib/auth/route";
import { getSql } from "@/lib/db/sql";
import { json } from "@/lib/server/respond";

export const dynamic = "force-dynamic";

/** Enabled webhooks; the URL is shown as its host only, since the rest of it is often the credential. */
export const GET = route({}, async () => {
  const webhooks = await listAlertWebhooks(getSql());
  return { webhooks: webhooks.map(({ url, ...w }) => ({ ...w, host: new URL(url).host })) };
});

export const POST = route({ body: alertWebhookInput }, async ({ viewer, body: input, request }) => {
  const sql = getSql();
  const saved = await saveAlertWebhook(sql, input);
  await recordAudit(sql, {
    viewer,
    action: "alerts.webhook.save",
    target: input.name,
    request,
    details: { format: input.format, host: new URL(input.url).host, cooldownSec: input.cooldownSec },
  });
  return json(saved, { status: 201 });
});
