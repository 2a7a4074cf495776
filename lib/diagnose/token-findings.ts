import type { CauseId } from "@/lib/classify/causes";
import { issuerDifferences, parseRealmIssuer } from "@/lib/diagnose/realm-issuer";
import type { TokenClaims } from "@/lib/diagnose/token-claims";
import { formatTime } from "@/lib/time/format";

export type FindingStatus = "pass" | "fail" | "info";

export type FindingId =
  | "decode"
  | "signature"
  | "token-type"
  | "issuer"
  | "not-before"
  | "issued-at"
  | "audience"
  | "scope"
  | "role"
  | "expiry";

export interface Finding {
  id: FindingId;
  status: FindingStatus;
  title: string;
  evidence: string;
  /** For a failure: the cause it points at. */
  cause?: CauseId;
}

/** What the API that denied the request needs from the token. */
export interface TokenRequirements {
  realmRoles?: string[];
  clientRoles?: { clientId: string; roles: string[] }[];
  audience?: string;
  scopes?: string[];
  /** Where the token was presented: the userinfo endpoint needs openid (Keycloak 20+). */
  endpoint?: "userinfo" | "api";
}

export interface FindingContext {
  claims: TokenClaims;
  header: Record<string, unknown> | null;
  required: TokenRequirements;
  knownIssuers: string[];
  nowMs: number;
  skewMs: number;
  /** The zone times are written in (lib/time/format.ts, the one format of every page). */
  timeZone: string;
}

const list = (values: string[]) => (values.length === 0 ? "(none)" : values.join(", "));

function duration(ms: number): string {
  const s = Math.round(Math.abs(ms) / 1000);
  if (s < 120) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 120) return `${m} min`;
  const h = Math.floor(m / 60);
  return m % 60 === 0 ? `${h} h` : `${h} h ${m % 60} min`;
}

export function signatureFinding({ header }: FindingContext): Finding {
  const alg = typeof header?.alg === "string" ? header.alg : undefined;
  const kid = typeof header?.kid === "string" ? header.kid : undefined;
  return {
    id: "signature",
    status: "info",
    title: "Signature not verified",
    evidence: `Only the header and payload are decoded; the signature is not checked, so a forged token reads the same here.${alg ? ` alg ${alg}` : ""}${kid ? `, kid ${kid}` : ""}`,
  };
}

/** Keycloak writes typ Bearer in access tokens, ID in ID tokens, Refresh or Offline in refresh tokens. */
export function tokenTypeFinding({ claims, header }: FindingContext): Finding {
  const typ = claims.typ;
  const headerTyp = typeof header?.typ === "string" ? header.typ : undefined;
  if (typ === "ID") {
    return {
      id: "token-type",
      status: "fail",
      title: "An ID token, not an access token",
      evidence: `typ is ID and aud is ${list(claims.aud)}: an ID token tells the client who logged in and is not meant for an API. Send the access_token of the token response.`,
      cause: "wrong-audience",
    };
  }
  if (typ === "Refresh" || typ === "Offline") {
    return {
      id: "token-type",
      status: "fail",
      title: "A refresh token, not an access token",
      evidence: `typ is ${typ}: refresh tokens only go back to Keycloak's token endpoint; their aud is the realm (${list(claims.aud)}), never an API.`,
      cause: "wrong-audience",
    };
  }
  if (typ === "Bearer" || headerTyp?.toLowerCase() === "at+jwt") {
    return {
      id: "token-type",
      status: "pass",
      title: "An access token",
      evidence: `typ ${typ ?? headerTyp}`,
    };
  }
  return {
    id: "token-type",
    status: "info",
    title: "Token type not stated",
    evidence: typ ? `typ is ${typ}` : "No typ claim: not a Keycloak access token, or a customised one.",
  };
}

export function issuerFinding({ claims, knownIssuers }: FindingContext): Finding {
  if (!claims.iss)
    return { id: "issuer", status: "info", title: "No issuer", evidence: "The payload has no iss claim." };
  const iss = parseRealmIssuer(claims.iss);
  if (!iss) {
    return {
      id: "issuer",
      status: "info",
      title: "Not a Keycloak realm issuer",
      evidence: `iss ${claims.iss}`,
    };
  }
  const known = knownIssuers.map(parseRealmIssuer).filter((k) => k !== null);
  if (known.length === 0) {
    return {
      id: "issuer",
      status: "info",
      title: `Issued by realm ${iss.realm}`,
      evidence: `iss ${iss.url}`,
    };
  }
  if (known.some((k) => issuerDifferences(k, iss).length === 0)) {
    return {
      id: "issuer",
      status: "pass",
      title: "Issuer matches a known realm",
      evidence: `iss ${iss.url}`,
    };
  }
  const sameRealm = known.find((k) => k.realm === iss.realm);
  if (sameRealm) {
    return {
      id: "issuer",
      status: "fail",
      title: "Issued under another URL of the same realm",
      evidence: `iss is ${iss.url}, the realm is served as ${sameRealm.url} (different ${issuerDifferences(sameRealm, iss).join(", ")}). Keycloak rejects it with "Invalid token issuer", and so does an API configured with the other URL.`,
      cause: "proxy-misconfig",
    };
  }
  return {
    id: "issuer",
    status: "info",
    title: `Issued by an unknown realm (${iss.realm})`,
    evidence: `iss ${iss.url}; known: ${known.map((k) => k.url).join(", ")}`,
  };
}

export function notBeforeFinding({ claims, nowMs, skewMs, timeZone }: FindingContext): Finding | null {
  if (!claims.nbf) return null;
  const nbfMs = claims.nbf * 1000;
  if (nowMs + skewMs >= nbfMs)
    return {
      id: "not-before",
      status: "pass",
      title: "Valid since nbf",
      evidence: `nbf ${formatTime(nbfMs, timeZone)}`,
    };
  return {
    id: "not-before",
    status: "fail",
    title: "Not valid yet",
    evidence: `nbf is ${formatTime(nbfMs, timeZone)}, ${duration(nbfMs - nowMs)} after ${formatTime(nowMs, timeZone)}: the clocks of Keycloak and this checker disagree, or the token was used before nbf.`,
    cause: "token-expired",
  };
}

export function issuedAtFinding({ claims, nowMs, skewMs, timeZone }: FindingContext): Finding | null {
  if (claims.iat === undefined) return null;
  const iatMs = claims.iat * 1000;
  if (iatMs <= nowMs + skewMs)
    return {
      id: "issued-at",
      status: "pass",
      title: "Issued in the past",
      evidence: `iat ${formatTime(iatMs, timeZone)}`,
    };
  return {
    id: "issued-at",
    status: "fail",
    title: "Issued in the future: clock skew",
    evidence: `iat is ${formatTime(iatMs, timeZone)}, ${duration(iatMs - nowMs)} ahead of ${formatTime(nowMs, timeZone)}, more than the allowed ${duration(skewMs)}: Keycloak's clock runs ahead of the checker's. Synchronise both with NTP.`,
    cause: "token-expired",
  };
}

export function expiryFinding({ claims, nowMs, skewMs, timeZone }: FindingContext): Finding {
  if (claims.exp === undefined)
    return { id: "expiry", status: "info", title: "No expiry", evidence: "The payload has no exp claim." };
  const expMs = claims.exp * 1000;
  if (nowMs <= expMs) {
    return {
      id: "expiry",
      status: "pass",
      title: "Not expired",
      evidence: `exp ${formatTime(expMs, timeZone)}, ${duration(expMs - nowMs)} after ${formatTime(nowMs, timeZone)}`,
    };
  }
  if (nowMs <= expMs + skewMs) {
    return {
      id: "expiry",
      status: "info",
      title: "Just expired, within the allowed skew",
      evidence: `exp ${formatTime(expMs, timeZone)}, ${duration(nowMs - expMs)} before ${formatTime(nowMs, timeZone)}; a checker without leeway rejects it.`,
    };
  }
  const lifespan = claims.iat !== undefined ? ` (it lived ${duration(expMs - claims.iat * 1000)})` : "";
  return {
    id: "expiry",
    status: "fail",
    title: "Expired",
    evidence: `exp ${formatTime(expMs, timeZone)}, ${duration(nowMs - expMs)} before ${formatTime(nowMs, timeZone)}${lifespan}. The application must refresh before exp.`,
    cause: "token-expired",
  };
}

export function audienceFinding({ claims, required }: FindingContext): Finding {
  const audience = required.audience;
  const seen = `aud ${list(claims.aud)}, azp ${claims.azp ?? "(none)"}`;
  if (!audience) return { id: "audience", status: "info", title: "Audience", evidence: seen };
  if (claims.aud.includes(audience))
    return { id: "audience", status: "pass", title: `aud contains ${audience}`, evidence: seen };
  const issuedToApi =
    claims.azp === audience ? ` The token was issued to ${audience} (azp) but not for it.` : "";
  return {
    id: "audience",
    status: "fail",
    title: `aud lacks ${audience}`,
    evidence: `${seen}.${issuedToApi} Add an Audience mapper for ${audience} on ${claims.azp ?? "the requesting client"}.`,
    cause: "wrong-audience",
  };
}

export function scopeFinding({ claims, required }: FindingContext): Finding {
  const needed = [
    ...new Set([...(required.endpoint === "userinfo" ? ["openid"] : []), ...(required.scopes ?? [])]),
  ];
  const seen = claims.scope.length > 0 ? `scope "${claims.scope.join(" ")}"` : "no scope claim";
  if (needed.length === 0) return { id: "scope", status: "info", title: "Scope", evidence: seen };
  const missing = needed.filter((s) => !claims.scope.includes(s));
  if (missing.length === 0)
    return { id: "scope", status: "pass", title: `scope has ${needed.join(", ")}`, evidence: seen };
  const openid = missing.includes("openid")
    ? " Without openid the userinfo endpoint answers 403 insufficient_scope (Keycloak 20+): request scope=openid."
    : "";
  return {
    id: "scope",
    status: "fail",
    title: `scope lacks ${missing.join(", ")}`,
    evidence: `${seen}.${openid}`,
    cause: "missing-scope",
  };
}
