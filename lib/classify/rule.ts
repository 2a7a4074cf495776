import type { CauseId } from "@/lib/classify/causes";
import type { ConditionId } from "@/lib/classify/conditions";
import type { Facts, ReportVerdict } from "@/lib/classify/types";
import type { EventOrigin } from "@/lib/keycloak/types";

/** Exact text, any of several exact texts, a prefix, or a pattern. */
export type TextMatch = string | readonly string[] | { prefix: string } | RegExp;
export type DetailMatch = TextMatch | { present: true };

export interface HttpMatch {
  /** "read" = GET/HEAD, "write" = POST/PUT/PATCH/DELETE, or explicit methods. */
  method?: "read" | "write" | readonly string[];
  path?: RegExp;
  status?: number | readonly number[];
  /** Whether the request carried an Origin header. */
  origin?: boolean;
}

/** Every constraint present must hold. Absent constraints match anything. */
export interface RuleMatch {
  origin?: EventOrigin | readonly EventOrigin[];
  /** Exact type, any of several, or a pattern (for families of types). */
  type?: string | readonly string[] | RegExp;
  /** Exact error, any of several; null means the event has no error. */
  error?: string | readonly string[] | null;
  /** The `reason` detail; null means the event has none. */
  reason?: TextMatch | null;
  details?: Readonly<Record<string, DetailMatch>>;
  http?: HttpMatch;
  report?: ReportVerdict | readonly ReportVerdict[];
  /** A named check of the event against the context (see conditions.ts). */
  condition?: ConditionId;
  /** What the HTTP answer said (input.response). */
  response?: ResponseMatch;
}

export interface ResponseMatch {
  error?: string | readonly string[];
  description?: TextMatch;
  message?: TextMatch;
}

export interface Rule {
  /** Stable id: stored with every classification; never reuse one for a different meaning. */
  id: string;
  cause: CauseId;
  confidence: number;
  match: RuleMatch;
  /** What the signal means, written after the signal itself ("USER_INFO_REQUEST_ERROR with error …: <this>"). */
  evidence: string;
  /**
   * The same explanation naming the event's own values (a redirect URI, an issuer, a role), or null when
   * they are absent and `evidence` applies. It must cap every value it quotes (capValue in evidence.ts).
   */
  explain?: (facts: Facts) => string | null;
  /** Where Keycloak's behaviour differs across versions. */
  versionNote?: string;
}

/**
 * Specificity decides between rules that all match: the sum of the weights of the constraints a rule
 * states, so an exact reason beats a prefix, a reason beats none, and a context condition beats both.
 * Ties go to the rule listed first in the catalogue.
 */
export const SPECIFICITY = {
  origin: 1,
  typeExact: 4,
  typeList: 3,
  typePattern: 2,
  errorExact: 4,
  errorList: 3,
  errorAbsent: 1,
  reasonExact: 4,
  reasonList: 4,
  reasonPattern: 3,
  reasonAbsent: 1,
  detailExact: 3,
  detailPattern: 2,
  detailPresent: 1,
  httpMethod: 1,
  httpPath: 3,
  httpStatus: 2,
  httpOrigin: 1,
  report: 4,
  condition: 5,
  responseError: 2,
  responseText: 4,
} as const;

export function ruleSpecificity(match: RuleMatch): number {
  let score = 0;
  if (match.origin !== undefined) score += SPECIFICITY.origin;
  if (match.type !== undefined) {
    score +=
      typeof match.type === "string"
        ? SPECIFICITY.typeExact
        : match.type instanceof RegExp
          ? SPECIFICITY.typePattern
          : SPECIFICITY.typeList;
  }
  if (match.error !== undefined) {
    score +=
      match.error === null
        ? SPECIFICITY.errorAbsent
        : typeof match.error === "string"
          ? SPECIFICITY.errorExact
          : SPECIFICITY.errorList;
  }
  if (match.reason !== undefined) {
    score += match.reason === null ? SPECIFICITY.reasonAbsent : textWeight(match.reason, "reason");
  }
  for (const detail of Object.values(match.details ?? {})) {
    score +=
      typeof detail === "object" && "present" in detail
        ? SPECIFICITY.detailPresent
        : textWeight(detail, "detail");
  }
  if (match.http?.method !== undefined) score += SPECIFICITY.httpMethod;
  if (match.http?.path !== undefined) score += SPECIFICITY.httpPath;
  if (match.http?.status !== undefined) score += SPECIFICITY.httpStatus;
  if (match.http?.origin !== undefined) score += SPECIFICITY.httpOrigin;
  if (match.report !== undefined) score += SPECIFICITY.report;
  if (match.condition !== undefined) score += SPECIFICITY.condition;
  if (match.response?.error !== undefined) score += SPECIFICITY.responseError;
  if (match.response?.description !== undefined) score += SPECIFICITY.responseText;
  if (match.response?.message !== undefined) score += SPECIFICITY.responseText;
  return score;
}

function textWeight(text: TextMatch, kind: "reason" | "detail"): number {
  const exact = typeof text === "string" || Array.isArray(text);
  if (kind === "reason") return exact ? SPECIFICITY.reasonExact : SPECIFICITY.reasonPattern;
  return exact ? SPECIFICITY.detailExact : SPECIFICITY.detailPattern;
}

export function matchesText(value: string | null | undefined, expected: TextMatch): boolean {
  if (value == null) return false;
  if (typeof expected === "string") return value === expected;
  if (expected instanceof RegExp) return expected.test(value);
  if (Array.isArray(expected)) return expected.includes(value);
  return value.startsWith((expected as { prefix: string }).prefix);
}
