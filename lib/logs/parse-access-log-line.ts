import { type AccessLogRecord, applyTarget, cap, headerValue, setIf } from "@/lib/logs/access-log-record";
import { parseAccessLogJson } from "@/lib/logs/parse-access-log-json";
import { parseClfTime } from "@/lib/logs/parse-clf-time";
import { parseLogPrefix } from "@/lib/logs/parse-log-prefix";
import { unwrapJsonLogLine } from "@/lib/logs/unwrap-json-log-line";

// %t in brackets, then the quoted request line: [10/Oct/2000:13:55:36 -0700] "
const CLF_TIME = /\[(\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2}(?: [+-]\d{4})?)\] "/;
const AFTER_REQUEST = / (\d{3}) (\d+|-)/y;
const QUOTED_PAIR = / "((?:[^"\\]|\\.)*)" "((?:[^"\\]|\\.)*)"/y;
const METHOD = /^[A-Z]{3,10}$/;

/**
 * Parses one HTTP access-log line: Keycloak's own http-access-log (Quarkus `common`/`combined`
 * patterns, `%h %l %u %t "%r" %s %b ["%{i,Referer}" "%{i,User-Agent}"]`, behind Keycloak's log prefix or
 * inside a JSON console record), Apache/nginx Common and Combined formats, nginx JSON and Traefik JSON.
 * Keycloak's `long` pattern prints headers over several lines and carries no status, so it is not
 * readable here. Returns null for anything else.
 */
export function parseAccessLogLine(text: string): AccessLogRecord | null {
  const brace = text.indexOf("{");
  if (brace !== -1 && text.indexOf('"message"') !== -1) {
    const json = unwrapJsonLogLine(text);
    if (json !== null) {
      const inner = parseCommonLogFormat(json.message);
      if (inner !== null && isAccessLogger(json.logger)) inner.format = "keycloak";
      return inner;
    }
  }
  if (brace !== -1 && text.trimStart().startsWith("{")) return parseAccessLogJson(text.slice(brace));
  return parseCommonLogFormat(text);
}

/**
 * A line worth keeping as a denial: 401 or 403 anywhere, or 400 at the token endpoint (where Keycloak
 * answers invalid_grant, invalid_client and invalid_scope).
 */
export function isDenialCandidate(record: Pick<AccessLogRecord, "status" | "path">): boolean {
  if (record.status === 401 || record.status === 403) return true;
  return record.status === 400 && record.path.endsWith("/protocol/openid-connect/token");
}

function parseCommonLogFormat(text: string): AccessLogRecord | null {
  const time = CLF_TIME.exec(text);
  if (time === null) return null;
  // `… %h %l %u` before the time: the three fields after the last three spaces, the log prefix before them.
  // Found from the end with lastIndexOf: splitting the line and joining the prefix back was a third of the
  // time of a whole access-log line (measured, V8 12).
  const head = text.slice(0, time.index).trimEnd();
  const userSpace = spaceBefore(head, head.length);
  const identSpace = spaceBefore(head, userSpace);
  if (identSpace === -1) return null;
  const hostSpace = spaceBefore(head, identSpace);
  const ipAddress = head.slice(hostSpace + 1, identSpace);

  const requestStart = time.index + time[0].length;
  const requestEnd = findRequestEnd(text, requestStart);
  if (requestEnd === -1) return null;
  // "%r" is `METHOD target PROTOCOL`: the method before the first space, the target up to the next one.
  const methodEnd = spaceWithin(text, requestStart, requestEnd);
  const method = text.slice(requestStart, methodEnd === -1 ? requestEnd : methodEnd);
  if (methodEnd === -1 || !METHOD.test(method)) return null;
  const targetEnd = spaceWithin(text, methodEnd + 1, requestEnd);
  const target = text.slice(methodEnd + 1, targetEnd === -1 ? requestEnd : targetEnd);

  AFTER_REQUEST.lastIndex = requestEnd + 1;
  const after = AFTER_REQUEST.exec(text);
  if (after === null) return null;
  QUOTED_PAIR.lastIndex = AFTER_REQUEST.lastIndex;
  const pair = QUOTED_PAIR.exec(text);

  const keycloak = hostSpace > 0 && isAccessLogger(parseLogPrefix(head.slice(0, hostSpace)).logger);
  const bytes = after[2] === "-" ? undefined : Number(after[2]);
  const referer = headerValue(pair?.[1]);
  const userAgent = headerValue(pair?.[2]);

  const record: AccessLogRecord = {
    format: keycloak ? "keycloak" : pair === null ? "common" : "combined",
    time: parseClfTime(time[1] ?? ""),
    ipAddress: ipAddress === "-" ? null : cap(ipAddress),
    method,
    path: "",
    status: Number(after[1]),
  };
  applyTarget(record, target);
  setIf(record, "bytes", bytes);
  setIf(record, "referer", referer);
  setIf(record, "userAgent", userAgent);
  return record;
}

/** The last space before `end`, or -1. */
function spaceBefore(text: string, end: number): number {
  return end <= 0 ? -1 : text.lastIndexOf(" ", end - 1);
}

/** The first space in `from`..`end` (exclusive), or -1. */
function spaceWithin(text: string, from: number, end: number): number {
  const i = text.indexOf(" ", from);
  return i === -1 || i >= end ? -1 : i;
}

/** The quote closing "%r": nginx escapes quotes inside it as \x22, so the first `" NNN` ends it. */
function findRequestEnd(text: string, from: number): number {
  let i = text.indexOf('"', from);
  while (i !== -1) {
    if (text.charCodeAt(i + 1) === 0x20 && /\d/.test(text[i + 2] ?? "")) return i;
    i = text.indexOf('"', i + 1);
  }
  return -1;
}

/** Quarkus logs the access log under io.quarkus.http.access-log; Keycloak may set its own category. */
function isAccessLogger(logger: string | null): boolean {
  return logger !== null && /access[-_.]?log/i.test(logger);
}
