import type { AuthConfig } from "@/lib/auth/config";
import { getEnv } from "@/lib/server/env";

/**
 * The origin users reach realmwatch at: REALMWATCH_PUBLIC_URL when set, else the request's Host header with
 * the request's scheme (X-Forwarded-Proto only when REALMWATCH_TRUST_PROXY=1). Not request.url's host: Next
 * rewrites 127.0.0.1 and [::1] there to "localhost", which is not the origin the browser sends.
 */
export function publicOrigin(
  config: AuthConfig,
  request: { url: string; headers: { get(name: string): string | null } },
): URL {
  if (config.mode === "oidc" && config.publicUrl) return new URL(config.publicUrl.origin);
  const url = new URL(request.url);
  const forwarded = getEnv().REALMWATCH_TRUST_PROXY
    ? request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim()
    : null;
  const scheme = forwarded === "https" || forwarded === "http" ? `${forwarded}:` : url.protocol;
  const host = request.headers.get("host") ?? url.host;
  try {
    return new URL(`${scheme}//${host}`);
  } catch {
    return new URL(url.origin);
  }
}
