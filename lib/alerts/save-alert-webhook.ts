import "server-only";
import type postgres from "postgres";
import { z } from "zod";
import { WEBHOOK_FORMATS } from "@/lib/alerts/webhook-payload";
import { checkOutboundUrl, outboundPolicy } from "@/lib/server/outbound";
import { sealSecret } from "@/lib/server/secret-box";

export const alertWebhookInput = z.object({
  name: z.string().trim().min(1).max(100),
  url: z
    .string()
    .url()
    .refine((u) => /^https?:$/.test(new URL(u).protocol), "must be an http(s) URL"),
  format: z.enum(WEBHOOK_FORMATS).default("generic"),
  cooldownSec: z
    .number()
    .int()
    .min(0)
    .max(7 * 24 * 3600)
    .default(900),
  enabled: z.boolean().default(true),
});
export type AlertWebhookInput = z.infer<typeof alertWebhookInput>;

/** Creates or replaces (by name) a webhook; the URL is sealed, since Slack-style URLs are credentials. */
export async function saveAlertWebhook(sql: postgres.Sql, input: AlertWebhookInput): Promise<{ id: string }> {
  await checkOutboundUrl(input.url, outboundPolicy());
  const [row] = await sql<{ id: string }[]>`
    insert into alert_webhooks (id, name, url_cipher, format, cooldown_sec, enabled)
    values (gen_random_uuid(), ${input.name}, ${sealSecret(input.url, "alert-url")}, ${input.format}, ${input.cooldownSec},
            ${input.enabled})
    on conflict (name) do update set url_cipher = excluded.url_cipher, format = excluded.format,
      cooldown_sec = excluded.cooldown_sec, enabled = excluded.enabled
    returning id`;
  if (!row) throw new Error("alert webhook upsert returned no row");
  return row;
}
