import { z } from "zod";

/**
 * Sign-in configuration, read from the environment with its own schema (the lead merges these variables into
 * lib/server/env.ts). Three outcomes: OpenID Connect sign-in, the demo mode without sign-in (only on a loopback
 * address or when explicitly allowed), or "unconfigured", which the server refuses to start with.
 */
const flag = z.union([
  z.boolean(),
  z.enum(["1", "0", "true", "false"]).transform((v) => v === "1" || v === "true"),
]);

const schema = z.object({
  HOST: z.string().default("127.0.0.1"),
  REALMWATCH_OIDC_ISSUER: z.string().url().optional(),
  REALMWATCH_OIDC_CLIENT_ID: z.string().min(1).optional(),
  REALMWATCH_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  /** The URL users reach realmwatch at (the redirect URI is derived from it); else the request's own origin. */
  REALMWATCH_PUBLIC_URL: z.string().url().optional(),
  REALMWATCH_ALLOW_ANONYMOUS: flag.default(false),
  REALMWATCH_SESSION_HOURS: z.coerce.number().min(0.25).max(720).default(12),
});

export type AuthConfig =
  | {
      mode: "oidc";
      issuer: URL;
      clientId: string;
      clientSecret: string | undefined;
      publicUrl: URL | undefined;
      sessionSec: number;
    }
  | { mode: "anonymous"; reason: "loopback" | "allowed" }
  | { mode: "unconfigured"; host: string };

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "::1", "[::1]", "localhost"]);

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.has(host.trim().toLowerCase());
}

export function readAuthConfig(env: Record<string, unknown> = process.env): AuthConfig {
  const given = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = schema.safeParse(given);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid sign-in configuration:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  if (e.REALMWATCH_OIDC_ISSUER && e.REALMWATCH_OIDC_CLIENT_ID) {
    return {
      mode: "oidc",
      issuer: new URL(e.REALMWATCH_OIDC_ISSUER),
      clientId: e.REALMWATCH_OIDC_CLIENT_ID,
      clientSecret: e.REALMWATCH_OIDC_CLIENT_SECRET,
      publicUrl: e.REALMWATCH_PUBLIC_URL ? new URL(e.REALMWATCH_PUBLIC_URL) : undefined,
      sessionSec: Math.round(e.REALMWATCH_SESSION_HOURS * 3600),
    };
  }
  if (e.REALMWATCH_ALLOW_ANONYMOUS) return { mode: "anonymous", reason: "allowed" };
  if (isLoopbackHost(e.HOST)) return { mode: "anonymous", reason: "loopback" };
  return { mode: "unconfigured", host: e.HOST };
}

let cached: AuthConfig | undefined;

/** The process's sign-in configuration, parsed once. */
export function getAuthConfig(): AuthConfig {
  cached ??= readAuthConfig();
  return cached;
}

/** For tests that change process.env. */
export function resetAuthConfigCache(): void {
  cached = undefined;
}
