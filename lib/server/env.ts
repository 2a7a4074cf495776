import { z } from "zod";

/**
 * Every environment variable realmwatch reads, with its default: nothing else in lib or app reads process.env.
 * The README's configuration table mirrors this. A bad value stops the process with a message naming the
 * variable. Parsed once and parsed again only when one of these variables changes, since the start scripts set
 * some after the first read (DATABASE_URL once the embedded PostgreSQL runs, the demo Keycloak's address).
 */
const flag = z.union([
  z.boolean(),
  z.enum(["1", "0", "true", "false"]).transform((v) => v === "1" || v === "true"),
]);

/** Placeholders people leave in example files, and values such as "abcabcabc…" or "aaaa…". */
const PLACEHOLDER =
  /change[-_ ]?(me|it|this)|placeholder|replace[-_ ]?(me|this)|your[-_ ]?(own[-_ ]?)?(secret|key)|random[-_ ]?char|example|xxxxxx|0{8}/i;

export function weakSecretKey(key: string): boolean {
  if (PLACEHOLDER.test(key)) return true;
  // Eight, not more: 32 random hex digits have fewer than 10 distinct ones once in ~10,000 keys (measured),
  // fewer than 8 about once in 25 million.
  if (new Set(key).size < 8) return true;
  for (let period = 1; period <= key.length / 2; period++) {
    let repeats = true;
    for (let i = period; i < key.length && repeats; i++) repeats = key[i] === key[i - period];
    if (repeats) return true;
  }
  return false;
}

const schema = z.object({
  DATABASE_URL: z.string().url().optional(),
  REALMWATCH_DATA_DIR: z.string().default(".data"),
  REALMWATCH_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
  /**
   * The embedded PostgreSQL's shared buffer pool in MiB (lib/db/embedded.ts). Every server process maps the pool,
   * so each one's RSS counts the part of it that it touched.
   */
  REALMWATCH_PG_SHARED_BUFFERS_MB: z.coerce.number().int().min(16).max(1_048_576).default(128),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().default("127.0.0.1"),
  /**
   * Connections the server serves at once; past them a push is answered 429 with Retry-After and its connection
   * closed, and past four times as many a connection is closed unanswered (lib/server/http-server.ts).
   */
  REALMWATCH_MAX_CONNECTIONS: z.coerce.number().int().min(1).max(1_000_000).default(1024),
  KEYCLOAK_URL: z.string().url().optional(),
  KEYCLOAK_AUTH_REALM: z.string().min(1).default("master"),
  KEYCLOAK_CLIENT_ID: z.string().min(1).optional(),
  KEYCLOAK_CLIENT_SECRET: z.string().min(1).optional(),
  KEYCLOAK_REALMS: z.string().default("*"),
  REALMWATCH_SYNC_INTERVAL_SEC: z.coerce.number().min(1).default(30),
  REALMWATCH_SYNC_OVERLAP_SEC: z.coerce.number().min(0).default(300),
  /**
   * What each sync run re-reads before its cursor; each event is also read once more when it is an overlap old
   * (lib/ingest/sync/sync-stream.ts, agedRead).
   */
  REALMWATCH_SYNC_SHORT_OVERLAP_SEC: z.coerce.number().min(0).default(10),
  REALMWATCH_SYNC_SETTLE_SEC: z.coerce.number().min(0).default(5),
  REALMWATCH_SYNC_PAGE_SIZE: z.coerce.number().int().min(1).max(100_000).default(5000),
  REALMWATCH_DEMO: z.enum(["auto", "on", "off"]).default("auto"),
  REALMWATCH_DEMO_KEYCLOAK_PORT: z.coerce.number().int().min(0).max(65535).default(8180),
  /** Set by the demo start path (scripts/start.ts) to the demo Keycloak it started: adds the demo's feed job. */
  REALMWATCH_DEMO_KEYCLOAK_URL: z.string().url().optional(),
  /** "off": the server does not sync in the background (a separate `npm run sync` does). */
  REALMWATCH_POLLER: z.enum(["on", "off"]).default("on"),
  /** The address people open realmwatch at: redirect URI, CSRF origin, links in alerts. */
  REALMWATCH_PUBLIC_URL: z.string().url().optional(),
  /** More Host names realmwatch answers to (comma-separated host[:port]); lib/auth/allowed-hosts.ts. */
  REALMWATCH_ALLOWED_HOSTS: z.string().optional(),
  REALMWATCH_SECRET_KEY: z
    .string()
    .min(32)
    .refine((key) => !weakSecretKey(key), {
      message:
        "looks like a placeholder or a low-entropy value, which would let anyone who guesses it forge a session; " +
        "use 32 or more random characters (e.g. the output of `openssl rand -base64 32`)",
    })
    .optional(),
  REALMWATCH_LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  // Sign-in (lib/auth/config.ts turns these into one of three modes).
  REALMWATCH_OIDC_ISSUER: z.string().url().optional(),
  REALMWATCH_OIDC_CLIENT_ID: z.string().min(1).optional(),
  REALMWATCH_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  REALMWATCH_ALLOW_ANONYMOUS: flag.default(false),
  REALMWATCH_SESSION_HOURS: z.coerce.number().min(0.25).max(720).default(12),
  /** Keycloak sources and alert webhooks may be on loopback or private addresses (lib/server/outbound.ts). */
  REALMWATCH_ALLOW_PRIVATE_SOURCES: flag.default(false),
  /** Behind a reverse proxy that sets X-Forwarded-For and X-Forwarded-Proto. */
  REALMWATCH_TRUST_PROXY: flag.default(false),
  /** Bearer token /metrics asks for; open when unset. */
  REALMWATCH_METRICS_TOKEN: z.string().min(1).optional(),
  // Retention and privacy (lib/retention/retention-config.ts).
  REALMWATCH_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  /** Successes' own tier: at most as long as the failures are kept (a longer setting keeps them that long). */
  REALMWATCH_SUCCESS_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(7),
  /** user_days, what expired events said of each user: at least as long as the failures are kept. */
  REALMWATCH_SUMMARY_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(400),
  REALMWATCH_ADMIN_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(365),
  REALMWATCH_RETENTION_BATCH: z.coerce.number().int().min(100).max(100_000).default(5000),
  REALMWATCH_TRUNCATE_IP: flag.default(false),
  REALMWATCH_HASH_USERNAMES: flag.default(false),
});

export type Env = z.infer<typeof schema>;

const NAMES = Object.keys(schema.shape);

/** An environment (process.env, a compose file's, a test's) checked against the schema. */
export function parseEnv(given: Record<string, unknown>): Env {
  // An empty variable (FOO=) means "unset", as shells and compose files use it.
  const set = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = schema.safeParse(set);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  return parsed.data;
}

let cached: { key: string; env: Env } | undefined;

/** The process's environment, parsed. */
export function getEnv(): Env {
  const key = NAMES.map((name) => process.env[name] ?? "").join("\u0000");
  if (cached?.key !== key) cached = { key, env: parseEnv(process.env) };
  return cached.env;
}
