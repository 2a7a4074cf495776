import { outboundFetch, outboundPolicy } from "@/lib/server/outbound";

/**
 * POSTs one JSON body to a webhook: a bounded timeout, one retry for a network error or a 5xx, and no
 * redirects (a redirect to another host would carry the alert somewhere the admin did not configure); only to
 * addresses the outbound policy allows (lib/server/outbound.ts). The receiver's answer is never read back.
 */
export interface WebhookResult {
  ok: boolean;
  httpStatus: number | null;
  error: string | null;
}

export async function sendWebhook(
  url: string,
  body: unknown,
  options: { timeoutMs?: number; attempts?: number } = {},
): Promise<WebhookResult> {
  const attempts = options.attempts ?? 2;
  const post = outboundFetch(outboundPolicy());
  let last: WebhookResult = { ok: false, httpStatus: null, error: "not sent" };
  for (let i = 0; i < attempts; i++) {
    try {
      const res = await post(url, {
        method: "POST",
        headers: { "Content-Type": "application/json", "User-Agent": "realmwatch-alerts" },
        body: JSON.stringify(body),
        redirect: "manual",
        signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
      });
      await res.arrayBuffer().catch(() => undefined);
      if (res.ok) return { ok: true, httpStatus: res.status, error: null };
      last = { ok: false, httpStatus: res.status, error: `HTTP ${res.status}` };
      if (res.status < 500) return last;
    } catch (err) {
      last = { ok: false, httpStatus: null, error: err instanceof Error ? err.message : String(err) };
    }
  }
  return last;
}
