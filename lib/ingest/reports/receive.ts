import { createHash, randomBytes } from "node:crypto";
import type postgres from "postgres";
import { writeUserEvents } from "@/lib/ingest/write/write-events";
import { AppError } from "@/lib/server/errors";
import { openSecret, sealSecret } from "@/lib/server/secret-box";
import { REPLAY_WINDOW_MS, verifyReportSignature } from "@/packages/reporter/src/signature";
import { reportRow } from "./report-row";

export function hashReportKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

/** A new report key for a source: stored hashed and sealed; returned once. */
export async function createReportKey(sql: postgres.Sql, sourceId: string): Promise<string> {
  const key = `rwk_${randomBytes(32).toString("base64url")}`;
  const updated = await sql`
    update sources set report_key_hash = ${hashReportKey(key)}, report_key_cipher = ${sealSecret(key, "report-key")}, updated_at = now()
    where id = ${sourceId}`;
  if (updated.count === 0) throw new AppError("not_found", "No such source.");
  return key;
}

export interface ReceivedReport {
  stored: boolean;
  cause: string;
  evidence: string;
}

/**
 * The receiving side of resource-server reports. Order matters for safety: the signature is checked before the
 * body is even parsed; the token is decoded to the few claims a diagnosis needs and then dropped (neither the
 * token nor its signature is stored or logged); the nonce is recorded in the same transaction as the event, so
 * a replay is rejected and a rejected replay stores nothing.
 */
export async function receiveReport(
  sql: postgres.Sql,
  headers: {
    source?: string | null;
    timestamp?: string | null;
    nonce?: string | null;
    signature?: string | null;
  },
  rawBody: string,
  now = Date.now(),
  /** Called once the signature is verified and before anything is stored: throws to refuse (a rate limit). */
  admit: (sourceId: string) => void = () => {},
): Promise<ReceivedReport> {
  const sourceId = headers.source ?? "";
  // A strict UUID: the column is uuid, and anything else (36 dashes) would reach PostgreSQL as a cast error.
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(sourceId))
    throw new AppError("unauthorized", "X-Realmwatch-Source must name a source id.");
  const [source] = await sql<{ report_key_cipher: string | null }[]>`
    select report_key_cipher from sources where id = ${sourceId}`;
  if (!source?.report_key_cipher)
    throw new AppError("unauthorized", "Unknown source, or it has no report key.");
  const check = verifyReportSignature(
    openSecret(source.report_key_cipher, "report-key"),
    headers,
    rawBody,
    now,
  );
  if (!check.ok) throw new AppError("unauthorized", `Report rejected: ${check.reason}.`);
  admit(sourceId);

  const { row, verdict } = reportRow(sourceId, check.nonce, check.timestamp, rawBody);
  await writeUserEvents(sql, [row], {
    alongside: async (tx) => {
      const [fresh] = await tx`
        insert into report_nonces (source_id, nonce) values (${sourceId}, ${check.nonce})
        on conflict do nothing returning nonce`;
      if (!fresh) throw new AppError("conflict", "Report rejected: this nonce was already used (a replay).");
      await tx`delete from report_nonces where received_at < now() - make_interval(secs => ${(2 * REPLAY_WINDOW_MS) / 1000})`;
    },
  });
  return { stored: true, cause: verdict.cause, evidence: verdict.evidence };
}
