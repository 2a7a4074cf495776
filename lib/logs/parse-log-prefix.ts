import { CLOSE_BRACKET, COLON, COMMA, DASH, OPEN_BRACKET, SPACE } from "@/lib/logs/char-codes";
import { digits } from "@/lib/logs/digits";
import {
  dateTimeParts,
  findLogTimestamp,
  type LogTimestamp,
  timeOnlyParts,
} from "@/lib/logs/find-log-timestamp";

/** What the text in front of a log message says: when, how loud, which logger. */
export interface LogPrefix {
  stamp: LogTimestamp | null;
  /** Upper-case level as logged (WARNING and SEVERE are folded to WARN and ERROR). */
  level: string | null;
  logger: string | null;
}

const LEVEL = /(?:^|[\s|])(TRACE|DEBUG|INFO|WARN|WARNING|ERROR|FATAL|SEVERE)(?=\s|$)/;
// [org.keycloak.events], [org.keycloak.events:130] (Quarkus with line numbers), [o.k.events], [events]
const BRACKETED_LOGGER = /\[([A-Za-z_$][\w.$-]*)(?::\d+)?\]/g;
// Spring Boot / logback: `--- [nio-9000-exec-2] org.keycloak.events                      : `
const TRAILING_LOGGER = /\s([A-Za-z_$][\w.$]*)\s+:\s*$/;

/**
 * Reads the prefix in front of an event: docker-compose (`keycloak   | `), kubectl `--timestamps`,
 * journald, WildFly (`08:12:20,561 WARN  [org.keycloak.events] (default task-3)`), Quarkus
 * (`2024-02-29 16:33:28,967 WARN  [org.keycloak.events] (executor-thread-7)`) and logback prefixes, in
 * any nesting. It only extracts; it never rejects a line.
 */
export function parseLogPrefix(prefix: string): LogPrefix {
  if (prefix.length === 0) return { stamp: null, level: null, logger: null };
  return (
    fastPath(prefix) ?? {
      stamp: findLogTimestamp(prefix),
      level: findLevel(prefix),
      logger: findLogger(prefix),
    }
  );
}

/**
 * The two default console patterns, read at fixed positions (every event line passes here, and a regex
 * with nine groups and seven Number() calls was a sixth of an event line's parse, measured on V8 12):
 * Quarkus `yyyy-MM-dd HH:mm:ss,SSS LEVEL [logger]` and WildFly `HH:mm:ss,SSS LEVEL [logger]`, the logger
 * optionally with `:line`, anything after it. Every other shape takes the general path, and so does a
 * default prefix whose date or time is out of range.
 */
function fastPath(prefix: string): LogPrefix | null {
  if (prefix.charCodeAt(2) === COLON) {
    const time = timeAt(prefix, 0);
    if (time === null) return null;
    const tail = levelAndLogger(prefix, 12);
    if (tail === null) return null;
    const stamp = timeOnlyParts(time.hour, time.minute, time.second, time.millis);
    return stamp ? { stamp, level: tail.level, logger: tail.logger } : null;
  }
  const year = digits(prefix, 0, 4);
  const month = digits(prefix, 5, 2);
  const day = digits(prefix, 8, 2);
  if (year < 0 || month < 0 || day < 0) return null;
  if (prefix.charCodeAt(4) !== DASH || prefix.charCodeAt(7) !== DASH || prefix.charCodeAt(10) !== SPACE)
    return null;
  const time = timeAt(prefix, 11);
  if (time === null) return null;
  const tail = levelAndLogger(prefix, 23);
  if (tail === null) return null;
  const stamp = dateTimeParts(year, month, day, time.hour, time.minute, time.second, time.millis, undefined);
  return stamp ? { stamp, level: tail.level, logger: tail.logger } : null;
}

/** `HH:mm:ss,SSS` at `from`, or null. */
function timeAt(text: string, from: number) {
  const hour = digits(text, from, 2);
  const minute = digits(text, from + 3, 2);
  const second = digits(text, from + 6, 2);
  const millis = digits(text, from + 9, 3);
  if (hour < 0 || minute < 0 || second < 0 || millis < 0) return null;
  if (text.charCodeAt(from + 2) !== COLON || text.charCodeAt(from + 5) !== COLON) return null;
  return text.charCodeAt(from + 8) === COMMA ? { hour, minute, second, millis } : null;
}

/** ` +LEVEL +[logger(:line)?]` at `from`, or null. */
function levelAndLogger(text: string, from: number): { level: string; logger: string } | null {
  let i = from;
  if (text.charCodeAt(i) !== SPACE) return null;
  while (text.charCodeAt(i) === SPACE) i++;
  const levelEnd = text.indexOf(" ", i);
  if (levelEnd === -1) return null;
  const level = defaultLevel(text.slice(i, levelEnd));
  if (level === null) return null;
  i = levelEnd;
  while (text.charCodeAt(i) === SPACE) i++;
  if (text.charCodeAt(i) !== OPEN_BRACKET || !isLoggerStart(text.charCodeAt(i + 1))) return null;
  const start = i + 1;
  i += 2;
  while (isLoggerChar(text.charCodeAt(i))) i++;
  const end = i;
  if (text.charCodeAt(i) === COLON) {
    i++;
    if (digits(text, i, 1) < 0) return null;
    while (digits(text, i, 1) >= 0) i++;
  }
  return text.charCodeAt(i) === CLOSE_BRACKET ? { level, logger: text.slice(start, end) } : null;
}

function defaultLevel(word: string): string | null {
  switch (word) {
    case "TRACE":
    case "DEBUG":
    case "INFO":
    case "WARN":
    case "ERROR":
    case "FATAL":
      return word;
    default:
      return null;
  }
}

/** [A-Za-z_$] */
function isLoggerStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c === 0x24;
}

/** [\w.$-] */
function isLoggerChar(c: number): boolean {
  return isLoggerStart(c) || (c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x2d;
}

export function normalizeLevel(level: string): string {
  const upper = level.toUpperCase();
  if (upper === "WARNING") return "WARN";
  if (upper === "SEVERE") return "ERROR";
  return upper;
}

/** The jboss-logging listener logs to `org.keycloak.events`; formats abbreviate it. */
export function isEventsLogger(logger: string | null): boolean {
  return logger !== null && (logger === "events" || logger.endsWith(".events"));
}

function findLevel(prefix: string): string | null {
  const m = LEVEL.exec(prefix);
  return m?.[1] === undefined ? null : normalizeLevel(m[1]);
}

function findLogger(prefix: string): string | null {
  let fallback: string | null = null;
  BRACKETED_LOGGER.lastIndex = 0;
  for (let m = BRACKETED_LOGGER.exec(prefix); m !== null; m = BRACKETED_LOGGER.exec(prefix)) {
    const name = m[1] ?? "";
    if (name.includes(".")) return name;
    if (name === "events") fallback ??= name;
  }
  if (fallback !== null) return fallback;
  return TRAILING_LOGGER.exec(prefix)?.[1] ?? null;
}
