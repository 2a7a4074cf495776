import type postgres from "postgres";
import { type ImportReport, importLog } from "@/lib/ingest/import/import-log";
import { AppError } from "@/lib/server/errors";
import { readPushCredentials } from "@/lib/sources/push-source";
import { authenticatePush } from "./authenticate-push";
import { recordAccepted, recordRejected } from "./push-stats";

/**
 * Continuous log shipping: newline-delimited Keycloak log lines (plain, JSON or ECS console output, with
 * docker/kubectl prefixes) as an HTTP output of Vector, Fluent Bit or Logstash sends them, each request one
 * batch of lines. The body is streamed through the log import (lib/ingest/import/import-log.ts, the same
 * parsers and the same write path), so a request of any length is read in bounded memory; the only cap is
 * per line. Lines are stored by content fingerprint, so a shipper that resends a batch after a timeout
 * stores nothing twice. The answer comes once the lines are durably stored (recordAccepted is the barrier).
 *
 * Authentication: the source's push token as `Authorization: Bearer`, or its webhook signature
 * (`X-Keycloak-Signature` cannot be computed over a stream by shippers, so the token is the documented way).
 */
export const MAX_LOG_LINE_BYTES = 64 * 1024;

export interface LogStreamRequest {
  sourceId: string;
  authorization: string | null;
  body: AsyncIterable<Uint8Array>;
  defaultRealm?: string;
  timeZone?: string;
  now?: number;
}

export interface LogStreamReceipt {
  lines: number;
  events: number;
  stored: number;
  alreadyStored: number;
  notEvents: number;
  skipped: number;
  skippedByReason: ImportReport["skippedByReason"];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function receiveLogStream(sql: postgres.Sql, req: LogStreamRequest): Promise<LogStreamReceipt> {
  const now = req.now ?? Date.now();
  if (!UUID.test(req.sourceId)) throw new AppError("not_found", "No such push source.");
  const source = await readPushCredentials(sql, req.sourceId);
  if (!source) throw new AppError("not_found", "No such push source.");
  // Only the token is accepted here: a signature or a JWT would need the whole body before the first line.
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(req.authorization ?? "")?.[1];
  const auth =
    bearer && bearer.split(".").length !== 3
      ? await authenticatePush(
          source,
          { signature: null, authorization: req.authorization },
          Buffer.alloc(0),
          now,
        )
      : null;
  if (!auth?.ok) {
    const reason = auth && !auth.ok ? auth.reason : "bad_token";
    const message =
      auth && !auth.ok ? auth.message : "Send the source's push token as Authorization: Bearer <token>.";
    await recordRejected(sql, source.sourceId, `${reason}: ${message}`, now);
    throw new AppError(auth && !auth.ok && auth.status === 403 ? "forbidden" : "unauthorized", message, {
      reason,
    });
  }

  const report = await importLog(sql, req.body, {
    sourceId: source.sourceId,
    defaultRealm: req.defaultRealm,
    timeZone: req.timeZone,
    maxLineBytes: MAX_LOG_LINE_BYTES,
    now,
  });
  await recordAccepted(sql, new Map([[source.sourceId, report.events]]), now);
  if (report.skipped > 0) {
    const [reason] = Object.keys(report.skippedByReason);
    await recordRejected(sql, source.sourceId, `skipped lines: ${reason}`, now, report.skipped);
  }
  return {
    lines: report.lines,
    events: report.events,
    stored: report.stored,
    alreadyStored: report.alreadyStored,
    notEvents: report.notEvents,
    skipped: report.skipped,
    skippedByReason: report.skippedByReason,
  };
}
