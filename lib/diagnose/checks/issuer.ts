import { need } from "@/lib/diagnose/checks/check-support";
import type { LiveCheck } from "@/lib/diagnose/checks/check-types";
import { issuerDifferences, parseRealmIssuer } from "@/lib/diagnose/realm-issuer";

/**
 * Does the realm's issuer, as configured now (its Frontend URL, else what the server advertises), equal the
 * issuers of the tokens seen in failures? A difference in scheme, host, port or path is a hostname or proxy
 * problem: tokens minted under one URL fail under the other.
 */
export const checkIssuer: LiveCheck = async (api, ctx) => {
  const seen = need(ctx.issuers, "token issuer");
  const realm = await api.getRealm(ctx.realm);
  if (realm.attributes === undefined) {
    return {
      status: "unknown",
      needsRole: "view-realm",
      evidence:
        "Keycloak returned only a partial realm representation (no attributes): the Frontend URL needs view-realm.",
    };
  }
  const frontendUrl = realm.attributes.frontendUrl?.trim();
  const expected = frontendUrl
    ? `${frontendUrl.replace(/\/+$/, "")}/realms/${encodeURIComponent(ctx.realm)}`
    : await api.getAdvertisedIssuer(ctx.realm);
  const source = frontendUrl
    ? `the realm's Frontend URL (${frontendUrl})`
    : "the server's hostname (the advertised issuer)";
  const want = parseRealmIssuer(expected);
  if (!want) return { status: "unknown", evidence: `The realm's issuer ${expected} is not a realm URL.` };
  const mismatches = seen
    .map((iss) => ({ iss, parsed: parseRealmIssuer(iss) }))
    .map(({ iss, parsed }) => ({
      iss,
      parts: parsed ? issuerDifferences(want, parsed) : (["path"] as const),
    }))
    .filter((m) => m.parts.length > 0);
  if (mismatches.length > 0) {
    const first = mismatches[0]!;
    const https =
      realm.sslRequired && realm.sslRequired !== "none" && first.iss.startsWith("http:")
        ? ` The realm requires SSL (sslRequired ${realm.sslRequired}), so an http issuer also means X-Forwarded-Proto is lost.`
        : "";
    return {
      status: "fail",
      evidence: `Tokens in the failures were issued as ${first.iss}, but the realm's issuer is ${want.url} from ${source} (different ${first.parts.join(", ")}).${https}`,
    };
  }
  return { status: "pass", evidence: `Every issuer seen equals ${want.url}, from ${source}.` };
};
