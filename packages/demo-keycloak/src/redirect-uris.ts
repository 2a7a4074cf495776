import { versionAtLeast } from "./server-version";

/**
 * RedirectUtils#verifyRedirectUri (services/.../protocol/oidc/utils/RedirectUtils.java), ported: what a
 * client's Valid redirect URIs let through at the authorization and logout endpoints.
 *
 * - The requested URI's path is percent-decoded (up to five times, query and fragment kept as sent), its dot
 *   segments removed (URI#normalize) and everything before the first `/` from index 7 lower-cased
 *   (lowerCaseHostname: the host of an http URI; for https the search starts inside `//`, so only the
 *   scheme); an undecodable or unparsable URI matches nothing.
 * - A registered entry starting with `/` is relative to the client's root URL (else the server's origin).
 * - An entry is a wildcard when it ends with `*` and holds no `?` (and, in newer servers, no `#`): the
 *   requested URI's query and fragment are dropped, then it matches by prefix, or by equality once the
 *   entry's trailing `/` is dropped, so `https://app/*` matches `https://app`. `*` alone matches any http(s)
 *   URI. Any other entry matches only the identical URI.
 * - Since 26.6.3 and 26.4.13 a wildcard no longer reaches into the hostname: `https://example.com*` is read
 *   as `https://example.com/*`, so `https://example.com.evil.test/` no longer matches (keycloak #48430,
 *   PRs #48793, #49183, #49188). A wildcard host, `https://*`, is still allowed.
 * - A native app's loopback redirect (`http://localhost:PORT/...`, `http://127.0.0.1:PORT/...`) also
 *   matches an entry without the port (RFC 8252 section 7.3).
 */
export interface RedirectContext {
  /** The Keycloak version the server claims. */
  version: string;
  /** The client's root URL, for relative entries. */
  rootUrl: string;
  /** The server's own origin, for relative entries of a client without a root URL. */
  serverOrigin: string;
}

const MAX_DECODING_COUNT = 5;
const INSTALLED_APP_URL = "http://localhost";
const INSTALLED_APP_LOOPBACK = "http://127.0.0.1";

/** The host-boundary rule of #48430: 26.6.3 and later, and 26.4.13 and later on the 26.4 line. */
export function wildcardsStopAtHost(version: string): boolean {
  return (
    versionAtLeast(version, 26, 6, 3) ||
    (versionAtLeast(version, 26, 4, 13) && !versionAtLeast(version, 26, 5))
  );
}

function splitTail(uri: string): { head: string; tail: string } {
  const i = uri.search(/[?#]/);
  return i < 0 ? { head: uri, tail: "" } : { head: uri.slice(0, i), tail: uri.slice(i) };
}

/** decodeRedirectUri: decode the part before the query until it stops changing. */
function decodePath(uri: string): string | null {
  const { head, tail } = splitTail(uri);
  let current = head;
  for (let i = 0; i < MAX_DECODING_COUNT; i++) {
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      return null;
    }
    if (next === current) return current + tail;
    current = next;
  }
  return null;
}

/** URI#normalize: dot segments of the path removed (RFC 3986 section 5.2.4). */
function normalize(uri: string): string | null {
  if (/\s/.test(uri)) return null;
  const { head, tail } = splitTail(uri);
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/]*)(\/.*)?$/.exec(head);
  if (!m) return head.startsWith("/") || /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(head) ? uri : null;
  const path = m[2] ?? "";
  if (!/(^|\/)\.\.?(\/|$)/.test(path)) return uri;
  const out: string[] = [];
  for (const seg of path.split("/").slice(1)) {
    if (seg === ".") continue;
    if (seg === "..") out.pop();
    else out.push(seg);
  }
  return `${m[1]}/${out.join("/")}${tail}`;
}

function lowerCaseHostname(uri: string): string {
  const n = uri.indexOf("/", 7);
  return n === -1 ? uri.toLowerCase() : uri.slice(0, n).toLowerCase() + uri.slice(n);
}

/** `https://example.com*` becomes `https://example.com/*`; `https://*` and entries with a path stay. */
function keepWildcardOutOfHost(entry: string): string {
  const prefix = entry.slice(0, -1);
  const schemeEnd = prefix.indexOf("://");
  if (schemeEnd < 0) return entry;
  const authority = prefix.slice(schemeEnd + 3);
  if (authority === "" || authority.includes("/")) return entry;
  return `${prefix}/*`;
}

function matchesRedirects(entries: readonly string[], requested: string, stopAtHost: boolean): boolean {
  for (const registered of entries) {
    if (registered === "*") {
      if (/^https?:\/\//i.test(requested)) return true;
      continue;
    }
    if (registered.endsWith("*") && !registered.includes("?") && !registered.includes("#")) {
      const entry = stopAtHost ? keepWildcardOutOfHost(registered) : registered;
      const r = splitTail(requested).head;
      let prefix = entry.slice(0, -1);
      if (r.startsWith(prefix)) return true;
      if (prefix.length > 1 && prefix.endsWith("/")) prefix = prefix.slice(0, -1);
      if (prefix === r) return true;
    } else if (registered === requested) return true;
  }
  return false;
}

/** Whether `requested` is a redirect URI the client's `registered` entries allow. */
export function matchesRedirectUri(
  registered: readonly string[],
  requested: string,
  ctx: RedirectContext,
): boolean {
  if (registered.length === 0 || requested === "") return false;
  const decoded = decodePath(requested);
  const normalized = decoded === null ? null : normalize(decoded);
  if (normalized === null) return false;
  const r = lowerCaseHostname(normalized);
  const root = ctx.rootUrl !== "" ? ctx.rootUrl : ctx.serverOrigin;
  const entries = registered.map((e) => (e.startsWith("/") ? `${root}${e}` : e));
  const stopAtHost = wildcardsStopAtHost(ctx.version);
  if (matchesRedirects(entries, r, stopAtHost)) return true;
  if (r.startsWith(INSTALLED_APP_URL) || r.startsWith(INSTALLED_APP_LOOPBACK)) {
    const colon = r.indexOf(":", INSTALLED_APP_URL.length);
    if (colon >= 0) {
      const slash = r.indexOf("/", colon);
      const withoutPort = r.slice(0, colon) + (slash >= 0 ? r.slice(slash) : "");
      return matchesRedirects(entries, withoutPort, stopAtHost);
    }
  }
  return false;
}

/** matchesRedirectUri for one client of this server. */
export function clientAllowsRedirect(
  server: { version: string; baseUrl: string },
  client: { redirectUris: readonly string[]; rootUrl: string },
  requested: string,
): boolean {
  return matchesRedirectUri(client.redirectUris, requested, {
    version: server.version,
    rootUrl: client.rootUrl,
    serverOrigin: server.baseUrl,
  });
}
