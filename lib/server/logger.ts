import { getEnv } from "@/lib/server/env";
import { redact, redactString } from "@/lib/server/redact";

/**
 * Structured logs: one JSON object per line on stdout (errors on stderr), every field passed through redact()
 * so a token, secret or password never reaches a log. The level comes from REALMWATCH_LOG_LEVEL.
 */
const LEVELS = { debug: 10, info: 20, warn: 30, error: 40 } as const;
export type LogLevel = keyof typeof LEVELS;

export type LogSink = (line: string, level: LogLevel) => void;

const consoleSink: LogSink = (line, level) => {
  if (level === "error" || level === "warn") process.stderr.write(`${line}\n`);
  else process.stdout.write(`${line}\n`);
};

export function createLogger(options: { level?: LogLevel; sink?: LogSink; now?: () => Date } = {}) {
  // The level is read when a line is written, so importing the logger never parses the environment.
  const min = () => LEVELS[options.level ?? envLevel()];
  const sink = options.sink ?? consoleSink;
  const now = options.now ?? (() => new Date());
  const write = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (LEVELS[level] < min()) return;
    const body = {
      time: now().toISOString(),
      level,
      msg: redactString(msg),
      ...(redact(fields ?? {}) as object),
    };
    sink(JSON.stringify(body), level);
  };
  return {
    debug: (msg: string, fields?: Record<string, unknown>) => write("debug", msg, fields),
    info: (msg: string, fields?: Record<string, unknown>) => write("info", msg, fields),
    warn: (msg: string, fields?: Record<string, unknown>) => write("warn", msg, fields),
    error: (msg: string, fields?: Record<string, unknown>) => write("error", msg, fields),
  };
}

export type Logger = ReturnType<typeof createLogger>;

/** REALMWATCH_LOG_LEVEL; "info" while the environment is invalid, since a logger must not throw. */
function envLevel(): LogLevel {
  try {
    return getEnv().REALMWATCH_LOG_LEVEL;
  } catch {
    return "info";
  }
}

export const logger: Logger = createLogger();
