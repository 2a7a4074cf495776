import { type Env, getEnv, parseEnv } from "@/lib/server/env";

/**
 * Sign-in configuration, from the environment (lib/server/env.ts). Three outcomes: OpenID Connect sign-in, the
 * demo mode without sign-in (only on a loopback address or when explicitly allowed), or "unconfigured", which
 * the server refuses to start with.
 */
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

/** The sign-in configuration of an environment given as variables (a compose file's, a test's). */
export function readAuthConfig(given: Record<string, unknown>): AuthConfig {
  return authConfigOf(parseEnv(given));
}

export function authConfigOf(e: Env): AuthConfig {
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

let cached: { env: Env; config: AuthConfig } | undefined;

/** The process's sign-in configuration, derived again only when the environment changed. */
export function getAuthConfig(): AuthConfig {
  const env = getEnv();
  if (cached?.env !== env) cached = { env, config: authConfigOf(env) };
  return cached.config;
}

/** For tests that change process.env (getAuthConfig follows the environment by itself). */
export function resetAuthConfigCache(): void {
  cached = undefined;
}
