import "server-only";
import type postgres from "postgres";
import type { WebhookFormat } from "@/lib/alerts/webhook-payload";
import { openSecret } from "@/lib/server/secret-box";

export interface AlertWebhook {
  id: string;
  name: string;
  url: string;
  format: WebhookFormat;
  cooldownSec: number;
  createdAt: Date;
}

/** Enabled webhooks with their URLs unsealed. */
export async function listAlertWebhooks(sql: postgres.Sql): Promise<AlertWebhook[]> {
  const rows = await sql<(Omit<AlertWebhook, "url" | "format"> & { urlCipher: string; format: string })[]>`
    select id, name, url_cipher as "urlCipher", format, cooldown_sec as "cooldownSec", created_at as "createdAt"
    from alert_webhooks where enabled order by name`;
  return rows.map(({ urlCipher, format, ...w }) => ({
    ...w,
    url: openSecret(urlCipher, "alert-url"),
    format: format === "slack" ? "slack" : "generic",
  }));
}
