import { redirectUriDifference, wildcardRulesFor } from "@/lib/classify/redirect-uri-difference";
import type { Facts } from "@/lib/classify/types";
import { versionAtLeast } from "@/lib/classify/version-at-least";

export interface Condition {
  /** How docs/causes.md states the condition. */
  describe: string;
  test: (facts: Facts) => boolean;
}

/** Checks of an event against what else is known (context): the part of a verdict a signal alone cannot give. */
export const CONDITIONS = {
  "redirect-differs-by-proxy-only": {
    describe: "the requested redirect_uri equals a registered one except in scheme, host or port",
    test: (f) => {
      const requested = f.input.details?.redirect_uri;
      const registered = f.ctx.registeredRedirectUris;
      if (requested == null || registered == null) return false;
      const rules = wildcardRulesFor(f.ctx.keycloakVersion) ?? "path";
      return redirectUriDifference(requested, registered, { rules }) !== null;
    },
  },
  "saved-redirect-differs-by-proxy-only": {
    describe: "the saved and the parameter redirect_uri differ only in scheme, host or port",
    test: (f) => {
      const pair = savedRedirectPair(f.reason);
      return pair !== null && redirectUriDifference(pair.parameter, [pair.saved]) !== null;
    },
  },
  "single-private-address": {
    describe:
      "every event of the realm comes from one private address (a proxy Keycloak does not see through)",
    test: (f) => singlePrivateAddress(f) !== null,
  },
  "reason-detail-era": {
    describe: "Keycloak 25 or later (token checks write a reason detail)",
    test: (f) => versionAtLeast(f.ctx.keycloakVersion, "25") === true,
  },
  "origin-check-era": {
    describe:
      "Keycloak 26.6.3 or later, or an unknown version (token requests with a disallowed Origin get 403)",
    test: (f) => versionAtLeast(f.ctx.keycloakVersion, "26.6.3") !== false,
  },
  "issuer-differs-in-realm-only": {
    describe: "the expected and the actual issuer share scheme, host and port but name different realms",
    test: (f) => {
      const pair = issuerPair(f.reason);
      if (pair?.actual == null) return false;
      const expected = parseIssuer(pair.expected);
      const actual = parseIssuer(pair.actual);
      return (
        expected !== null &&
        actual !== null &&
        expected.origin === actual.origin &&
        expected.realm !== actual.realm
      );
    },
  },
  "issuer-known-under-other-host": {
    describe: "the token's issuer is one of the realm's known issuers, under another hostname",
    test: (f) => {
      const pair = issuerPair(f.reason);
      return (
        pair?.actual != null &&
        pair.actual !== pair.expected &&
        (f.ctx.knownIssuers ?? []).includes(pair.actual)
      );
    },
  },
  "presented-token-other-realm": {
    describe:
      "the token shown with the failure was issued by another realm of the same server than the one the request went to",
    test: (f) => presentedIssuerDiffers(f) === "realm",
  },
  "presented-token-other-host": {
    describe:
      "the token shown with the failure names the same realm under another scheme, host or port than the request used",
    test: (f) => presentedIssuerDiffers(f) === "host",
  },
} satisfies Record<string, Condition>;

/**
 * How the issuer of a token shown with the failure differs from the realm the request went to: "realm" (same
 * server, another realm), "host" (same realm name, another scheme, host or port), or null (same, or unknown).
 */
export function presentedIssuerDiffers(f: Pick<Facts, "ctx">): "realm" | "host" | null {
  const presented = parseIssuer(f.ctx.presentedIssuer ?? "");
  if (presented === null) return null;
  const request = parseIssuer(f.ctx.requestIssuer ?? "");
  const realm = request?.realm ?? f.ctx.requestRealm ?? null;
  if (realm === null) return null;
  if (presented.realm !== realm) {
    return request === null || request.origin === presented.origin ? "realm" : null;
  }
  return request !== null && request.origin !== presented.origin ? "host" : null;
}

export type ConditionId = keyof typeof CONDITIONS;

const SAVED_REDIRECT = /Saved redirectUri: (.*), redirectUri parameter: (.*)$/;
// "Invalid token issuer. Expected 'A', but was 'B'" (newer) or "Invalid token issuer. Expected 'A'" (older).
const ISSUER = /^Invalid token issuer\. Expected '([^']*)'(?:, but was '([^']*)')?/;
const REALM_ISSUER = /^(https?:\/\/[^/]+)(?:\/.*)?\/realms\/([^/]+)\/?$/;

/** The two URIs of a code-exchange invalid_redirect_uri reason. */
export function savedRedirectPair(reason: string | null): { saved: string; parameter: string } | null {
  const m = reason === null ? null : SAVED_REDIRECT.exec(reason);
  return m?.[1] === undefined || m[2] === undefined ? null : { saved: m[1], parameter: m[2] };
}

/** Expected and actual issuer of an "Invalid token issuer." reason; actual is null in older servers' text. */
export function issuerPair(reason: string | null): { expected: string; actual: string | null } | null {
  const m = reason === null ? null : ISSUER.exec(reason);
  return m?.[1] === undefined ? null : { expected: m[1], actual: m[2] ?? null };
}

export function parseIssuer(issuer: string): { origin: string; realm: string } | null {
  const m = REALM_ISSUER.exec(issuer);
  return m?.[1] === undefined || m[2] === undefined ? null : { origin: m[1].toLowerCase(), realm: m[2] };
}

/** The one private address all of a realm's events come from, or null. */
export function singlePrivateAddress(f: Pick<Facts, "ctx">): string | null {
  const profile = f.ctx.realmAddressProfile;
  return profile != null && profile.distinctIps === 1 && profile.onlyPrivateIp != null
    ? profile.onlyPrivateIp
    : null;
}
