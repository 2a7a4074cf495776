import { readAuthConfig } from "@/lib/auth/config";

/**
 * For scripts/start.ts, before listening: a server reachable from other machines must have sign-in. Throws with
 * what to set when HOST is not a loopback address and neither OpenID Connect nor the anonymous mode is set.
 */
export function assertAuthConfigured(env: Record<string, unknown>): void {
  const config = readAuthConfig(env);
  if (config.mode !== "unconfigured") return;
  throw new Error(
    `realmwatch is bound to ${config.host}, which other machines can reach, but sign-in is not configured. ` +
      "Set REALMWATCH_OIDC_ISSUER (e.g. https://keycloak.example.com/realms/master), REALMWATCH_OIDC_CLIENT_ID and " +
      "REALMWATCH_OIDC_CLIENT_SECRET, or bind to 127.0.0.1 (HOST=127.0.0.1), or set REALMWATCH_ALLOW_ANONYMOUS=1 " +
      "to run without sign-in on purpose.",
  );
}
