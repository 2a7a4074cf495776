/**
 * Puts back together one Keycloak event line that a terminal, an editor or a person broke over several lines:
 * one field per line, a break in the middle of a value (`error="cookie_not_` / `found"`), or in the middle of
 * a key. A following line continues the event only when it cannot start a record of its own and the text so
 * far is visibly unfinished, so unrelated lines around the event are left alone.
 */

const MAX_CONTINUATION_LINES = 60;
const MAX_JOINED = 64 * 1024;

// A log record of its own: a timestamp, a level, a bracketed logger, JSON, HTTP, a stack frame.
const RECORD_START =
  /^\s*(?:\d{4}-\d{2}-\d{2}|\d{2}:\d{2}:\d{2}|(?:TRACE|DEBUG|INFO|WARN|WARNING|ERROR|FATAL|SEVERE)\b|\[[\w.$]+\]|[{[]|[<>*] |HTTP\/|at [\w$.]+\(|Caused by:|\$ |#)/;
const NEW_EVENT = /(?:^|[\s,(|:\]"])(?:type|operationType)=/;
const KEY_START = /^\s*[A-Za-z_][\w.-]{0,127}=/;
const VALUE_TAIL = /^\S{1,200}?(?:"|,|$)/;
const FIELD = /(?:type|operationType|error)=/;
const PARTIAL_KEY = /(?:^|[,\s])[A-Za-z_][\w.-]*$/;

export interface JoinedLine {
  text: string;
  /** Index after the last line used. */
  end: number;
  wrapped: boolean;
}

export function joinWrappedEventLine(lines: readonly string[], start: number): JoinedLine {
  let text = lines[start] ?? "";
  let j = start + 1;
  for (; j < lines.length && j <= start + MAX_CONTINUATION_LINES; j++) {
    const next = lines[j] ?? "";
    if (next.trim() === "" || RECORD_START.test(next)) break;
    // `…, grant_` / `type=client_credentials`: a key cut in two is not a new event.
    const cutKey = /,\s*[A-Za-z_][\w.-]*$/.test(text) && !/^\s/.test(next);
    if (NEW_EVENT.test(next) && text.search(FIELD) !== -1 && !cutKey) break;
    if (text.length + next.length > MAX_JOINED) break;
    const joined = joinOnce(text, next);
    if (joined === null) break;
    text = joined;
  }
  return { text, end: j, wrapped: j > start + 1 };
}

function joinOnce(text: string, next: string): string | null {
  const trimmedEnd = text.trimEnd();
  const spaced = text.endsWith(" ") || text.endsWith("\t") || /^\s/.test(next);
  // Only the events logger's prefix so far: the fields follow on the next line.
  if (text.search(FIELD) === -1) return spaced ? `${trimmedEnd} ${next.trimStart()}` : text + next;
  const body = eventBody(text);
  if (openQuote(body) || openApostrophe(body) || trimmedEnd.endsWith("=")) {
    return spaced ? `${trimmedEnd} ${next.trimStart()}` : text + next;
  }
  // `ipAddress` / `=203.0.113.24, …`: the break fell just before a `=` or a `,`.
  if (!spaced && /^[=,]/.test(next)) return text + next;
  if (trimmedEnd.endsWith(",")) return `${trimmedEnd} ${next.trimStart()}`;
  if (KEY_START.test(next)) {
    // `ipAdd` / `ress="…"`: a key cut in two joins without a separator.
    if (!spaced && PARTIAL_KEY.test(trimmedEnd) && !/=\S*$/.test(trimmedEnd.split(/[,\s]/).pop() ?? "")) {
      return text + next;
    }
    return `${trimmedEnd}, ${next.trimStart()}`;
  }
  // `error=cookie_not_` / `found`: the rest of a bare value, then a comma, a quote or the end.
  if (!spaced && /=[^\s",]*$/.test(trimmedEnd) && VALUE_TAIL.test(next)) return text + next;
  return null;
}

/** The text from the first field on (the prefix may hold quotes of its own). */
function eventBody(text: string): string {
  const at = text.search(/(?:type|operationType|error)=/);
  return at === -1 ? text : text.slice(at);
}

/** An odd count of unescaped double quotes: a quoted value is still open. */
function openQuote(body: string): boolean {
  let open = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === "\\") i++;
    else if (c === '"') open = !open;
  }
  return open;
}

/** Before 23.0.5 a value with spaces was wrapped in unescaped single quotes: one is open when none closes it. */
function openApostrophe(body: string): boolean {
  const at = body.lastIndexOf("='");
  if (at === -1) return false;
  const rest = body.slice(at + 2);
  return !/'(?:,\s*[A-Za-z_][\w.-]*=|\s*$)/.test(rest);
}
