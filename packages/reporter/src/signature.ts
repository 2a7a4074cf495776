import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Resource-server reports are signed: HMAC-SHA256 over `<timestamp>\n<nonce>\n<body>` with the source's report
 * key. The timestamp must be within the replay window and the nonce must be new (the receiver stores nonces for
 * at least the window), so a captured request cannot be sent again.
 *
 *   X-Realmwatch-Source:    <source id>
 *   X-Realmwatch-Timestamp: <epoch milliseconds>
 *   X-Realmwatch-Nonce:     <16-128 url-safe characters, unique per request>
 *   X-Realmwatch-Signature: v1=<hex HMAC-SHA256>
 */
export const REPLAY_WINDOW_MS = 5 * 60_000;

export const HEADERS = {
  source: "x-realmwatch-source",
  timestamp: "x-realmwatch-timestamp",
  nonce: "x-realmwatch-nonce",
  signature: "x-realmwatch-signature",
} as const;

export function signReport(key: string, timestamp: number, nonce: string, body: string): string {
  return `v1=${createHmac("sha256", key).update(`${timestamp}\n${nonce}\n${body}`).digest("hex")}`;
}

export type SignatureCheck = { ok: true; timestamp: number; nonce: string } | { ok: false; reason: string };

/** Checks headers, freshness and the signature; the nonce's novelty is the caller's (it needs storage). */
export function verifyReportSignature(
  key: string,
  headers: { timestamp?: string | null; nonce?: string | null; signature?: string | null },
  body: string,
  now: number,
): SignatureCheck {
  const { timestamp, nonce, signature } = headers;
  if (!timestamp || !nonce || !signature)
    return {
      ok: false,
      reason: "unsigned request: the X-Realmwatch-Timestamp, -Nonce and -Signature headers are required",
    };
  if (!/^\d{10,16}$/.test(timestamp))
    return { ok: false, reason: "X-Realmwatch-Timestamp must be epoch milliseconds" };
  if (!/^[A-Za-z0-9_-]{16,128}$/.test(nonce))
    return { ok: false, reason: "X-Realmwatch-Nonce must be 16-128 URL-safe characters" };
  const ts = Number(timestamp);
  if (Math.abs(now - ts) > REPLAY_WINDOW_MS)
    return { ok: false, reason: "the timestamp is outside the 5-minute window (clock skew or a replay)" };
  const expected = Buffer.from(signReport(key, ts, nonce, body));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return { ok: false, reason: "the signature does not match the body and the source's report key" };
  }
  return { ok: true, timestamp: ts, nonce };
}
