import { isLoopbackHost, readAuthConfig } from "@/lib/auth/config";
import { parseEnv } from "@/lib/server/env";

/**
 * For scripts/start.ts, before listening: a server reachable from other machines must have sign-in, a public
 * URL to send sign-in back to, and a secret key of its own. Throws with what to set when HOST is not a loopback
 * address and one of them is missing:
 * - neither OpenID Connect nor the anonymous mode is set;
 * - sign-in is set without REALMWATCH_PUBLIC_URL: the redirect URI and the CSRF origin would otherwise follow
 *   the request's Host header, which the client chooses;
 * - REALMWATCH_SECRET_KEY is unset: the generated key in the data directory differs per replica and per volume,
 *   so sessions and stored secrets would not survive a move.
 */
export function assertAuthConfigured(given: Record<string, unknown>): void {
  const config = readAuthConfig(given);
  const env = parseEnv(given);
  if (config.mode === "unconfigured") {
    throw new Error(
      `realmwatch is bound to ${config.host}, which other machines can reach, but sign-in is not configured. ` +
        "Set REALMWATCH_OIDC_ISSUER (e.g. https://keycloak.example.com/realms/master), REALMWATCH_OIDC_CLIENT_ID and " +
        "REALMWATCH_OIDC_CLIENT_SECRET, or bind to 127.0.0.1 (HOST=127.0.0.1), or set REALMWATCH_ALLOW_ANONYMOUS=1 " +
        "to run without sign-in on purpose.",
    );
  }
  if (isLoopbackHost(env.HOST)) return;
  if (config.mode === "oidc" && !config.publicUrl) {
    throw new Error(
      `realmwatch is bound to ${env.HOST} with sign-in but without REALMWATCH_PUBLIC_URL. Set it to the address ` +
        "people open realmwatch at (e.g. https://realmwatch.example.com): sign-in redirects there, and without it " +
        "the redirect would follow the Host header a client sends.",
    );
  }
  if (!env.REALMWATCH_SECRET_KEY) {
    throw new Error(
      `realmwatch is bound to ${env.HOST} without REALMWATCH_SECRET_KEY. Set it to 32 or more random characters ` +
        "(e.g. `openssl rand -base64 32`), the same on every replica: it seals sessions and the stored secrets.",
    );
  }
}
