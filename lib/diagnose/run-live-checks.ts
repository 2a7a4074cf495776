import type { CauseId } from "@/lib/classify/causes";
import { checkAudience } from "@/lib/diagnose/checks/audience";
import { resultOfError } from "@/lib/diagnose/checks/check-support";
import type { CheckId, CheckResult, LiveCheck, LiveCheckContext } from "@/lib/diagnose/checks/check-types";
import { checkClientScopes } from "@/lib/diagnose/checks/client-scopes";
import { checkCompositeRole } from "@/lib/diagnose/checks/composite-role";
import { checkEffectiveRoles } from "@/lib/diagnose/checks/effective-roles";
import { checkEventsConfig } from "@/lib/diagnose/checks/events-config";
import { checkExampleToken } from "@/lib/diagnose/checks/example-token";
import { checkIssuer } from "@/lib/diagnose/checks/issuer";
import { checkRedirectUris } from "@/lib/diagnose/checks/redirect-uris";
import { checkRoleScope } from "@/lib/diagnose/checks/role-scope";
import { checkWebOrigins } from "@/lib/diagnose/checks/web-origins";
import { cachedAdminApi } from "@/lib/keycloak/cached-admin-api";
import type { AdminApi } from "@/lib/keycloak/representations";

export interface LiveCheckDefinition {
  id: CheckId;
  title: string;
  run: LiveCheck;
}

export const LIVE_CHECKS: Record<CheckId, LiveCheckDefinition> = {
  "client-scopes": { id: "client-scopes", title: "Client scopes", run: checkClientScopes },
  audience: { id: "audience", title: "Audience", run: checkAudience },
  "effective-roles": { id: "effective-roles", title: "Effective roles", run: checkEffectiveRoles },
  "role-scope": { id: "role-scope", title: "Role scope", run: checkRoleScope },
  "composite-role": { id: "composite-role", title: "Composite roles", run: checkCompositeRole },
  "web-origins": { id: "web-origins", title: "Web origins", run: checkWebOrigins },
  "redirect-uris": { id: "redirect-uris", title: "Redirect URIs", run: checkRedirectUris },
  issuer: { id: "issuer", title: "Issuer and hostname", run: checkIssuer },
  "events-config": { id: "events-config", title: "Events configuration", run: checkEventsConfig },
  "example-token": { id: "example-token", title: "Example token", run: checkExampleToken },
};

/** The live checks a cause's fix page offers, most telling first. */
export const CHECKS_FOR_CAUSE: Record<CauseId, CheckId[]> = {
  "missing-scope": ["client-scopes", "example-token", "events-config"],
  "missing-role": ["effective-roles", "role-scope", "composite-role", "example-token"],
  "wrong-audience": ["audience", "example-token"],
  "proxy-misconfig": ["issuer", "redirect-uris"],
  cors: ["web-origins"],
  "redirect-uri": ["redirect-uris"],
  "token-expired": ["events-config"],
  "session-invalid": ["events-config"],
  "client-auth": ["events-config"],
  "client-config": ["events-config"],
  "user-credentials": ["events-config"],
  "user-state": ["events-config"],
  "authz-policy": ["events-config"],
  unknown: ["events-config"],
};

/**
 * Runs the given checks against a realm through the Admin REST API (read-only). Every check yields a
 * result: a missing permission or an unreachable server ends as unknown, never as an exception.
 */
export async function runLiveChecks(
  api: AdminApi,
  ctx: LiveCheckContext,
  ids: CheckId[],
): Promise<CheckResult[]> {
  const shared = cachedAdminApi(api);
  return Promise.all(
    ids.map(async (id) => {
      const { title, run } = LIVE_CHECKS[id];
      const outcome = await run(shared, ctx).catch(resultOfError);
      return { id, title, ...outcome };
    }),
  );
}
