import { z } from "zod";
import { sendTestAlert } from "@/lib/alerts/send-test-alert";
import { recordAudit } from "@/lib/auth/record-audit";
import { route } from "@/lib/auth/route";
import { getSql } from "@/lib/db/sql";
import { getEnv } from "@/lib/server/env";
import { AppError } from "@/lib/server/errors";
import { json } from "@/lib/server/respond";

export const dynamic = "force-dynamic";

const body = z.object({ webhookId: z.string().uuid().optional() }).default({});

/** Sends a test alert to every enabled webhook (or one), and answers with each delivery's outcome. */
export const POST = route({ body }, async ({ viewer, body, request }) => {
  const sql = getSql();
  const results = await sendTestAlert(sql, new Date(), {
    webhookId: body.webhookId,
    publicUrl: getEnv().REALMWATCH_PUBLIC_URL,
  });
  if (results.length === 0) {
    throw new AppError("conflict", "No enabled alert webhook: add one first (POST /api/alerts/webhooks).");
  }
  await recordAudit(sql, { viewer, action: "alerts.test", target: body.webhookId ?? "all", request });
  return json({ results }, { status: results.every((r) => r.ok) ? 200 : 502 });
});
