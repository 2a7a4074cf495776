/**
 * npm run -s classify [-- options] < input
 *
 * Reads Keycloak output on stdin (`kubectl logs keycloak`, docker-compose, journald, JSON console logs,
 * any mix with non-event lines, Keycloak's own access log) or event JSON from the Admin REST API (one
 * object per line, arrays, or one pretty-printed document), and writes one JSON object per event to
 * stdout, `cause` first: cause, confidence, evidence, fix and ruleId (null for successes), then the parsed
 * fields. Input up to 1,000,000 characters (a paste) is read as evidence, like the Diagnose page: lines
 * wrapped or cut to fragments, curl -v transcripts, HTTP responses, WWW-Authenticate headers, error bodies,
 * exceptions and tokens (decoded, only their claims printed) are understood too, and the overall answer
 * goes to stderr. Larger input (a whole log) is streamed line by line.
 * A summary of skipped lines goes to stderr. Exit 0 when something was understood, 3 when nothing was,
 * 1 when stdin cannot be read, 2 for a bad option.
 *
 * Options:
 *   --date yyyy-MM-dd        date for lines that carry only a time (WildFly) or no year (syslog); default today (UTC)
 *   --tz <IANA zone>         zone for timestamps without one; default UTC
 *   --keycloak-version <v>   server version, where it changes a verdict (e.g. 26.4.2)
 *   --causes-doc             print docs/causes.md (generated from the catalogue) and exit
 */
import { once } from "node:events";
import { classify, classifyUserEvent } from "@/lib/classify/classify";
import { classifyAccessLogRecord } from "@/lib/classify/classify-access-log-record";
import { diagnoseEvidence, type EvidenceDiagnosis } from "@/lib/classify/evidence/diagnose-evidence";
import type { Classification, ClassifyContext } from "@/lib/classify/types";
import type { EventOrigin, KeycloakAdminEvent, KeycloakUserEvent } from "@/lib/keycloak/types";
import type { AccessLogRecord } from "@/lib/logs/access-log-record";
import {
  EvidenceInputError,
  type EvidencePiece,
  MAX_EVIDENCE_CHARS,
  readEvidence,
} from "@/lib/logs/evidence/read-evidence";
import { isDenialCandidate, parseAccessLogLine } from "@/lib/logs/parse-access-log-line";
import { type JsonEventResult, parseEventJson, parseEventJsonDocument } from "@/lib/logs/parse-event-json";
import { type EventLineOptions, parseKeycloakEventLine } from "@/lib/logs/parse-keycloak-event-line";
import { readLines, type SkipReason } from "@/lib/logs/read-lines";
import { assertTimeZone } from "@/lib/logs/resolve-log-time";
import { unwrapJsonLogLine } from "@/lib/logs/unwrap-json-log-line";
import { renderCausesDoc } from "@/scripts/docs/render-causes-doc";

interface Options {
  lineOptions: EventLineOptions;
  ctx: ClassifyContext;
  causesDoc: boolean;
}

const MAX_LISTED_LINES = 20;
const MAX_DOCUMENT_BYTES = 512 * 1024 * 1024;

function parseArgs(argv: string[]): Options {
  const options: Options = {
    lineOptions: { defaultDate: new Date().toISOString().slice(0, 10), timeZone: "UTC" },
    ctx: {},
    causesDoc: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${arg} needs a value`);
      return next;
    };
    if (arg === "--causes-doc") options.causesDoc = true;
    else if (arg === "--date") {
      const date = value();
      if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`--date must be yyyy-MM-dd, not "${date}"`);
      options.lineOptions.defaultDate = date;
    } else if (arg === "--tz") {
      const zone = value();
      assertTimeZone(zone);
      options.lineOptions.timeZone = zone;
    } else if (arg === "--keycloak-version") options.ctx.keycloakVersion = value();
    else throw new Error(`unknown option ${arg}`);
  }
  return options;
}

/** Batches output lines and respects stdout's backpressure. */
class Output {
  private buffer: string[] = [];
  private bytes = 0;
  written = 0;
  async write(record: object): Promise<void> {
    this.written++;
    const line = `${JSON.stringify(record)}\n`;
    this.buffer.push(line);
    this.bytes += line.length;
    if (this.bytes >= 64 * 1024) await this.flush();
  }
  async flush(): Promise<void> {
    if (this.buffer.length === 0) return;
    const chunk = this.buffer.join("");
    this.buffer = [];
    this.bytes = 0;
    if (!process.stdout.write(chunk)) await once(process.stdout, "drain");
  }
}

function verdictFields(verdict: Classification | null) {
  return {
    cause: verdict?.cause ?? null,
    confidence: verdict?.confidence ?? null,
    evidence: verdict?.evidence ?? null,
    fix: verdict?.fix ?? null,
    ruleId: verdict?.ruleId ?? null,
  };
}

/** `time` is null for log lines without a usable timestamp (the parser's event.time is 0 then). */
function userRecord(
  event: KeycloakUserEvent,
  origin: EventOrigin,
  ctx: ClassifyContext,
  extra: object,
  time: number | null = event.time,
) {
  return {
    ...verdictFields(classifyUserEvent(event, origin, ctx)),
    kind: "user",
    origin,
    ...extra,
    ...userFields(event, event.type, time),
  };
}

function userFields(event: KeycloakUserEvent, type: string | null, time: number | null) {
  return {
    type,
    error: event.error ?? null,
    time,
    realmId: event.realmId ?? null,
    realmName: event.realmName ?? null,
    clientId: event.clientId ?? null,
    userId: event.userId ?? null,
    sessionId: event.sessionId ?? null,
    ipAddress: event.ipAddress ?? null,
    details: event.details ?? null,
  };
}

function adminRecord(
  event: KeycloakAdminEvent,
  origin: EventOrigin,
  ctx: ClassifyContext,
  extra: object,
  time: number | null = event.time,
) {
  // Stock Keycloak writes admin events only on success; an error here comes from an extension.
  const verdict =
    event.error == null
      ? null
      : classify({ origin, type: `ADMIN_${event.operationType}`, error: event.error }, ctx);
  return {
    ...verdictFields(verdict),
    kind: "admin",
    origin,
    ...extra,
    ...adminFields(event, time),
  };
}

function adminFields(event: KeycloakAdminEvent, time: number | null) {
  return {
    type: null,
    operationType: event.operationType,
    error: event.error ?? null,
    time,
    realmId: event.realmId ?? event.authDetails?.realmId ?? null,
    clientId: event.authDetails?.clientId ?? null,
    userId: event.authDetails?.userId ?? null,
    ipAddress: event.authDetails?.ipAddress ?? null,
    resourceType: event.resourceType ?? null,
    resourcePath: event.resourcePath ?? null,
    details: event.details ?? null,
  };
}

function httpRecord(record: AccessLogRecord, ctx: ClassifyContext, lineNo: number) {
  const verdict = classifyAccessLogRecord(record, ctx);
  return { ...verdictFields(verdict), ...accessLogFields(record, lineNo) };
}

function accessLogFields(record: AccessLogRecord, lineNo: number) {
  return {
    kind: "http",
    origin: "access-log",
    lineNo,
    type: "HTTP_DENIAL",
    error: null,
    time: record.time,
    clientId: record.clientId ?? null,
    userId: record.bearerSubject ?? null,
    ipAddress: record.ipAddress,
    method: record.method,
    path: record.path,
    status: record.status,
    format: record.format,
  };
}

async function writeJsonResults(
  out: Output,
  results: JsonEventResult[],
  ctx: ClassifyContext,
  lineNo?: number,
) {
  let written = 0;
  for (const result of results) {
    if (!result.ok) continue;
    const extra = lineNo === undefined ? {} : { lineNo };
    await out.write(
      result.kind === "user"
        ? userRecord(result.event, "api", ctx, extra)
        : adminRecord(result.event, "api", ctx, extra),
    );
    written++;
  }
  return written;
}

function looksLikeDocumentStart(text: string): boolean {
  const trimmed = text.trim();
  if (!(trimmed.startsWith("[") || trimmed.startsWith("{"))) return false;
  return parseEventJson(trimmed) === null && unwrapJsonLogLine(trimmed) === null;
}

async function main(): Promise<void> {
  let options: Options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`classify: ${(error as Error).message}\n`);
    process.exit(2);
  }
  if (options.causesDoc) {
    process.stdout.write(renderCausesDoc());
    return;
  }
  const { ctx, lineOptions } = options;
  const out = new Output();

  // A paste (up to MAX_EVIDENCE_CHARS) is read whole as evidence; anything longer is a log, streamed.
  let head: Uint8Array[];
  let complete: boolean;
  try {
    ({ head, complete } = await readHead(process.stdin, MAX_EVIDENCE_CHARS));
  } catch (error) {
    process.stderr.write(`classify: cannot read stdin: ${(error as Error).message}\n`);
    process.exit(1);
  }
  const headBytes = Buffer.concat(head);
  if (complete && !isGzip(headBytes)) {
    const understood = await classifyEvidence(out, new TextDecoder("utf-8").decode(headBytes), options);
    await out.flush();
    if (!understood) process.exitCode = 3;
    return;
  }
  const input = replay(head, complete ? null : process.stdin);
  let notEvents = 0;
  let unreadable = 0;
  const unreadableLines: string[] = [];
  let document: string[] | null = null;
  let documentBytes = 0;
  let seenContent = false;

  const noteUnreadable = (lineNo: number, reason: SkipReason) => {
    unreadable++;
    if (unreadableLines.length < MAX_LISTED_LINES) unreadableLines.push(`${lineNo} (${reason})`);
  };

  try {
    for await (const line of readLines(input)) {
      if (line.skipped !== undefined) {
        noteUnreadable(line.lineNo, line.skipped);
        continue;
      }
      const text = line.text;
      if (document !== null) {
        documentBytes += text.length + 1;
        if (documentBytes <= MAX_DOCUMENT_BYTES) document.push(text);
        else noteUnreadable(line.lineNo, "too-long");
        continue;
      }
      if (text.trim().length === 0) continue;
      if (!seenContent) {
        seenContent = true;
        // A pretty-printed REST response (or an array saved from curl) is read whole at the end.
        if (looksLikeDocumentStart(text)) {
          document = [text];
          documentBytes = text.length + 1;
          continue;
        }
      }
      const first = text.trimStart()[0];
      if (first === "{" || first === "[") {
        const json = parseEventJson(text);
        if (json !== null && (await writeJsonResults(out, json, ctx, line.lineNo)) > 0) continue;
      }
      const event = parseKeycloakEventLine(text, lineOptions);
      if (event !== null) {
        const extra = { lineNo: line.lineNo, timeAssumption: event.timeAssumption, level: event.level };
        await out.write(
          event.kind === "user"
            ? userRecord(event.event, "log", ctx, extra, event.loggedAt)
            : {
                ...adminRecord(event.event, "log", ctx, extra, event.loggedAt),
                realmName: event.authRealmName,
              },
        );
        continue;
      }
      const access = parseAccessLogLine(text);
      if (access !== null && isDenialCandidate(access)) {
        await out.write(httpRecord(access, ctx, line.lineNo));
        continue;
      }
      notEvents++;
    }
  } catch (error) {
    await out.flush();
    process.stderr.write(`classify: cannot read stdin: ${(error as Error).message}\n`);
    process.exit(1);
  }

  if (document !== null) {
    const results = parseEventJsonDocument(document.join("\n"));
    await writeJsonResults(out, results, ctx);
    notEvents += results.filter((r) => !r.ok).length;
  }
  await out.flush();

  const listed =
    unreadable === 0
      ? ""
      : `: line numbers ${unreadableLines.join(", ")}${unreadable > unreadableLines.length ? ", …" : ""}`;
  process.stderr.write(
    `skipped ${notEvents + unreadable} lines (${notEvents} not events, ${unreadable} unreadable${listed})\n`,
  );
  if (out.written === 0) process.exitCode = 3;
}

/** Reads stdin until more than `limit` bytes or its end: `complete` when the end came first. */
async function readHead(
  stream: AsyncIterable<Uint8Array | string>,
  limit: number,
): Promise<{ head: Uint8Array[]; complete: boolean }> {
  const head: Uint8Array[] = [];
  let bytes = 0;
  const iterator = stream[Symbol.asyncIterator]();
  for (;;) {
    const next = await iterator.next();
    if (next.done) return { head, complete: true };
    const chunk = typeof next.value === "string" ? Buffer.from(next.value) : next.value;
    head.push(chunk);
    bytes += chunk.length;
    if (bytes > limit) return { head, complete: false };
  }
}

async function* replay(
  head: Uint8Array[],
  rest: AsyncIterable<Uint8Array | string> | null,
): AsyncGenerator<Uint8Array | string> {
  yield* head;
  if (rest !== null) yield* rest;
}

function isGzip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** The evidence path: every understood piece as one record, cause first; the overall answer on stderr. */
async function classifyEvidence(out: Output, text: string, options: Options): Promise<boolean> {
  let diagnosis: EvidenceDiagnosis;
  let pieces: EvidencePiece[];
  try {
    const reading = readEvidence(text, options.lineOptions);
    pieces = reading.pieces;
    diagnosis = diagnoseEvidence(reading, { now: Date.now(), ctx: options.ctx });
  } catch (error) {
    if (!(error instanceof EvidenceInputError)) throw error;
    process.stderr.write(`classify: ${error.message}\n`);
    return false;
  }
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i] as EvidencePiece;
    const finding = diagnosis.pieces[i];
    await out.write({
      ...verdictFields(finding?.verdict ?? null),
      ...pieceFields(piece),
      understood: finding?.understood ?? null,
      decider: finding?.decider ?? null,
    });
  }
  const skipped = diagnosis.skipped.reduce((n, s) => n + s.to - s.from + 1, 0);
  const listed = diagnosis.skipped
    .slice(0, MAX_LISTED_LINES)
    .map((s) => `${s.from === s.to ? s.from : `${s.from}-${s.to}`} (${s.reason})`)
    .join(", ");
  process.stderr.write(`skipped ${skipped} lines${listed === "" ? "" : `: line numbers ${listed}`}\n`);
  for (const note of diagnosis.notes) process.stderr.write(`${note}\n`);
  const answer = diagnosis.answer;
  if (answer !== null) {
    process.stderr.write(
      `answer: ${answer.cause} (${Math.round(answer.confidence * 100)}%): ${answer.evidence}${answer.decider ? `\nto decide: ${answer.decider}` : ""}\n`,
    );
  }
  return pieces.length > 0;
}

/** The parsed fields of a piece, as the streaming path writes them for the same kind of input. */
function pieceFields(piece: EvidencePiece): object {
  const lineNo = piece.lines.from;
  const lines = piece.lines;
  switch (piece.kind) {
    case "event": {
      const e = piece.event;
      const origin = piece.form === "event-json" || piece.form === "kcadm-json" ? "api" : "log";
      return {
        kind: "user",
        origin,
        form: piece.form,
        lineNo,
        lines,
        ...(piece.level !== undefined ? { timeAssumption: piece.timeAssumption, level: piece.level } : {}),
        ...userFields(e, piece.typeKnown ? e.type : null, e.time === 0 ? null : e.time),
      };
    }
    case "admin-event": {
      const e = piece.event;
      return {
        kind: "admin",
        origin: piece.form === "event-json" ? "api" : "log",
        form: piece.form,
        lineNo,
        lines,
        ...adminFields(e, e.time === 0 ? null : e.time),
      };
    }
    case "access-log":
      return { ...accessLogFields(piece.record, lineNo), lines };
    case "http": {
      const x = piece.exchange;
      return {
        kind: "http",
        origin: "pasted",
        form: piece.form,
        lineNo,
        lines,
        method: x.method,
        url: x.url,
        path: x.path,
        status: x.status,
        error: x.error,
        errorDescription: x.errorDescription,
        errorMessage: x.errorMessage,
        grantType: x.grantType,
      };
    }
    case "token": {
      const c = piece.claims;
      return {
        kind: "token",
        lineNo,
        lines,
        iss: c?.iss ?? null,
        azp: c?.azp ?? null,
        scope: c?.scope ?? null,
        exp: c?.exp ?? null,
        problem: piece.problem,
      };
    }
  }
}

await main();
