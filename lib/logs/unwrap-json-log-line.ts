import { normalizeLevel } from "@/lib/logs/parse-log-prefix";

/** A JSON console log record (Keycloak's `--log-console-output=json`, default or ECS layout). */
export interface JsonLogLine {
  message: string;
  timestamp: string | null;
  level: string | null;
  logger: string | null;
  /** Text in front of the JSON object (a docker-compose or kubectl prefix). */
  outerPrefix: string;
  /** The JSON was cut short or pasted over; the message is what could be recovered. */
  fragment: boolean;
}

const MESSAGE_KEY = /"message"\s*:\s*"/;
const STRING_FIELD = (key: string) =>
  new RegExp(`"${key.replace(".", "\\.")}"\\s*:\\s*"((?:[^"\\\\]|\\\\.)*)"`);
const FRAGMENT_FIELDS = {
  timestamp: [STRING_FIELD("timestamp"), STRING_FIELD("@timestamp")],
  level: [STRING_FIELD("level"), STRING_FIELD("log.level")],
  logger: [STRING_FIELD("loggerName"), STRING_FIELD("log.logger")],
};

/**
 * Pulls the message and its metadata out of a JSON console log line. A whole object is parsed with
 * JSON.parse; a fragment (a line cut by a terminal, or trimmed by whoever pasted it) is read field by
 * field, and a message string missing its end is decoded as far as it goes.
 */
export function unwrapJsonLogLine(text: string): JsonLogLine | null {
  const keyAt = text.search(MESSAGE_KEY);
  if (keyAt === -1) return null;
  const brace = text.indexOf("{");
  if (brace !== -1 && brace < keyAt) {
    const whole = parseObject(text.slice(brace), text.slice(0, brace));
    if (whole !== null) return whole;
  }
  return parseFragment(text, keyAt, brace !== -1 && brace < keyAt ? text.slice(0, brace) : "");
}

function parseObject(json: string, outerPrefix: string): JsonLogLine | null {
  const trimmed = json.trimEnd();
  if (!trimmed.endsWith("}")) return null;
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return null;
  const record = value as Record<string, unknown>;
  const message = record.message;
  if (typeof message !== "string") return null;
  const log =
    typeof record.log === "object" && record.log !== null ? (record.log as Record<string, unknown>) : {};
  const level = firstString(record.level, record["log.level"], log.level);
  return {
    message,
    timestamp: firstString(record.timestamp, record["@timestamp"], record.time),
    level: level === null ? null : normalizeLevel(level),
    logger: firstString(record.loggerName, record["log.logger"], log.logger, record.logger_name),
    outerPrefix,
    fragment: false,
  };
}

function parseFragment(text: string, keyAt: number, outerPrefix: string): JsonLogLine {
  const open = text.indexOf('"', text.indexOf(":", keyAt + 9)) + 1;
  const { value, complete } = decodeJsonString(text, open);
  const level = fieldFromFragment(text, FRAGMENT_FIELDS.level);
  return {
    message: value,
    timestamp: fieldFromFragment(text, FRAGMENT_FIELDS.timestamp),
    level: level === null ? null : normalizeLevel(level),
    logger: fieldFromFragment(text, FRAGMENT_FIELDS.logger),
    outerPrefix,
    fragment: !complete,
  };
}

function fieldFromFragment(text: string, patterns: RegExp[]): string | null {
  for (const pattern of patterns) {
    const m = pattern.exec(text);
    if (m?.[1] !== undefined) return decodeJsonString(`${m[1]}"`, 0).value;
  }
  return null;
}

const ESCAPES: Record<string, string> = {
  '"': '"',
  "\\": "\\",
  "/": "/",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
};

/** Decodes a JSON string body starting at `from` up to its closing quote, or to the end if it has none. */
function decodeJsonString(text: string, from: number): { value: string; complete: boolean } {
  let out = "";
  let runStart = from;
  let i = from;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') return { value: out + text.slice(runStart, i), complete: true };
    if (c !== "\\") {
      i++;
      continue;
    }
    out += text.slice(runStart, i);
    const e = text[i + 1];
    if (e === undefined) {
      runStart = i + 1;
      break;
    }
    if (e === "u") {
      const code = Number.parseInt(text.slice(i + 2, i + 6), 16);
      if (!Number.isNaN(code)) out += String.fromCharCode(code);
      i += 6;
    } else {
      out += ESCAPES[e] ?? e;
      i += 2;
    }
    runStart = i;
  }
  return { value: out + text.slice(runStart, Math.min(i, text.length)), complete: false };
}

function firstString(...values: unknown[]): string | null {
  for (const value of values) if (typeof value === "string" && value.length > 0) return value;
  return null;
}
