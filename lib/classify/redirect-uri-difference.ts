import { versionAtLeast } from "@/lib/classify/version-at-least";
import {
  matchRedirectUri,
  olderRulesMatch,
  type RedirectMatchOptions,
  resolveEntry,
  responseParamsIn,
  type WildcardRules,
  wildcardOf,
} from "@/lib/keycloak/redirect-uris";

/** Parts of a redirect URI a reverse proxy can change without the application noticing. */
export type ProxyPart = "scheme" | "host" | "port";

export interface RedirectUriDifference {
  /** The registered (or saved) URI that the requested one matches apart from `parts`. */
  registered: string;
  parts: ProxyPart[];
}

/** What an entry's matching depends on besides the rules: the client's Root URL for relative entries. */
export type EntryContext = Pick<RedirectMatchOptions, "rootUrl" | "keycloakOrigin">;

/**
 * The wildcard rules of a Keycloak version: a wildcard right after the host stopped matching the host name in
 * 26.6.3 and in 26.4.13 (keycloak#48430; the 26.5 line never had the change). Null for an unknown version.
 */
export function wildcardRulesFor(version: string | null | undefined): WildcardRules | null {
  const fixed6 = versionAtLeast(version, "26.6.3");
  if (fixed6 === null) return null;
  if (fixed6) return "path";
  const in264 = versionAtLeast(version, "26.4.13") === true && versionAtLeast(version, "26.5") === false;
  return in264 ? "path" : "host";
}

const ORIGIN = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#]*/;

/**
 * Whether `requested` is accepted by one of `candidates` (Keycloak's RedirectUtils rules, the same matcher the
 * live check uses) once its scheme, host and port are replaced by that candidate's: the pattern of an
 * application that builds its redirect_uri from what a proxy told it (http instead of https, an internal host
 * or port). Null when no candidate matches that way, including when one matches as it is. Unknown versions
 * are judged by today's rules, the stricter ones.
 */
export function redirectUriDifference(
  requested: string,
  candidates: readonly string[],
  opts: EntryContext & { rules?: WildcardRules } = {},
): RedirectUriDifference | null {
  const want = parse(requested);
  const wantOrigin = ORIGIN.exec(requested)?.[0];
  if (want === null || wantOrigin === undefined) return null;
  const rules = opts.rules ?? "path";
  for (const candidate of candidates) {
    const resolved = resolveEntry(candidate, opts);
    const origin = resolved === null ? undefined : ORIGIN.exec(resolved)?.[0];
    if (resolved === null || origin === undefined) continue;
    const have = parse(origin.replace(/\*$/, ""));
    if (have === null) continue;
    const parts: ProxyPart[] = [];
    if (want.protocol !== have.protocol) parts.push("scheme");
    if (want.hostname !== have.hostname) parts.push("host");
    if (want.port !== have.port) parts.push("port");
    if (parts.length === 0) continue;
    const moved = `${origin}${requested.slice(wantOrigin.length)}`;
    if (matchRedirectUri(moved, [resolved], { rules }) !== null) return { registered: candidate, parts };
  }
  return null;
}

/** Why Keycloak refused a redirect URI, when the registered entries show more than "not registered". */
export type RedirectMiss =
  | { kind: "response-params"; entry: string; params: string[] }
  | { kind: "host-wildcard"; entry: string; comparedAs: string }
  | { kind: "query-entry"; entry: string }
  | { kind: "proxy"; registered: string; parts: ProxyPart[] };

/**
 * The closest explanation of a refusal under today's rules: an entry whose wildcard used to reach into the host
 * name (accepted before 26.6.3 / 26.4.13), an entry that is exact because it holds `?`, or a registered URI
 * that differs only in scheme or port. Null for a plain missing entry.
 */
export function explainRedirectMiss(
  requested: string,
  entries: readonly string[],
  opts: EntryContext = {},
): RedirectMiss | null {
  // Registered, but refused for carrying what Keycloak adds itself (today's rules: query and fragment).
  const params = responseParamsIn(requested, "query-and-fragment");
  const registered =
    params.length > 0 ? matchRedirectUri(requested, entries, { ...opts, rules: "path" }) : null;
  if (registered) return { kind: "response-params", entry: registered.entry, params };
  const older = olderRulesMatch(requested, entries, opts);
  if (older !== null) {
    return {
      kind: "host-wildcard",
      entry: older.entry,
      comparedAs: wildcardOf(older.comparedAs, "path") ?? older.comparedAs,
    };
  }
  for (const entry of entries) {
    const resolved = resolveEntry(entry, opts);
    if (resolved?.endsWith("*") && resolved.includes("?") && requested.startsWith(resolved.slice(0, -1)))
      return { kind: "query-entry", entry };
  }
  // Only a lost scheme or port is surely the proxy's doing; another host is an ordinary missing registration.
  const proxied = redirectUriDifference(requested, entries, opts);
  return proxied === null || proxied.parts.includes("host") ? null : { kind: "proxy", ...proxied };
}

/** The sentence a check or a classification gives for a miss; it starts with the requested URI as it is. */
export function redirectMissText(requested: string, miss: RedirectMiss): string {
  switch (miss.kind) {
    case "response-params":
      return `${requested} matches the registered ${miss.entry}, but already carries ${miss.params.join(", ")}, which Keycloak adds to the redirect itself: since 26.4.14, 26.6.5 and 26.7.0 (keycloak#49430; in the fragment since 26.6.7 and 26.7.3, keycloak#51286) such a redirect_uri is refused. The application must not put OIDC response parameters into the redirect_uri it sends.`;
    case "host-wildcard":
      return `${requested} matches the registered ${miss.entry} only because its * reaches into the host name; since Keycloak 26.6.3 and 26.4.13 (keycloak#48430) a * right after the host is read as ${miss.comparedAs}, so the URI is refused after an upgrade to those versions. Register the host itself (or one entry per host) with a path wildcard.`;
    case "query-entry":
      return `${requested} would match the registered ${miss.entry} only if its * were a wildcard: an entry holding ? is compared character for character, so register the path with /* and leave the query out.`;
    case "proxy":
      return `${requested} differs from the registered ${miss.registered} only in ${miss.parts.join(" and ")}: a reverse proxy did not pass the original ${miss.parts.join("/")} on (X-Forwarded-*), so fix the proxy rather than the registration.`;
  }
}

function parse(uri: string): URL | null {
  if (uri.length > 4096) return null;
  try {
    const url = new URL(uri);
    return url.protocol === "http:" || url.protocol === "https:" ? url : null;
  } catch {
    return null;
  }
}
