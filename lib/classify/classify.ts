import { CATALOGUE, CATALOGUE_VERSION } from "@/lib/classify/catalogue";
import { type CauseId, fixPath } from "@/lib/classify/causes";
import { compileCatalogue } from "@/lib/classify/compile-catalogue";
import { singlePrivateAddress } from "@/lib/classify/conditions";
import { decideReportCause } from "@/lib/classify/decide-report-cause";
import { capValue, signalOf } from "@/lib/classify/evidence";
import type { Rule } from "@/lib/classify/rule";
import type { Classification, ClassifyContext, ClassifyInput, Facts } from "@/lib/classify/types";
import { type EventOrigin, isFailure, type KeycloakUserEvent } from "@/lib/keycloak/types";

const COMPILED = compileCatalogue(CATALOGUE);
const NO_CONTEXT: ClassifyContext = {};

/**
 * Classifies one failure (or denial) into a cause with evidence. Total: any input, however odd, gets a
 * classification, `unknown` with the raw type, error and reason when no rule matches.
 */
export function classify(input: ClassifyInput, ctx: ClassifyContext = NO_CONTEXT): Classification {
  try {
    return classifyOrThrow(input, ctx);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return result("unknown", "unknown", 0, `classification failed on odd input: ${capValue(message)}`);
  }
}

/** Null for successes (not an _ERROR type, no error, not a lockout; HTTP status below 400), else classify(). */
export function classifyIfFailure(
  input: ClassifyInput,
  ctx: ClassifyContext = NO_CONTEXT,
): Classification | null {
  return isFailureInput(input) ? classify(input, ctx) : null;
}

/** Classifies a user event from the Admin REST API or a log line; null when it is a success. */
export function classifyUserEvent(
  event: KeycloakUserEvent,
  origin: EventOrigin,
  ctx: ClassifyContext = NO_CONTEXT,
): Classification | null {
  if (!isFailure(event.type, event.error)) return null;
  return classify(
    {
      origin,
      type: event.type,
      error: event.error,
      clientId: event.clientId,
      userId: event.userId,
      ipAddress: event.ipAddress,
      details: event.details,
    },
    ctx,
  );
}

export function isFailureInput(input: ClassifyInput): boolean {
  if (input.origin === "access-log" || input.origin === "report") {
    return input.report != null || (input.http?.status ?? 0) >= 400;
  }
  return typeof input.type === "string" && isFailure(input.type, input.error);
}

function classifyOrThrow(input: ClassifyInput, ctx: ClassifyContext): Classification {
  const type = typeof input.type === "string" ? input.type : "";
  const error = typeof input.error === "string" ? input.error : "";
  const rawReason = input.details?.reason;
  const reason = typeof rawReason === "string" && rawReason !== "" ? rawReason : null;
  const report =
    input.origin === "report" && input.report != null ? decideReportCause(input.report, ctx) : null;
  const facts: Facts = { input, ctx, reason, report };

  // HTTP denials meet forty rules, most for another status: only they are worth narrowing first.
  const candidates =
    input.http == null
      ? COMPILED.candidates(type, error)
      : COMPILED.candidatesFor(type, error, input.origin, input.http);
  for (const candidate of candidates) {
    if (candidate.test(facts)) return fromRule(candidate.rule, facts);
  }
  const because =
    report === null
      ? `no rule of catalogue v${CATALOGUE_VERSION} matches; the raw values are kept`
      : report.evidence;
  return result("unknown", "unknown", 0, `${signalOf(facts)}: ${because}${suspicion(facts)}`);
}

function fromRule(rule: Rule, facts: Facts): Classification {
  const explanation = rule.explain?.(facts) ?? rule.evidence;
  return result(
    rule.cause,
    rule.id,
    rule.confidence,
    `${signalOf(facts)}: ${explanation}${suspicion(facts)}`,
  );
}

/** A realm whose events all come from one private address is behind a proxy Keycloak does not see through. */
function suspicion(facts: Facts): string {
  if (
    facts.ctx.realmAddressProfile == null ||
    facts.input.origin === "access-log" ||
    facts.input.origin === "report"
  ) {
    return "";
  }
  const address = singlePrivateAddress(facts);
  return address === null
    ? ""
    : `; every event of this realm comes from ${capValue(address)}, so Keycloak likely sees a proxy, not the client (proxy headers not trusted)`;
}

function result(cause: CauseId, ruleId: string, confidence: number, evidence: string): Classification {
  return { cause, ruleId, confidence, evidence, fix: fixPath(cause), catalogueVersion: CATALOGUE_VERSION };
}
