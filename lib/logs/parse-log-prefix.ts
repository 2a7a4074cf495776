import {
  dateTimeStamp,
  findLogTimestamp,
  type LogTimestamp,
  timeOnlyStamp,
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

// The two default console patterns, read with one anchored match each; every other shape takes the general path.
const QUARKUS_DEFAULT =
  /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}),(\d{3}) +(TRACE|DEBUG|INFO|WARN|ERROR|FATAL) +\[([A-Za-z_$][\w.$-]*)(?::\d+)?\]/;
const WILDFLY_DEFAULT =
  /^(\d{2}):(\d{2}):(\d{2}),(\d{3}) +(TRACE|DEBUG|INFO|WARN|ERROR|FATAL) +\[([A-Za-z_$][\w.$-]*)(?::\d+)?\]/;

function fastPath(prefix: string): LogPrefix | null {
  // Groups 1-7 are a date-and-time match without zone; 8 the level, 9 the logger.
  const q = QUARKUS_DEFAULT.exec(prefix);
  if (q !== null) {
    const stamp = dateTimeStamp(q.slice(0, 8));
    return stamp ? { stamp, level: q[8] ?? null, logger: q[9] ?? null } : null;
  }
  const w = WILDFLY_DEFAULT.exec(prefix);
  if (w !== null) {
    const stamp = timeOnlyStamp(w);
    return stamp ? { stamp, level: w[5] ?? null, logger: w[6] ?? null } : null;
  }
  return null;
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
