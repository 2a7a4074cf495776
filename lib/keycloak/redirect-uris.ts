/**
 * Keycloak's redirect-URI matching (org.keycloak.protocol.oidc.utils.RedirectUtils, `verifyRedirectUri`,
 * `matchesRedirects`, `checkValidRedirectWildcard`), so that realmwatch calls a URI registered exactly when
 * Keycloak would accept it:
 * - a relative entry (starting with `/`) is resolved against the client's Root URL (`resolveValidRedirects`,
 *   `relativeToAbsoluteURI`; without a Root URL, Keycloak's own origin);
 * - `*` alone accepts any http(s) URI;
 * - an entry ending in `*` is a wildcard only if it holds no `?` (and, since the host-wildcard change, no `#`):
 *   the requested URI loses its query (or, without one, its fragment), then matches by prefix, or by equality
 *   once the entry's trailing `/` is dropped (`https://app/*` accepts `https://app`); any other entry,
 *   `?` included, must equal the requested URI character for character;
 * - wildcards are ignored for a requested URI with user info or a `/../` segment (`areWildcardsAllowed`);
 * - a plain-http loopback URI (localhost, 127.0.0.1, [::1]) is tried again without its port;
 * - a scheme other than http and https passes only through an entry that starts with that scheme.
 * Since 26.6.3 and 26.4.13 (keycloak#48430, PR #48793, backports #49183 and #49188) a wildcard right after the
 * host no longer reaches into the host name: `https://app.example.com*` is read as `https://app.example.com/*`,
 * and `#` in an entry makes it exact. 26.5 never received the change. `+` and `-` mean nothing here: `+` is a
 * web-origins and post-logout shorthand (Constants.INCLUDE_REDIRECTS), not a redirect-URI rule.
 */

/** Which wildcard rules a server applies: `host` before 26.6.3 / 26.4.13, `path` since. */
export type WildcardRules = "host" | "path";

export interface RedirectMatchOptions {
  rules: WildcardRules;
  /**
   * Whether OIDC response parameters already in the URI make Keycloak refuse it (RedirectUtils
   * FORBIDDEN_OIDC_PARAMS): in the query since 26.4.14, 26.6.5 and 26.7.0 (CVE-2026-9689, keycloak#49430), in the
   * fragment too since 26.6.7 and 26.7.3 (CVE-2026-18209, keycloak#51286). Absent: not checked.
   */
  responseParams?: "query" | "query-and-fragment";
  /** The client's Root URL, for relative entries. */
  rootUrl?: string | null;
  /** Keycloak's own origin (scheme://host[:port]), for relative entries of a client without a Root URL. */
  keycloakOrigin?: string | null;
}

export interface RedirectMatch {
  /** The entry as the client lists it. */
  entry: string;
  /** The entry after relative resolution and the wildcard rules (what Keycloak compared). */
  comparedAs: string;
  how: "any" | "exact" | "wildcard" | "loopback-port";
}

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

// RedirectUtils.UNSAFE_PATH_PATTERN (26.x): a `..` segment, plain or percent-encoded, with `/`, `\` or their
// encodings around it.
const UNSAFE_PATH = /(\/|%2f|%5c|\\)(%2e|\.){2}(\/|%2f|%5c|\\)|(\/|%2f|%5c|\\)(%2e|\.){2}$/i;

// Characters java.net.URI refuses (URI.create throws, RedirectUtils.toUri answers null, the URI is refused).
const NOT_A_URI = /[\s"<>\\^`{|}\u0000-\u001f\u007f]|%(?![0-9a-f]{2})/i;

interface Parsed {
  scheme: string | null;
  userInfo: string | null;
  host: string | null;
  port: string | null;
  rawPath: string;
}

/** The parts RedirectUtils reads with java.net.URI; null where URI.create would throw. */
function parse(uri: string): Parsed | null {
  if (uri === "" || NOT_A_URI.test(uri)) return null;
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):(.*)$/.exec(uri);
  const scheme = m?.[1] ?? null;
  const rest = m ? (m[2] ?? "") : uri;
  if (!rest.startsWith("//")) {
    return { scheme, userInfo: null, host: null, port: null, rawPath: rest.replace(/[?#].*$/, "") };
  }
  const afterSlashes = rest.slice(2);
  const end = afterSlashes.search(/[/?#]/);
  const authority = end === -1 ? afterSlashes : afterSlashes.slice(0, end);
  const rawPath = end === -1 ? "" : afterSlashes.slice(end).replace(/[?#].*$/, "");
  const at = authority.lastIndexOf("@");
  const userInfo = at === -1 ? null : authority.slice(0, at);
  const hostPort = at === -1 ? authority : authority.slice(at + 1);
  const pm = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(hostPort);
  if (!pm) return null;
  return { scheme, userInfo, host: (pm[1] ?? "").toLowerCase() || null, port: pm[2] || null, rawPath };
}

/** RedirectUtils.areWildcardsAllowed: no user info, no `..` segment. */
function wildcardsAllowed(p: Parsed): boolean {
  return p.userInfo === null && !UNSAFE_PATH.test(p.rawPath);
}

/** An entry with a relative path resolved as Keycloak does; null when there is nothing to resolve it against. */
export function resolveEntry(
  entry: string,
  opts: Pick<RedirectMatchOptions, "rootUrl" | "keycloakOrigin">,
): string | null {
  if (!entry.startsWith("/")) return entry;
  // ResolveRelative.resolveRootUrl replaces the ${authBaseUrl} placeholder with Keycloak's own URL.
  let root = opts.rootUrl ?? "";
  if (root.startsWith(AUTH_BASE_URL)) {
    if (!opts.keycloakOrigin) return null;
    root = `${opts.keycloakOrigin}${root.slice(AUTH_BASE_URL.length)}`;
  }
  const base = root !== "" ? root : opts.keycloakOrigin;
  return base ? `${base}${entry}` : null;
}

/** Keycloak's Root URL placeholder for its own base URL (ResolveRelative). */
export const AUTH_BASE_URL = ["$", "{authBaseUrl}"].join("");

/**
 * The wildcard an entry stands for under `rules`, or null when Keycloak compares it exactly
 * (RedirectUtils.checkValidRedirectWildcard since 26.6.3 / 26.4.13; before, any entry ending in `*` without `?`).
 */
export function wildcardOf(entry: string, rules: WildcardRules): string | null {
  if (!entry.endsWith("*") || entry.includes("?")) return null;
  if (rules === "host") return entry;
  if (entry.includes("#")) return null;
  const m = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/([^/]*)$/.exec(entry);
  if (m === null) return entry; // a path (or an opaque URI like myapp:*): the wildcard stays where it is
  const authority = m[1] ?? "";
  if (authority === "*" || authority.endsWith(":*")) return entry; // any host, or any port
  return `${entry.slice(0, -1)}/*`; // a wildcard after the host is read as one after the path's first /
}

function matchesEntry(redirect: string, entry: string, rules: WildcardRules, allowWildcards: boolean) {
  if (entry === "*") return { comparedAs: entry, how: "any" as const };
  const wildcard = allowWildcards ? wildcardOf(entry, rules) : null;
  if (wildcard === null) return redirect === entry ? { comparedAs: entry, how: "exact" as const } : null;
  // Query (or, without one, fragment) is not compared when a wildcard applies.
  let cut = redirect.indexOf("?");
  if (cut === -1) cut = redirect.indexOf("#");
  const r = cut === -1 ? redirect : redirect.slice(0, cut);
  const prefix = wildcard.slice(0, -1);
  if (r.startsWith(prefix)) return { comparedAs: wildcard, how: "wildcard" as const };
  const bare = prefix.length > 1 && prefix.endsWith("/") ? prefix.slice(0, -1) : prefix;
  return bare === r ? { comparedAs: wildcard, how: "wildcard" as const } : null;
}

/** Keycloak's TreeSet order in resolveValidRedirects: longest first, then by text. */
function longestFirst(a: { resolved: string }, b: { resolved: string }): number {
  if (a.resolved.length !== b.resolved.length) return b.resolved.length - a.resolved.length;
  return a.resolved < b.resolved ? -1 : a.resolved > b.resolved ? 1 : 0;
}

/**
 * The entry through which Keycloak accepts `requested` as a redirect URI for a client listing `entries`, or
 * null when it refuses it (RedirectUtils.verifyRedirectUri).
 */
export function matchRedirectUri(
  requested: string,
  entries: readonly string[],
  opts: RedirectMatchOptions,
): RedirectMatch | null {
  const parsed = parse(requested);
  if (parsed === null) return null;
  if (opts.responseParams && responseParamsIn(requested, opts.responseParams).length > 0) return null;
  const resolved = entries
    .map((entry) => ({ entry, resolved: resolveEntry(entry, opts) }))
    .filter((e): e is { entry: string; resolved: string } => e.resolved !== null)
    .sort(longestFirst);
  const allow = wildcardsAllowed(parsed);
  const first = (uri: string) => {
    for (const e of resolved) {
      const m = matchesEntry(uri, e.resolved, opts.rules, allow);
      if (m) return { entry: e.entry, ...m };
    }
    return null;
  };
  let found: RedirectMatch | null = first(requested);
  if (found === null && parsed.scheme === "http" && parsed.host && LOOPBACK.has(parsed.host) && parsed.port) {
    // RFC 8252 loopback: Keycloak tries the URI again with port 80, which KeycloakUriBuilder leaves out for http
    // (RedirectUtils: "Normalize scheme so default port 80 is omitted").
    const withoutPort = requested.replace(/^(http:\/\/[^/?#]*?):\d+/i, "$1");
    const again = first(withoutPort);
    if (again) found = { ...again, how: "loopback-port" };
  }
  if (found === null || parsed.scheme === null) return found;
  const scheme = parsed.scheme.toLowerCase();
  // A custom scheme needs an entry that names it; `*` and http(s) entries do not open other schemes.
  if (scheme !== "http" && scheme !== "https" && !found.comparedAs.toLowerCase().startsWith(`${scheme}:`))
    return null;
  return found;
}

/**
 * Why a refused URI would have been accepted by a server before 26.6.3 / 26.4.13: the entry whose wildcard
 * reached into the host name (or whose `#` now makes it exact). Null when the older rules refuse it too.
 */
export function olderRulesMatch(
  requested: string,
  entries: readonly string[],
  opts: Omit<RedirectMatchOptions, "rules">,
): RedirectMatch | null {
  if (matchRedirectUri(requested, entries, { ...opts, rules: "path" }) !== null) return null;
  return matchRedirectUri(requested, entries, { ...opts, rules: "host" });
}

/** RedirectUtils.FORBIDDEN_OIDC_PARAMS: what Keycloak itself adds to the redirect, compared without case. */
const RESPONSE_PARAMS = new Set([
  "code",
  "id_token",
  "access_token",
  "token_type",
  "expires_in",
  "state",
  "iss",
  "error",
  "error_description",
  "session_state",
  "response",
  "kc_action",
  "kc_action_status",
]);

/** The OIDC response parameters a redirect URI already carries in its query (and fragment), lower-cased. */
export function responseParamsIn(uri: string, where: "query" | "query-and-fragment"): string[] {
  const hash = uri.indexOf("#");
  const beforeHash = hash === -1 ? uri : uri.slice(0, hash);
  const q = beforeHash.indexOf("?");
  const parts = [q === -1 ? "" : beforeHash.slice(q + 1)];
  if (where === "query-and-fragment" && hash !== -1) parts.push(uri.slice(hash + 1));
  const found = new Set<string>();
  for (const part of parts) {
    for (const pair of part.split("&")) {
      const raw = pair.split("=")[0] ?? "";
      let name = raw;
      try {
        name = decodeURIComponent(raw.replace(/\+/g, " "));
      } catch {
        // UriUtils.decodeQueryString keeps what it cannot decode
      }
      if (RESPONSE_PARAMS.has(name.toLowerCase())) found.add(name.toLowerCase());
    }
  }
  return [...found];
}
