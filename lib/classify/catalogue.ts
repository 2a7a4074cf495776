import type { Rule } from "@/lib/classify/rule";
import { CLIENT_REGISTRATION_RULES } from "@/lib/classify/rules/client-registration";
import { HTTP_DENIAL_RULES } from "@/lib/classify/rules/http-denials";
import { LOGIN_RULES } from "@/lib/classify/rules/login";
import { TOKEN_CHECK_RULES } from "@/lib/classify/rules/token-checks";
import { TOKEN_ENDPOINT_RULES } from "@/lib/classify/rules/token-endpoint";
import { TOKEN_EXCHANGE_AND_UMA_RULES } from "@/lib/classify/rules/token-exchange-and-uma";

/**
 * Stored with every classification. Bump it whenever a rule is added, removed or changes its cause,
 * confidence or match, so stored verdicts can be re-classified.
 */
export const CATALOGUE_VERSION = 3;

/** The cause catalogue, in tie-breaking order (see SPECIFICITY in rule.ts). */
export const CATALOGUE: readonly Rule[] = [
  ...TOKEN_CHECK_RULES,
  ...LOGIN_RULES,
  ...TOKEN_ENDPOINT_RULES,
  ...TOKEN_EXCHANGE_AND_UMA_RULES,
  ...CLIENT_REGISTRATION_RULES,
  ...HTTP_DENIAL_RULES,
];

const BY_ID = new Map(CATALOGUE.map((rule) => [rule.id, rule]));

export function getRule(id: string): Rule | undefined {
  return BY_ID.get(id);
}
