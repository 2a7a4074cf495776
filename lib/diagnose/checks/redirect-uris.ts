import { explainRedirectMiss, redirectMissText } from "@/lib/classify/redirect-uri-difference";
import { need, requireClient } from "@/lib/diagnose/checks/check-support";
import type { LiveCheck } from "@/lib/diagnose/checks/check-types";
import { AUTH_BASE_URL, matchRedirectUri, resolveEntry } from "@/lib/keycloak/redirect-uris";

/**
 * Are the redirect_uri values seen in failures accepted by the client's Valid redirect URIs, by Keycloak's
 * own rules (RedirectUtils, lib/keycloak/redirect-uris.ts)? Today's rules are applied: the failures are
 * refusals, and a URI that only the older host-wildcard rules accept is named as such (the pattern of an
 * upgrade to 26.6.3 or 26.4.13). A miss that differs from a registered URI only in scheme, host or port is
 * reported as a proxy problem (the application built its URL from what a proxy told it).
 */
export const checkRedirectUris: LiveCheck = async (api, ctx) => {
  const seen = need(ctx.redirectUris, "redirect_uri");
  const client = await requireClient(api, ctx.realm, ctx.clientId);
  const entries = client.redirectUris ?? [];
  const opts = {
    rootUrl: client.rootUrl ?? null,
    keycloakOrigin: await keycloakOrigin(api, ctx.realm, entries, client.rootUrl),
  };
  const list = entries.join(", ") || "(none)";
  // Today's rules: no host wildcard, no OIDC response parameters in the URI (query or fragment).
  const today = { ...opts, rules: "path" as const, responseParams: "query-and-fragment" as const };
  const misses = seen.filter((uri) => matchRedirectUri(uri, entries, today) === null);
  if (misses.length === 0) {
    return {
      status: "pass",
      evidence: `Keycloak accepts every redirect URI seen for ${client.clientId} (valid redirect URIs: ${list}).`,
    };
  }
  const unresolved = entries.filter((e) => resolveEntry(e, opts) === null);
  const relativeNote =
    unresolved.length > 0
      ? ` The relative ${unresolved.join(", ")} could not be compared: ${client.clientId} has no Root URL and Keycloak's public address is unknown.`
      : "";
  const explained = misses
    .map((uri) => ({ uri, miss: explainRedirectMiss(uri, entries, opts) }))
    .find((m) => m.miss !== null);
  if (explained?.miss) {
    return {
      status: "fail",
      ...(explained.miss.kind === "proxy" ? { cause: "proxy-misconfig" as const } : {}),
      evidence: `${redirectMissText(explained.uri, explained.miss)}${relativeNote}`,
    };
  }
  return {
    status: "fail",
    evidence: `${misses.join(", ")} ${misses.length === 1 ? "is" : "are"} not among the valid redirect URIs of ${client.clientId} (${list}).${relativeNote}`,
  };
};

/**
 * Keycloak's own origin, which relative entries of a client without a Root URL resolve against
 * (RedirectUtils.relativeToAbsoluteURI: the origin of the request's base URI): the realm's advertised issuer.
 * Asked only when such an entry needs it; null when discovery cannot be read.
 */
async function keycloakOrigin(
  api: Parameters<LiveCheck>[0],
  realm: string,
  entries: readonly string[],
  rootUrl: string | undefined,
): Promise<string | null> {
  if (!entries.some((e) => e.startsWith("/")) || (rootUrl && !rootUrl.startsWith(AUTH_BASE_URL))) return null;
  try {
    return new URL(await api.getAdvertisedIssuer(realm)).origin;
  } catch {
    return null;
  }
}
