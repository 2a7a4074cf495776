import { redirectUriDifference } from "@/lib/classify/redirect-uri-difference";
import { need, requireClient } from "@/lib/diagnose/checks/check-support";
import type { LiveCheck } from "@/lib/diagnose/checks/check-types";

/** RedirectUtils.verifyRedirectUri, reduced: an exact match, or a prefix match for an entry ending in `*`. */
function matches(registered: string[], requested: string): boolean {
  return registered.some(
    (r) => r === "*" || (r.endsWith("*") ? requested.startsWith(r.slice(0, -1)) : requested === r),
  );
}

/**
 * Are the redirect_uri values seen in failures registered? A miss that differs from a registered URI only
 * in scheme, host or port is reported as a proxy problem (the application built its URL from what a
 * proxy told it), not as a missing registration.
 */
export const checkRedirectUris: LiveCheck = async (api, ctx) => {
  const seen = need(ctx.redirectUris, "redirect_uri");
  const client = await requireClient(api, ctx.realm, ctx.clientId);
  // Relative entries are resolved against the client's Root URL, as Keycloak does.
  const registered = (client.redirectUris ?? []).map((r) =>
    r.startsWith("/") && client.rootUrl ? `${client.rootUrl.replace(/\/+$/, "")}${r}` : r,
  );
  const list = registered.join(", ") || "(none)";
  const misses = seen.filter((uri) => !matches(registered, uri));
  if (misses.length === 0) {
    return {
      status: "pass",
      evidence: `Every redirect URI seen is registered for ${client.clientId} (${list}).`,
    };
  }
  // Only a lost scheme or port is the proxy's doing; another host is an ordinary missing registration.
  const proxied = misses
    .map((uri) => ({ uri, diff: redirectUriDifference(uri, registered) }))
    .find((m) => m.diff && !m.diff.parts.includes("host"));
  if (proxied?.diff) {
    return {
      status: "fail",
      cause: "proxy-misconfig",
      evidence: `${proxied.uri} differs from the registered ${proxied.diff.registered} only in ${proxied.diff.parts.join(" and ")}: a reverse proxy did not pass the original ${proxied.diff.parts.join("/")} on (X-Forwarded-*), so fix the proxy rather than the registration.`,
    };
  }
  return {
    status: "fail",
    evidence: `${misses.join(", ")} ${misses.length === 1 ? "is" : "are"} not among the valid redirect URIs of ${client.clientId} (${list}).`,
  };
};
