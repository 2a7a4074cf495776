/** Parts of a redirect URI a reverse proxy can change without the application noticing. */
export type ProxyPart = "scheme" | "host" | "port";

export interface RedirectUriDifference {
  /** The registered (or saved) URI that the requested one matches apart from `parts`. */
  registered: string;
  parts: ProxyPart[];
}

/**
 * Whether `requested` equals one of `candidates` except in scheme, host or port: the pattern of an
 * application that builds its redirect_uri from what a proxy told it (http instead of https, an internal
 * host or port). A candidate may end in `*` (Keycloak allows wildcards only at the end). Null when no
 * candidate matches that way, including when one matches exactly.
 */
export function redirectUriDifference(
  requested: string,
  candidates: readonly string[],
): RedirectUriDifference | null {
  const want = parse(requested);
  if (want === null) return null;
  for (const candidate of candidates) {
    const wildcard = candidate.endsWith("*");
    const have = parse(wildcard ? candidate.slice(0, -1) : candidate);
    if (have === null) continue;
    const rest = have.pathname + have.search;
    const wantRest = want.pathname + want.search;
    if (wildcard ? !wantRest.startsWith(rest) : wantRest !== rest) continue;
    const parts: ProxyPart[] = [];
    if (want.protocol !== have.protocol) parts.push("scheme");
    if (want.hostname !== have.hostname) parts.push("host");
    if (want.port !== have.port) parts.push("port");
    if (parts.length > 0) return { registered: candidate, parts };
  }
  return null;
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
