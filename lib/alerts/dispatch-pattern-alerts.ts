import "server-only";
import type postgres from "postgres";
import type { AlertPattern } from "@/lib/alerts/alert-pattern";
import { decidePatternAlert } from "@/lib/alerts/decide-pattern-alert";
import { listAlertWebhooks } from "@/lib/alerts/list-alert-webhooks";
import { sendWebhook } from "@/lib/alerts/send-webhook";
import { webhookPayload } from "@/lib/alerts/webhook-payload";
import { logger } from "@/lib/server/logger";

export interface DispatchSummary {
  sent: number;
  failed: number;
  skipped: number;
}

/**
 * For the poller, after patterns are refreshed: sends each enabled webhook the patterns that opened or
 * escalated since its last alert. A delivery row is claimed (insert on the unique dedupe key) before the
 * request goes out, so concurrent pollers never send the same alert twice; a failed send stays recorded as
 * failed with its HTTP status or error. Only patterns active since the webhook was created are considered,
 * so adding a webhook does not replay history.
 */
export async function dispatchPatternAlerts(
  sql: postgres.Sql,
  now: Date,
  options: { publicUrl?: string } = {},
): Promise<DispatchSummary> {
  const summary: DispatchSummary = { sent: 0, failed: 0, skipped: 0 };
  const webhooks = await listAlertWebhooks(sql);
  for (const webhook of webhooks) {
    const patterns = await sql<(AlertPattern & { lastCount: number | null; lastSentAt: Date | null })[]>`
      select p.id, p.realm, p.cause, p.scope_kind as "scopeKind", p.scope_value as "scopeValue",
             p.client_id as "clientId", p.status, p.first_seen as "firstSeen", p.last_seen as "lastSeen",
             p.event_count as "eventCount", p.affected_users as "affectedUsers", p.peak_score as "peakScore",
             d.event_count as "lastCount", d.sent_at as "lastSentAt"
      from patterns p
      left join lateral (
        select event_count, sent_at from alert_deliveries
        where webhook_id = ${webhook.id} and pattern_id = p.id and trigger <> 'test'
        order by sent_at desc limit 1
      ) d on true
      where p.status in ('open', 'ongoing') and p.last_seen >= ${webhook.createdAt}
      order by p.last_seen`;
    for (const { lastCount, lastSentAt, ...pattern } of patterns) {
      const last = lastCount !== null && lastSentAt ? { eventCount: lastCount, sentAt: lastSentAt } : null;
      const decision = decidePatternAlert(pattern, last, webhook.cooldownSec, now);
      if (!decision.send) {
        summary.skipped++;
        continue;
      }
      const [claimed] = await sql<{ id: string }[]>`
        insert into alert_deliveries (webhook_id, pattern_id, trigger, event_count, dedupe_key, sent_at, status)
        values (${webhook.id}, ${pattern.id}, ${decision.trigger}, ${pattern.eventCount}, ${decision.dedupeKey},
                ${now}, 'sending')
        on conflict (webhook_id, dedupe_key) do nothing
        returning id::text`;
      if (!claimed) {
        summary.skipped++;
        continue;
      }
      const result = await sendWebhook(
        webhook.url,
        webhookPayload(webhook.format, decision.trigger, pattern, options.publicUrl),
      );
      await sql`
        update alert_deliveries
        set status = ${result.ok ? "sent" : "failed"}, http_status = ${result.httpStatus}, error = ${result.error}
        where id = ${claimed.id}`;
      if (result.ok) summary.sent++;
      else {
        summary.failed++;
        logger.warn("alert webhook failed", {
          webhook: webhook.name,
          pattern: pattern.id,
          error: result.error,
        });
      }
    }
  }
  return summary;
}
