import type { AdminApi, ClientRepresentation } from "@/lib/keycloak/representations";

/** GET /admin/realms/{realm}/clients: the session has it; the live checks' AdminApi does not require it. */
export interface ClientLister {
  listClients(realm: string, opts: { max: number }): Promise<ClientRepresentation[]>;
}

export function canListClients(api: AdminApi): api is AdminApi & ClientLister {
  return typeof (api as Partial<ClientLister>).listClients === "function";
}

/** Realms with more clients than this are not searched: the answer would be a guess among too many. */
const MAX_CLIENTS = 500;

export function originOf(uri: string): string | null {
  try {
    const url = new URL(uri.replace(/\*$/, ""));
    return url.protocol === "http:" || url.protocol === "https:" ? url.origin : null;
  } catch {
    return null;
  }
}

/**
 * Keycloak's allowed origins of a client: its Web origins, `+` adding the origins of the valid redirect URIs
 * (relative ones resolved against the Root URL), `*` allowing every origin (WebOriginsUtils.resolveValidWebOrigins).
 */
export function allowedOrigins(client: ClientRepresentation): { any: boolean; origins: Set<string> } {
  const origins = new Set<string>();
  let any = false;
  for (const entry of client.webOrigins ?? []) {
    if (entry === "*") any = true;
    else if (entry === "+") {
      for (const uri of client.redirectUris ?? []) {
        const origin = originOf(uri.startsWith("/") && client.rootUrl ? `${client.rootUrl}${uri}` : uri);
        if (origin) origins.add(origin);
      }
    } else origins.add(entry.replace(/\/+$/, ""));
  }
  return { any, origins };
}

/** The hosts a client serves: those of its Root URL, redirect URIs and web origins. */
function servedHosts(client: ClientRepresentation): Set<string> {
  const hosts = new Set<string>();
  for (const uri of [client.rootUrl ?? "", ...(client.redirectUris ?? []), ...(client.webOrigins ?? [])]) {
    const origin = originOf(uri);
    if (origin) hosts.add(new URL(origin).hostname.toLowerCase());
  }
  return hosts;
}

/** `app.acme.example` → `acme.example`; null for a host with fewer than three labels or an IP address. */
function parentDomain(host: string): string | null {
  if (/^[\d.]+$/.test(host) || host.includes(":")) return null;
  const labels = host.split(".");
  return labels.length >= 3 ? labels.slice(1).join(".") : null;
}

export interface ClientByOrigin {
  clientId: string;
  /** How it was found, for the page and the checks' evidence. */
  how: string;
}

/**
 * The client a browser at `origins` used, when the failures do not name it (a token request refused before
 * Keycloak read the client, a userinfo call refused before it knew the token's client): the one client whose
 * allowed origins contain the origin; else the one client serving a host of the origin's domain, public
 * clients first (a browser holds no client secret). Null when none or several fit, or the realm's clients
 * cannot be read.
 */
export async function clientForOrigins(
  api: AdminApi,
  realm: string,
  origins: readonly string[],
): Promise<ClientByOrigin | null> {
  if (origins.length === 0 || !canListClients(api)) return null;
  const clients = await api.listClients(realm, { max: MAX_CLIENTS }).catch(() => null);
  if (!clients || clients.length >= MAX_CLIENTS) return null;
  const candidates = clients.filter((c) => c.enabled !== false && c.bearerOnly !== true);
  for (const origin of origins) {
    const allowing = candidates.filter((c) => allowedOrigins(c).origins.has(origin));
    if (allowing.length === 1) {
      return { clientId: allowing[0]!.clientId, how: `the only client whose web origins allow ${origin}` };
    }
  }
  for (const origin of origins) {
    const host = new URL(origin).hostname.toLowerCase();
    const domain = parentDomain(host);
    if (!domain) continue;
    const serving = candidates.filter((c) =>
      [...servedHosts(c)].some((h) => h === host || h === domain || h.endsWith(`.${domain}`)),
    );
    const publicOnes = serving.filter((c) => c.publicClient === true);
    const pick = publicOnes.length === 1 ? publicOnes[0] : serving.length === 1 ? serving[0] : undefined;
    if (pick) {
      return {
        clientId: pick.clientId,
        how: `the only ${publicOnes.length === 1 ? "public " : ""}client serving ${domain}, the domain of ${origin}`,
      };
    }
  }
  return null;
}
