/** A Keycloak realm URL (`<base>/realms/<realm>`), split so two issuers can be compared part by part. */
export interface RealmIssuer {
  url: string;
  scheme: string;
  host: string;
  port: string;
  basePath: string;
  realm: string;
}

export type IssuerPart = "scheme" | "host" | "port" | "path";

const DEFAULT_PORT: Record<string, string> = { http: "80", https: "443" };

export function parseRealmIssuer(value: string): RealmIssuer | null {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return null;
  }
  const scheme = url.protocol.replace(/:$/, "");
  if (scheme !== "http" && scheme !== "https") return null;
  const match = /^(.*)\/realms\/([^/]+)\/?$/.exec(url.pathname);
  if (!match) return null;
  let realm: string;
  try {
    realm = decodeURIComponent(match[2] ?? "");
  } catch {
    return null;
  }
  return {
    url: `${url.origin}${url.pathname.replace(/\/$/, "")}`,
    scheme,
    host: url.hostname.toLowerCase(),
    port: url.port || (DEFAULT_PORT[scheme] ?? ""),
    basePath: match[1] ?? "",
    realm,
  };
}

/** Which parts differ: an empty list means the same issuer. */
export function issuerDifferences(a: RealmIssuer, b: RealmIssuer): IssuerPart[] {
  const parts: IssuerPart[] = [];
  if (a.scheme !== b.scheme) parts.push("scheme");
  if (a.host !== b.host) parts.push("host");
  if (a.port !== b.port) parts.push("port");
  if (a.basePath !== b.basePath || a.realm !== b.realm) parts.push("path");
  return parts;
}
