/**
 * The client address used for rate limits and the audit log. X-Forwarded-For is believed only behind a reverse
 * proxy that sets it (REALMWATCH_TRUST_PROXY=1), and then only its right-most entry: the one the proxy appended.
 * Entries to its left are whatever the client sent, and a client could pick a fresh one per request. Without a
 * trusted proxy Next does not expose the peer address, so all direct clients share one key ("direct").
 */
export function clientAddress(headers: { get(name: string): string | null }, trustProxy: boolean): string {
  if (!trustProxy) return "direct";
  const hops = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((h) => h.trim())
    .filter(Boolean);
  return hops.at(-1) ?? "unknown";
}
