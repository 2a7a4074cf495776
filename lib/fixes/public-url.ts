import { parseRealmIssuer } from "@/lib/diagnose/realm-issuer";

export interface PublicUrl {
  /** Keycloak's base URL as its users reach it (without /realms/...). */
  url: string;
  /** Where it was read, for the page. */
  from: string;
}

const base = (url: string) => url.trim().replace(/\/+$/, "");

/**
 * The realm's public URL, for anything that sets Keycloak's hostname: the realm's Frontend URL, else the issuer
 * the failing tokens carried, else the issuer Keycloak advertises when it differs from the URL realmwatch syncs
 * from (then a --hostname is configured). Never the sync URL itself, which is often an internal address:
 * written into --hostname or frontendUrl it would break every token of the realm. Null when none is known.
 */
export function publicUrlOf(facts: {
  frontendUrl: string | null;
  issuers: readonly string[];
  advertisedIssuer: string | null;
  syncUrl: string | null;
}): PublicUrl | null {
  const asUrl = (value: string) => {
    try {
      const url = new URL(value);
      return url.protocol === "http:" || url.protocol === "https:" ? base(url.href) : null;
    } catch {
      return null;
    }
  };
  const frontend = facts.frontendUrl ? asUrl(facts.frontendUrl) : null;
  if (frontend) return { url: frontend, from: "the realm's Frontend URL" };
  for (const iss of facts.issuers) {
    const parsed = parseRealmIssuer(iss);
    if (parsed)
      return {
        url: base(parsed.url.slice(0, parsed.url.lastIndexOf("/realms/"))),
        from: "the iss of the failing tokens",
      };
  }
  const advertised = facts.advertisedIssuer ? parseRealmIssuer(facts.advertisedIssuer) : null;
  if (advertised) {
    const url = base(advertised.url.slice(0, advertised.url.lastIndexOf("/realms/")));
    if (!facts.syncUrl || base(facts.syncUrl) !== url) {
      return { url, from: "the issuer Keycloak advertises (its --hostname)" };
    }
  }
  return null;
}
