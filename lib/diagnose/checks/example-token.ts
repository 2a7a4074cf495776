import { Conclusion, requireClient, requireSubject } from "@/lib/diagnose/checks/check-support";
import type { ClaimsSummary, LiveCheck, LiveCheckContext } from "@/lib/diagnose/checks/check-types";
import { readTokenClaims, type TokenClaims } from "@/lib/diagnose/token-claims";
import {
  audienceFinding,
  type Finding,
  scopeFinding,
  type TokenRequirements,
} from "@/lib/diagnose/token-findings";
import { roleFindings } from "@/lib/diagnose/token-role-findings";
import { KeycloakError } from "@/lib/keycloak/keycloak-error";
import { isRealmManagementRole } from "@/lib/keycloak/realm-management-roles";

/**
 * Not checked, and why: realmwatch's own service account lacks a role, which is not a finding about the realm.
 * Keycloak's ClientScopeEvaluateResource checks the client (view-clients or manage-clients) and, since the fix
 * for CVE-2026-37978 (keycloak PR #49124; 26.4.12, 26.6.2, 26.7.0), the user the token is made for (view-users
 * or manage-users). A 403 does not say which of the two is missing, so both are named.
 */
export const EXAMPLE_TOKEN_ROLES_MISSING =
  "Not checked: realmwatch's service account lacks a role. Keycloak's example-token endpoint (Client scopes > Evaluate) needs two roles of realm-management: view-clients (or manage-clients) to read the client, and view-users (or manage-users) to make a token for a user (since 26.4.12, 26.6.2 and 26.7.0, CVE-2026-37978). Give the service account both to run this check.";

/** What the failing requests needed, in the token analyser's terms. */
export function requirementsOf(ctx: LiveCheckContext): TokenRequirements {
  const required: TokenRequirements = {};
  if (ctx.audience) required.audience = ctx.audience;
  if (ctx.endpoint) required.endpoint = ctx.endpoint;
  if (ctx.role) {
    const owner = ctx.roleClientId ?? (isRealmManagementRole(ctx.role) ? "realm-management" : undefined);
    if (owner) required.clientRoles = [{ clientId: owner, roles: [ctx.role] }];
    else required.realmRoles = [ctx.role];
  }
  return required;
}

function summary(claims: TokenClaims): ClaimsSummary {
  return {
    aud: claims.aud,
    scope: claims.scope,
    realmRoles: claims.realmRoles,
    clientRoles: claims.clientRoles,
  };
}

/**
 * The token Keycloak would issue now for this client and subject (Client scopes > Evaluate), judged by
 * the same rules as a pasted token, next to the claims the failing token had: the before/after of a fix.
 */
export const checkExampleToken: LiveCheck = async (api, ctx) => {
  const needed = requirementsOf(ctx);
  // An endpoint other than userinfo asks nothing of the token by itself: there would be nothing to compare.
  if (!needed.audience && !needed.realmRoles && !needed.clientRoles && needed.endpoint !== "userinfo") {
    throw new Conclusion(
      "unknown",
      "Not enough to check: the failures name no required role, audience or endpoint, so there is nothing to compare the token with.",
    );
  }
  const client = await requireClient(api, ctx.realm, ctx.clientId);
  const subject = await requireSubject(api, ctx);
  const payload = await api
    .generateExampleAccessToken(ctx.realm, client.id, {
      userId: subject.id,
      ...(ctx.scope ? { scope: ctx.scope } : {}),
    })
    .catch((err: unknown) => {
      if (err instanceof KeycloakError && err.keycloakStatus === 403) {
        throw new Conclusion("unknown", EXAMPLE_TOKEN_ROLES_MISSING);
      }
      throw err;
    });
  const claims = readTokenClaims(payload);
  const findingCtx = {
    claims,
    header: null,
    required: needed,
    knownIssuers: [],
    nowMs: 0,
    skewMs: 0,
    timeZone: "UTC",
  };
  const judged: Finding[] = [
    audienceFinding(findingCtx),
    scopeFinding(findingCtx),
    ...roleFindings(findingCtx),
  ];
  const failures = judged.filter((f) => f.status === "fail");
  const comparison = { needed, now: summary(claims), ...(ctx.seenClaims ? { before: ctx.seenClaims } : {}) };
  const who = `${client.clientId} for the ${subject.kind} ${subject.label}`;
  if (failures.length > 0) {
    return {
      status: "fail",
      evidence: `The token Keycloak issues now to ${who} still fails: ${failures.map((f) => f.evidence).join(" ")}`,
      comparison,
    };
  }
  const checked = judged.filter((f) => f.status === "pass").map((f) => f.title);
  return {
    status: "pass",
    evidence: `The token Keycloak issues now to ${who} has what the failing requests needed${checked.length > 0 ? `: ${checked.join("; ")}` : ""}.`,
    comparison,
  };
};
