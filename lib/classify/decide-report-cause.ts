import type { CauseId } from "@/lib/classify/causes";
import { parseIssuer } from "@/lib/classify/conditions";
import { capValue } from "@/lib/classify/evidence";
import type {
  ClassifyContext,
  ReportDecision,
  ReportVerdict,
  ResourceServerReport,
  TokenClaims,
} from "@/lib/classify/types";

/** Tolerance for clocks that disagree between Keycloak and the API, in seconds. */
export const CLOCK_SKEW_SECONDS = 60;

/**
 * Each verdict's cause, how sure it is, and what it means (for docs/causes.md); the catalogue's report
 * rules are built from this table.
 */
export const REPORT_VERDICTS: Record<ReportVerdict, { cause: CauseId; confidence: number; meaning: string }> =
  {
    "token-expired": {
      cause: "token-expired",
      confidence: 0.95,
      meaning: "the token's exp was past when the API checked it",
    },
    "token-not-yet-valid": {
      cause: "token-expired",
      confidence: 0.85,
      meaning: `the token's nbf was more than ${CLOCK_SKEW_SECONDS} s ahead of the API's clock (clock skew)`,
    },
    "issuer-other-host": {
      cause: "proxy-misconfig",
      confidence: 0.9,
      meaning: "the token's iss is a known issuer of the same realm under another hostname",
    },
    "wrong-audience": {
      cause: "wrong-audience",
      confidence: 0.9,
      meaning: "the token's aud lacks an audience the API requires",
    },
    "missing-scope": {
      cause: "missing-scope",
      confidence: 0.9,
      meaning: "the token's scope lacks a scope the API requires",
    },
    "role-kind-mismatch": {
      cause: "missing-role",
      confidence: 0.92,
      meaning: "the API checks a realm role the token carries as a client role, or the reverse",
    },
    "composite-children-only": {
      cause: "missing-role",
      confidence: 0.85,
      meaning: "the API checks a composite role; the token has its associated roles but not the composite",
    },
    "composite-not-expanded": {
      cause: "missing-role",
      confidence: 0.85,
      meaning:
        "the token has a composite but not the required role it includes: the client's scope filters it out",
    },
    "missing-role": {
      cause: "missing-role",
      confidence: 0.9,
      meaning: "the token lacks a role the API requires",
    },
    unexplained: {
      cause: "unknown",
      confidence: 0,
      meaning: "the token satisfies every requirement the API reported",
    },
  };

/**
 * Explains a resource server's denial from what it required and what the token carried, checking in the
 * order an API does: lifetime, issuer, audience, scope, roles. The report is untrusted input: odd shapes
 * are read as absent, never thrown on.
 */
export function decideReportCause(report: ResourceServerReport, ctx: ClassifyContext = {}): ReportDecision {
  const claims: TokenClaims = isObject(report?.claims) ? report.claims : {};
  const required = isObject(report?.required) ? report.required : {};
  const now = (typeof report?.time === "number" ? report.time : Date.now()) / 1000;

  if (typeof claims.exp === "number" && claims.exp <= now) {
    return decide("token-expired", `the token expired ${duration(now - claims.exp)} before the request`);
  }
  if (typeof claims.nbf === "number" && claims.nbf > now + CLOCK_SKEW_SECONDS) {
    return decide(
      "token-not-yet-valid",
      `the token is not valid until ${duration(claims.nbf - now)} after the request: the API's clock is behind Keycloak's`,
    );
  }

  const issuer = otherHostIssuer(claims.iss, ctx.knownIssuers);
  if (issuer !== null) {
    return decide(
      "issuer-other-host",
      `the token was issued as ${capValue(claims.iss)} but the realm is known as ${capValue(issuer)}: the same realm under another hostname`,
    );
  }

  const audience = list(claims.aud);
  const missingAudience = strings(required.audience).filter((a) => !audience.includes(a));
  if (missingAudience.length > 0) {
    return decide(
      "wrong-audience",
      `the API requires audience ${names(missingAudience)} but the token's aud is ${audience.length === 0 ? "empty" : names(audience)}`,
    );
  }

  const scopes = typeof claims.scope === "string" ? claims.scope.split(" ") : [];
  const missingScopes = strings(required.scopes).filter((s) => !scopes.includes(s));
  if (missingScopes.length > 0) {
    return decide(
      "missing-scope",
      `the API requires scope ${names(missingScopes)} but the token's scope is "${capValue(claims.scope ?? "")}"`,
    );
  }

  const roleDecision = decideRoles(report, claims, required);
  if (roleDecision !== null) return roleDecision;

  return decide(
    "unexplained",
    "the token is within its lifetime and has the required audience, scopes and roles: the API denied for a reason outside the token",
  );
}

function decideRoles(
  report: ResourceServerReport,
  claims: TokenClaims,
  required: ResourceServerReport["required"],
): ReportDecision | null {
  const realmRoles = strings(claims.realm_access?.roles);
  const access = isObject(claims.resource_access) ? claims.resource_access : {};
  const clientRolesOf = (clientId: string) =>
    Object.hasOwn(access, clientId) ? strings(access[clientId]?.roles) : [];
  const composites = isObject(report.compositeOf) ? report.compositeOf : {};
  const knownRealmRoles = strings(report.knownRealmRoles);

  for (const role of strings(required.realmRoles)) {
    if (realmRoles.includes(role)) continue;
    const holder = Object.keys(access).find((clientId) => clientRolesOf(clientId).includes(role));
    if (holder !== undefined) {
      return decide(
        "role-kind-mismatch",
        `the API checks the realm role ${capValue(role)} but the token carries ${capValue(role)} as a client role of ${capValue(holder)}`,
      );
    }
    const composite = compositeDecision(role, realmRoles, composites);
    if (composite !== null) return composite;
    const absent =
      knownRealmRoles.length > 0 && !knownRealmRoles.includes(role) ? " (the realm has no such role)" : "";
    return decide(
      "missing-role",
      `the token lacks the realm role ${capValue(role)}${absent}: not assigned to the user, or filtered out by the client's scope`,
    );
  }

  for (const entry of Array.isArray(required.clientRoles) ? required.clientRoles : []) {
    if (!isObject(entry) || typeof entry.clientId !== "string") continue;
    const held = clientRolesOf(entry.clientId);
    for (const role of strings(entry.roles)) {
      if (held.includes(role)) continue;
      if (realmRoles.includes(role) || knownRealmRoles.includes(role)) {
        const where = realmRoles.includes(role)
          ? "the token carries it as a realm role"
          : "it exists only as a realm role";
        return decide(
          "role-kind-mismatch",
          `the API checks the client role ${capValue(role)} of ${capValue(entry.clientId)} but ${where}`,
        );
      }
      const composite = compositeDecision(role, held, composites);
      if (composite !== null) return composite;
      return decide(
        "missing-role",
        `the token lacks the client role ${capValue(role)} of ${capValue(entry.clientId)}: not assigned, or filtered out by the client's scope`,
      );
    }
  }
  return null;
}

/** A required composite whose parts are present, or a required part whose composite is present. */
function compositeDecision(
  role: string,
  held: string[],
  composites: Record<string, string[]>,
): ReportDecision | null {
  const children = Object.hasOwn(composites, role) ? strings(composites[role]) : [];
  if (children.length > 0 && children.every((child) => held.includes(child))) {
    return decide(
      "composite-children-only",
      `the API checks the composite role ${capValue(role)}; the token has its associated roles ${names(children)} but not ${capValue(role)} itself, so the user was given the parts, not the composite`,
    );
  }
  const parent = held.find((r) => Object.hasOwn(composites, r) && strings(composites[r]).includes(role));
  if (parent !== undefined) {
    return decide(
      "composite-not-expanded",
      `the token has the composite role ${capValue(parent)}, which includes ${capValue(role)}, but not ${capValue(role)}: the client's scope mappings filter it out (Full scope allowed off)`,
    );
  }
  return null;
}

function otherHostIssuer(iss: unknown, knownIssuers: string[] | undefined): string | null {
  if (typeof iss !== "string" || !Array.isArray(knownIssuers) || knownIssuers.includes(iss)) return null;
  const token = parseIssuer(iss);
  if (token === null) return null;
  for (const known of knownIssuers) {
    const parsed = typeof known === "string" ? parseIssuer(known) : null;
    if (parsed !== null && parsed.realm === token.realm && parsed.origin !== token.origin) return known;
  }
  return null;
}

function decide(verdict: ReportVerdict, evidence: string): ReportDecision {
  return { verdict, cause: REPORT_VERDICTS[verdict].cause, evidence };
}

function isObject<T>(value: T): value is T & object {
  return typeof value === "object" && value !== null;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

function list(aud: unknown): string[] {
  return typeof aud === "string" ? [aud] : strings(aud);
}

function names(values: string[]): string {
  const shown = values.slice(0, 5).map(capValue).join(", ");
  return values.length > 5 ? `${shown} and ${values.length - 5} more` : shown;
}

function duration(seconds: number): string {
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86_400)} days`;
}
