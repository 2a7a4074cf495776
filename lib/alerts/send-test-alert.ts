import "server-only";
import type postgres from "postgres";
import type { AlertPattern } from "@/lib/alerts/alert-pattern";
import { listAlertWebhooks } from "@/lib/alerts/list-alert-webhooks";
import { sendWebhook, type WebhookResult } from "@/lib/alerts/send-webhook";
import { webhookPayload } from "@/lib/alerts/webhook-payload";

/** A made-up pattern, plainly labelled, so a test alert looks like a real one. */
export function testPattern(now: Date): AlertPattern {
  return {
    id: "00000000-0000-0000-0000-000000000000",
    realm: "example",
    cause: "missing-role",
    scopeKind: "client",
    scopeValue: "realmwatch-test-alert",
    clientId: "realmwatch-test-alert",
    status: "open",
    firstSeen: new Date(now.getTime() - 10 * 60_000),
    lastSeen: now,
    eventCount: 42,
    affectedUsers: 3,
    peakScore: 6.5,
  };
}

/** The "Send test alert" button: one test message to each enabled webhook (or the one named), with results. */
export async function sendTestAlert(
  sql: postgres.Sql,
  now: Date,
  options: { webhookId?: string; publicUrl?: string } = {},
): Promise<Array<{ webhook: string } & WebhookResult>> {
  const webhooks = (await listAlertWebhooks(sql)).filter(
    (w) => !options.webhookId || w.id === options.webhookId,
  );
  return Promise.all(
    webhooks.map(async (w) => ({
      webhook: w.name,
      ...(await sendWebhook(w.url, webhookPayload(w.format, "test", testPattern(now), options.publicUrl), {
        attempts: 1,
      })),
    })),
  );
}
