import type postgres from "postgres";
import { type ImportReport, importLog } from "@/lib/ingest/import/import-log";
import { readLines, type SkipReason } from "@/lib/logs/read-lines";
import { AppError } from "@/lib/server/errors";
import { pushSourceOrThrow } from "@/lib/sources/push-source";
import { authenticatePush } from "./authenticate-push";
import { recordRejected } from "./push-stats";
import type { PushWriter } from "./push-writer";

/**
 * Continuous log shipping: newline-delimited Keycloak log lines (plain, JSON or ECS console output, with
 * docker/kubectl prefixes) as an HTTP output of Vector, Fluent Bit or Logstash sends them, each request one
 * batch of lines. The body is streamed through the log import (lib/ingest/import/import-log.ts, the same
 * parsers and the same write path), so a request of any length is read in bounded memory; the only cap is
 * per line. Lines are stored by content fingerprint, so a shipper that resends a batch after a timeout
 * stores nothing twice. The rows go through the push writer, committed with those of concurrent requests
 * (push-writer.ts), and the answer comes once they are durably stored.
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
  /**
   * Called once the stream is authenticated and before anything is stored: throws to refuse (a rate limit; the
   * refusal is counted).
   */
  admit?: (sourceId: string) => void;
}

/** The import's counts, without its samples and assumptions (the shipper only needs to know it was stored). */
export type LogStreamReceipt = Pick<
  ImportReport,
  "lines" | "events" | "stored" | "alreadyStored" | "notEvents" | "skipped" | "skippedByReason"
>;

export async function receiveLogStream(
  sql: postgres.Sql,
  writer: PushWriter,
  req: LogStreamRequest,
): Promise<LogStreamReceipt> {
  const now = req.now ?? Date.now();
  const source = await pushSourceOrThrow(sql, req.sourceId, now);
  // A shipper retries a refused batch: while the writer is saturated, refuse before reading any line.
  writer.admitOrThrow(source.sourceId, now);
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
  writer.admitBy(req.admit, source.sourceId, now);

  const cut: Partial<Record<SkipReason, number>> = {};
  const report = await importLog(sql, shippedLines(req.body, cut), {
    sourceId: source.sourceId,
    defaultRealm: req.defaultRealm,
    timeZone: req.timeZone,
    maxLineBytes: MAX_LOG_LINE_BYTES,
    now,
    write: {
      user: (user) => writer.write({ user, admin: [] }),
      admin: (admin) => writer.write({ user: [], admin }),
    },
  });
  const skippedByReason = { ...report.skippedByReason };
  for (const [reason, n] of Object.entries(cut) as [SkipReason, number][])
    skippedByReason[reason] = (skippedByReason[reason] ?? 0) + n;
  const skipped = Object.values(skippedByReason).reduce((a, b) => a + (b ?? 0), 0);
  if (skipped > 0) {
    const [reason] = Object.keys(skippedByReason);
    await recordRejected(sql, source.sourceId, `skipped lines: ${reason}`, now, skipped);
  }
  return {
    lines: report.lines + Object.values(cut).reduce((a, b) => a + (b ?? 0), 0),
    events: report.events,
    stored: report.stored,
    alreadyStored: report.alreadyStored,
    notEvents: report.notEvents,
    skipped,
    skippedByReason,
  };
}

/**
 * The shipped lines as the import reads them. Records that wrap the line in a `log` field (Docker's json-file
 * driver, Fluent Bit's json_lines output of a tail input: {"date":..., "log":"<line>"}) are unwrapped to the
 * line; everything else (plain, Keycloak's JSON and ECS console lines) passes as it is. Lines over the cap and
 * unreadable lines are counted in `cut` and not passed on.
 */
async function* shippedLines(
  body: AsyncIterable<Uint8Array>,
  cut: Partial<Record<SkipReason, number>>,
): AsyncGenerator<string> {
  for await (const line of readLines(body, { maxLineBytes: MAX_LOG_LINE_BYTES })) {
    if (line.skipped !== undefined) {
      cut[line.skipped] = (cut[line.skipped] ?? 0) + 1;
      continue;
    }
    yield `${unwrapLogField(line.text)}\n`;
  }
}

const LOG_FIELD = /^\s*\{.*"log"\s*:/;

function unwrapLogField(text: string): string {
  if (!LOG_FIELD.test(text) || text.includes('"message"')) return text;
  try {
    const value = JSON.parse(text) as { log?: unknown };
    return typeof value.log === "string" ? value.log.replace(/\r?\n$/, "").replace(/\n/g, " ") : text;
  } catch {
    return text;
  }
}
