import type { FixContext } from "@/lib/fixes/types";

/** A value the link carried that the page's commands do not use, and why. */
export interface UntrustedValue {
  field: keyof FixContext;
  value: string;
  reason: string;
}

/**
 * Names and URLs a command may carry from a link: no shell metacharacters, quotes, whitespace or control
 * characters. The scripts quote every value anyway; this keeps a crafted one out of the page altogether.
 */
const PLAIN = /^[A-Za-z0-9._~:/@%+=,-]+$/;
/** A scope parameter: plain words separated by single spaces. */
const PLAIN_SCOPE = /^[A-Za-z0-9._~:/@%+=,-]+(?: [A-Za-z0-9._~:/@%+=,-]+)*$/;

/**
 * Fields that decide what a command grants or to whom: from a link they could make a page hand `admin` to
 * anyone, so only the pattern's own evidence may fill them.
 */
const GRANTING: readonly (keyof FixContext)[] = ["role", "roleClientId"];
const SUBJECT: readonly (keyof FixContext)[] = ["username", "userId"];

const normalUrl = (url: string) => url.trim().replace(/\/+$/, "");

export interface TrustSources {
  /** Server URLs of the Keycloak sources realmwatch syncs from. */
  knownKeycloakUrls: readonly string[];
  /** What the pattern's failures carried (read on the server): trusted as they are. */
  evidence?: FixContext;
}

/**
 * Splits a link's context into what the page's commands may use and what they may not. Values read from the
 * pattern's evidence and Keycloak URLs of known sources are used; from the link itself only plain names of the
 * realm, client, API, scope, origin or URIs are, never a role or a user, never another Keycloak URL, never a
 * value with shell metacharacters. The rest is shown as untrusted with the reason, and the commands keep a placeholder.
 */
export function trustedFixContext(
  fromLink: FixContext,
  sources: TrustSources,
): { ctx: FixContext; untrusted: UntrustedValue[] } {
  const evidence = sources.evidence ?? {};
  const known = new Set(sources.knownKeycloakUrls.map(normalUrl));
  const ctx: FixContext = { ...evidence };
  const untrusted: UntrustedValue[] = [];
  for (const [key, raw] of Object.entries(fromLink) as [keyof FixContext, string | undefined][]) {
    if (raw === undefined || evidence[key] === raw) continue;
    const reason =
      evidence[key] !== undefined
        ? key === "keycloakUrl"
          ? distrust(key, raw, known)
          : `differs from what the failures carry (${evidence[key]})`
        : distrust(key, raw, known);
    if (reason === null) {
      if (evidence[key] === undefined) ctx[key] = raw;
      continue;
    }
    untrusted.push({ field: key, value: raw, reason });
  }
  return { ctx, untrusted };
}

function distrust(field: keyof FixContext, value: string, knownUrls: Set<string>): string | null {
  if (field === "keycloakUrl") {
    return knownUrls.has(normalUrl(value))
      ? null
      : "not the URL of a Keycloak source realmwatch syncs from: the commands would send the admin password there";
  }
  if (field === "keycloakVersion") return "came from the link: the version is the one realmwatch detected";
  if (field === "publicUrl") {
    return "came from the link: Keycloak's hostname is set only from the realm's Frontend URL or the issuer seen in the failures";
  }
  if (GRANTING.includes(field)) {
    return "came from the link, not from the failures: a command must not grant a role a link names";
  }
  if (SUBJECT.includes(field)) {
    return "came from the link, not from the failures: a command must not act on a user a link names";
  }
  const plain = field === "scope" ? PLAIN_SCOPE : PLAIN;
  return plain.test(value)
    ? null
    : "contains characters a shell treats specially (quotes, $, backticks, spaces or line breaks)";
}
