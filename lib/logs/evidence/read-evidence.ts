import { decodeJwtClaims, type TokenClaims } from "@/lib/keycloak/jwt";
import type { KeycloakAdminEvent, KeycloakUserEvent } from "@/lib/keycloak/types";
import type { AccessLogRecord } from "@/lib/logs/access-log-record";
import { removeTokens } from "@/lib/logs/evidence/find-tokens";
import {
  applyBody,
  applyChallenge,
  applyUrl,
  emptyExchange,
  findUrl,
  type HttpExchange,
  readErrorBody,
  readHttpBlock,
  readStatusMention,
  startsHttpBlock,
} from "@/lib/logs/evidence/http-evidence";
import { joinWrappedEventLine } from "@/lib/logs/evidence/join-wrapped-lines";
import { JsonDepth } from "@/lib/logs/evidence/json-depth";
import { readEventFragment } from "@/lib/logs/evidence/read-event-fragment";
import { readEventObject } from "@/lib/logs/evidence/read-event-object";
import { parseAccessLogLine } from "@/lib/logs/parse-access-log-line";
import { type EventLineOptions, parseKeycloakEventLine } from "@/lib/logs/parse-keycloak-event-line";
import type { TimeAssumption } from "@/lib/logs/resolve-log-time";

/** Pasted evidence larger than this is refused whole (never cut): the Import page takes whole logs. */
export const MAX_EVIDENCE_CHARS = 1_000_000;
/** A line longer than this is skipped as too long (a Keycloak event line is a few hundred characters). */
export const MAX_EVIDENCE_LINE = 64 * 1024;
/** At most this many pieces are kept; the rest are counted. */
export const MAX_PIECES = 500;

export class EvidenceInputError extends Error {
  override name = "EvidenceInputError";
}

export interface LineSpan {
  /** 1-based, inclusive. */
  from: number;
  to: number;
}

/** How a Keycloak event was given. */
export type EventForm =
  | "log-line"
  | "prefixless-line"
  | "wrapped-line"
  | "fragment"
  | "json-log"
  | "event-json"
  | "kcadm-json";

/** How an HTTP answer was given. */
export type HttpForm = "curl" | "http-response" | "www-authenticate" | "error-body" | "status-mention";

export type EvidencePiece =
  | {
      kind: "event";
      lines: LineSpan;
      form: EventForm;
      event: KeycloakUserEvent;
      /** False when the type was not in the text (a tail of a line): the classifier must infer it. */
      typeKnown: boolean;
      /** For log lines: the level and how the time was read (see parseKeycloakEventLine). */
      level?: string | null;
      timeAssumption?: TimeAssumption;
    }
  | { kind: "admin-event"; lines: LineSpan; form: EventForm; event: KeycloakAdminEvent }
  | { kind: "access-log"; lines: LineSpan; record: AccessLogRecord }
  | { kind: "http"; lines: LineSpan; form: HttpForm; exchange: HttpExchange }
  | {
      kind: "token";
      lines: LineSpan;
      /** The placeholder that replaced it in the text. */
      n: number;
      claims: TokenClaims | null;
      /** Why it could not be read, when claims is null. */
      problem: string | null;
    };

export type SkipReason = "not-understood" | "binary" | "too-long" | "stack-frame" | "not-an-event-json";

export interface SkippedLines extends LineSpan {
  reason: SkipReason;
}

export interface EvidenceReading {
  lineCount: number;
  pieces: EvidencePiece[];
  /** Pieces past MAX_PIECES, counted but not kept. */
  piecesDropped: number;
  /** Runs of lines nothing was read from, with why. */
  skipped: SkippedLines[];
  /** Plain sentences about the input as a whole (replacement characters, NUL bytes). */
  notes: string[];
}

export interface ReadEvidenceOptions extends EventLineOptions {
  /** Tokens already decoded elsewhere (the browser), by placeholder number; the text holds `[token n]`. */
  decodedTokens?: readonly { n: number; claims: TokenClaims | null; problem?: string | null }[];
}

const BINARY = /[\x00-\x08\x0b\x0c\x0e-\x1a\x1c-\x1f\x7f]/;
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;
const EVENT_FIELD = /(?:^|[\s,(|:\]"])(?:type|operationType|error)=/;
// The events logger's prefix alone (a line wrapped before its first field).
const EVENTS_LOGGER = /\[(?:org\.keycloak\.events|o\.k\.events|events)(?::\d+)?\]|\sorg\.keycloak\.events\s/;
const TOKEN_PLACEHOLDER = /\[token \d+\]/;
const STACK_FRAME =
  /^\s*(?:at [\w$.<>/]+\(|\.\.\. \d+ (?:more|common frames omitted)|Caused by: |File ".*", line \d+)/;

/**
 * Reads whatever a person pasted into pieces of evidence: Keycloak event lines in any form (with or without
 * prefix, wrapped, fragments, JSON console logs), event JSON (one, an array, kcadm output), access-log lines,
 * curl -v transcripts, raw HTTP responses, WWW-Authenticate headers, error bodies, exceptions naming a URL and
 * a status, and JWTs (decoded here, then dropped: only their claims go on). Every line is either part of a
 * piece or listed as skipped, with why. Throws EvidenceInputError when the text is too large to read whole.
 */
export function readEvidence(input: string, options: ReadEvidenceOptions = {}): EvidenceReading {
  if (typeof input !== "string") throw new EvidenceInputError("The evidence must be text.");
  if (input.length > MAX_EVIDENCE_CHARS) {
    throw new EvidenceInputError(
      `The pasted text is ${input.length.toLocaleString("en-US")} characters; the limit is ${MAX_EVIDENCE_CHARS.toLocaleString("en-US")}. Paste the lines around the failure, or import the whole log on the Import page.`,
    );
  }
  const notes: string[] = [];
  const { text, tokens } = removeTokens(input);
  const lines = text.split(/\r?\n|\r/);
  const reading: EvidenceReading = {
    lineCount: lines.length,
    pieces: [],
    piecesDropped: 0,
    skipped: [],
    notes,
  };
  const add = (piece: EvidencePiece) => {
    if (reading.pieces.length < MAX_PIECES) reading.pieces.push(piece);
    else reading.piecesDropped++;
  };
  const skip = (from: number, to: number, reason: SkipReason) => {
    const last = reading.skipped[reading.skipped.length - 1];
    if (last !== undefined && last.reason === reason && last.to === from - 1) last.to = to;
    else reading.skipped.push({ from, to, reason });
  };

  for (const found of tokens) {
    let claims: TokenClaims | null = null;
    let problem: string | null = null;
    try {
      claims = decodeJwtClaims(found.token);
    } catch (error) {
      problem = error instanceof Error ? error.message : "The token could not be read.";
    }
    add({ kind: "token", lines: { from: found.line, to: found.line }, n: found.n, claims, problem });
  }
  for (const decoded of options.decodedTokens ?? []) {
    const line = lines.findIndex((l) => l.includes(`[token ${decoded.n}]`));
    add({
      kind: "token",
      lines: { from: line + 1 || 1, to: line + 1 || 1 },
      n: decoded.n,
      claims: decoded.claims,
      problem: decoded.problem ?? null,
    });
  }

  let nul = 0;
  let replaced = 0;
  let i = 0;
  while (i < lines.length) {
    let line = lines[i] ?? "";
    const lineNo = i + 1;
    if (line.trim() === "") {
      i++;
      continue;
    }
    if (line.length > MAX_EVIDENCE_LINE) {
      skip(lineNo, lineNo, "too-long");
      i++;
      continue;
    }
    if (line.includes("\x1b")) line = line.replace(ANSI, "");
    if (BINARY.test(line)) {
      if (line.includes("\0")) nul++;
      skip(lineNo, lineNo, "binary");
      i++;
      continue;
    }
    if (line.includes("\uFFFD")) replaced++;
    const t = line.trim();

    // JSON: one value, possibly pretty-printed over many lines.
    if (t.startsWith("{") || t.startsWith("[")) {
      const json = readJsonValue(lines, i);
      if (json !== null) {
        const span = { from: lineNo, to: json.end };
        if (!readJson(json.value, span, options, add)) skip(span.from, span.to, "not-an-event-json");
        i = json.end;
        continue;
      }
    }

    // curl -v transcripts and raw HTTP exchanges.
    if (startsHttpBlock(line) || (t.startsWith("* ") && curlFollows(lines, i))) {
      const block = readHttpBlock(lines, i);
      const exchange = block.exchange;
      if (exchange.status !== null || exchange.error !== null) {
        const form: HttpForm = lines.slice(i, block.end).some((l) => /^\s*[<>] /.test(l))
          ? "curl"
          : "http-response";
        add({ kind: "http", lines: { from: lineNo, to: block.end }, form, exchange });
      } else skip(lineNo, block.end, "not-understood");
      i = block.end;
      continue;
    }

    // A lone WWW-Authenticate header.
    const challenge = /^(?:[<>]\s*)?www-authenticate:\s*(.+)$/i.exec(t);
    if (challenge?.[1] !== undefined) {
      const exchange = emptyExchange();
      applyChallenge(exchange, challenge[1]);
      exchange.status = exchange.error === "insufficient_scope" ? 403 : exchange.error !== null ? 401 : null;
      completeFromNeighbours(exchange, lines, i);
      add({ kind: "http", lines: { from: lineNo, to: lineNo }, form: "www-authenticate", exchange });
      i++;
      continue;
    }

    // Keycloak event lines, possibly wrapped over several lines or cut to a fragment.
    if (EVENT_FIELD.test(line) || EVENTS_LOGGER.test(line)) {
      const joined = joinWrappedEventLine(lines, i);
      const piece = readEventText(joined.text, { from: lineNo, to: joined.end }, joined.wrapped, options);
      if (piece !== null) {
        add(piece);
        i = joined.end;
        continue;
      }
    }
    if (line.includes('"message"')) {
      const piece = readEventText(line, { from: lineNo, to: lineNo }, false, options);
      if (piece !== null) {
        add(piece);
        i++;
        continue;
      }
    }

    const access = parseAccessLogLine(line);
    if (access !== null) {
      add({ kind: "access-log", lines: { from: lineNo, to: lineNo }, record: access });
      i++;
      continue;
    }

    const mention = readStatusMention(line);
    if (mention !== null) {
      completeFromNeighbours(mention, lines, i);
      add({ kind: "http", lines: { from: lineNo, to: lineNo }, form: "status-mention", exchange: mention });
      i++;
      continue;
    }

    // A line that held a token was read: the token is a piece of its own.
    if (!TOKEN_PLACEHOLDER.test(line)) {
      skip(lineNo, lineNo, STACK_FRAME.test(line) ? "stack-frame" : "not-understood");
    }
    i++;
  }
  // In the order of the text (tokens were read first); sort is stable for pieces of one span.
  reading.pieces.sort((a, b) => a.lines.from - b.lines.from);
  if (nul > 0) notes.push(`${nul} line(s) hold NUL bytes or other binary characters and were skipped.`);
  if (replaced > 0) {
    notes.push(
      `${replaced} line(s) hold characters that were not valid UTF-8 (shown as \uFFFD); they were read as they are.`,
    );
  }
  return reading;
}

/** A `* Trying …` line opens a curl transcript when request lines (`> `) follow soon. */
function curlFollows(lines: readonly string[], i: number): boolean {
  for (let j = i + 1; j < Math.min(lines.length, i + 8); j++)
    if (/^\s*> \S/.test(lines[j] ?? "")) return true;
  return false;
}

/** A mention without a URL takes the nearest URL within three lines (axios prints its config below). */
function completeFromNeighbours(exchange: HttpExchange, lines: readonly string[], i: number): void {
  if (exchange.url !== null) return;
  for (let d = 1; d <= 3; d++) {
    for (const j of [i - d, i + d]) {
      const url = findUrl(lines[j] ?? "");
      if (url !== null) {
        applyUrl(exchange, url);
        return;
      }
    }
  }
}

function readEventText(
  text: string,
  lines: LineSpan,
  wrapped: boolean,
  options: EventLineOptions,
): EvidencePiece | null {
  const parsed = parseKeycloakEventLine(text, options);
  if (parsed !== null && !(parsed.kind === "user" && parsed.fragment && parsed.event.error === null)) {
    const json = /"message"\s*:/.test(text);
    const form: EventForm = wrapped
      ? "wrapped-line"
      : json
        ? "json-log"
        : parsed.timeAssumption === "none" && parsed.level === null
          ? "prefixless-line"
          : "log-line";
    return parsed.kind === "user"
      ? {
          kind: "event",
          lines,
          form,
          event: parsed.event,
          typeKnown: true,
          level: parsed.level,
          timeAssumption: parsed.timeAssumption,
        }
      : { kind: "admin-event", lines, form, event: parsed.event };
  }
  const fragment = readEventFragment(text);
  if (fragment === null) return null;
  return {
    kind: "event",
    lines,
    form: wrapped ? "wrapped-line" : "fragment",
    event: fragment.event,
    typeKnown: fragment.typeKnown,
  };
}

/** Reads a JSON value: event(s), a JSON log record, or an error body. False when it is none of them. */
function readJson(
  value: unknown,
  lines: LineSpan,
  options: EventLineOptions,
  add: (piece: EvidencePiece) => void,
): boolean {
  const items = Array.isArray(value) ? value : [value];
  let understood = false;
  for (const item of items) {
    const event = readEventObject(item);
    if (event !== null) {
      const form: EventForm = event.complete ? "event-json" : "kcadm-json";
      if (event.kind === "user") add({ kind: "event", lines, form, event: event.event, typeKnown: true });
      else add({ kind: "admin-event", lines, form, event: event.event });
      understood = true;
      continue;
    }
    if (
      item !== null &&
      typeof item === "object" &&
      typeof (item as { message?: unknown }).message === "string"
    ) {
      const piece = readEventText(JSON.stringify(item), lines, false, options);
      if (piece !== null) {
        add(piece);
        understood = true;
        continue;
      }
    }
    const body = readErrorBody(item);
    if (body !== null) {
      const exchange = emptyExchange();
      applyBody(exchange, JSON.stringify(item));
      const status = /^HTTP (\d{3})/.exec(body.error ?? "");
      if (status?.[1] !== undefined) exchange.status = Number(status[1]);
      add({ kind: "http", lines, form: "error-body", exchange });
      understood = true;
    }
  }
  return understood;
}

const MAX_JSON_LINES = 5000;

/** The JSON value starting at lines[start] (one line or pretty-printed), and the index after its last line. */
function readJsonValue(lines: readonly string[], start: number): { value: unknown; end: number } | null {
  const depth = new JsonDepth();
  for (let j = start; j < lines.length && j < start + MAX_JSON_LINES; j++) {
    if (!depth.feed(lines[j] ?? "")) {
      try {
        return { value: JSON.parse(lines.slice(start, j + 1).join("\n")), end: j + 1 };
      } catch {
        return null;
      }
    }
  }
  return null;
}
