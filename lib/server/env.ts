import { z } from "zod";

/**
 * Every environment variable realmwatch reads, with its default. The README's configuration table mirrors this.
 * Parsed once; a bad value stops the process with a message naming the variable.
 */
const schema = z.object({
  DATABASE_URL: z.string().url().optional(),
  REALMWATCH_DATA_DIR: z.string().default(".data"),
  REALMWATCH_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().default("127.0.0.1"),
  KEYCLOAK_URL: z.string().url().optional(),
  KEYCLOAK_AUTH_REALM: z.string().min(1).default("master"),
  KEYCLOAK_CLIENT_ID: z.string().min(1).optional(),
  KEYCLOAK_CLIENT_SECRET: z.string().min(1).optional(),
  KEYCLOAK_REALMS: z.string().default("*"),
  REALMWATCH_SYNC_INTERVAL_SEC: z.coerce.number().min(1).default(30),
  REALMWATCH_SYNC_OVERLAP_SEC: z.coerce.number().min(0).default(300),
  REALMWATCH_SYNC_SETTLE_SEC: z.coerce.number().min(0).default(5),
  REALMWATCH_SYNC_PAGE_SIZE: z.coerce.number().int().min(1).max(100_000).default(5000),
  REALMWATCH_DEMO: z.enum(["auto", "on", "off"]).default("auto"),
  REALMWATCH_DEMO_KEYCLOAK_PORT: z.coerce.number().int().min(0).max(65535).default(8180),
  /** Set by the demo start path (scripts/start.ts) to the demo Keycloak it started: adds the demo's feed job. */
  REALMWATCH_DEMO_KEYCLOAK_URL: z.string().url().optional(),
  /** "off": the server does not sync in the background (a separate `npm run sync` does). */
  REALMWATCH_POLLER: z.enum(["on", "off"]).default("on"),
  /** The address people open realmwatch at, for links in alerts. */
  REALMWATCH_PUBLIC_URL: z.string().url().optional(),
  REALMWATCH_SECRET_KEY: z.string().min(32).optional(),
  REALMWATCH_LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
});

export type Env = z.infer<typeof schema>;

let cached: Env | undefined;

export function getEnv(): Env {
  if (cached) return cached;
  // An empty variable (FOO=) means "unset", as shells and compose files use it.
  const given = Object.fromEntries(
    Object.entries(process.env).filter(([, v]) => v !== undefined && v !== ""),
  );
  const parsed = schema.safeParse(given);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  cached = parsed.data;
  return cached;
}

/** For tests that change process.env. */
export function resetEnvCache(): void {
  cached = undefined;
}
