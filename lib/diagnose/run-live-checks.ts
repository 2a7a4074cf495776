import type { CauseId } from "@/lib/classify/causes";
import { checkAudience } from "@/lib/diagnose/checks/audience";
import { normalizeContext, present, resultOfError } from "@/lib/diagnose/checks/check-support";
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
import { clientForOrigins } from "@/lib/diagnose/client-for-origins";
import { cachedAdminApi } from "@/lib/keycloak/cached-admin-api";
import type { AdminApi } from "@/lib/keycloak/representations";

export interface LiveCheckDefinition {
  id: CheckId;
  title: string;
  run: LiveCheck;
  /**
   * The evidence values the check compares the realm with (any one of them is enough), and how to name
   * them when none is there. Empty only for a check whose yardstick is fixed (the event types worth saving).
   */
  requires: (keyof LiveCheckContext)[];
  lacks?: string;
}

export const LIVE_CHECKS: Record<CheckId, LiveCheckDefinition> = {
  "client-scopes": {
    id: "client-scopes",
    title: "Client scopes",
    run: checkClientScopes,
    requires: ["scope", "endpoint", "missingScopes"],
    lacks: "requested scope",
  },
  audience: {
    id: "audience",
    title: "Audience",
    run: checkAudience,
    requires: ["audience"],
    lacks: "target API (audience)",
  },
  "effective-roles": {
    id: "effective-roles",
    title: "Effective roles",
    run: checkEffectiveRoles,
    requires: ["role"],
    lacks: "required role",
  },
  "role-scope": {
    id: "role-scope",
    title: "Role scope",
    run: checkRoleScope,
    requires: ["role"],
    lacks: "required role",
  },
  "composite-role": {
    id: "composite-role",
    title: "Composite roles",
    run: checkCompositeRole,
    requires: ["role"],
    lacks: "required role",
  },
  "web-origins": {
    id: "web-origins",
    title: "Web origins",
    run: checkWebOrigins,
    requires: ["origins"],
    lacks: "browser origin",
  },
  "redirect-uris": {
    id: "redirect-uris",
    title: "Redirect URIs",
    run: checkRedirectUris,
    requires: ["redirectUris"],
    lacks: "redirect_uri",
  },
  issuer: {
    id: "issuer",
    title: "Issuer and hostname",
    run: checkIssuer,
    requires: ["issuers"],
    lacks: "token issuer",
  },
  "events-config": {
    id: "events-config",
    title: "Events configuration",
    run: checkEventsConfig,
    requires: [],
  },
  "example-token": {
    id: "example-token",
    title: "Example token",
    run: checkExampleToken,
    requires: ["role", "audience", "endpoint"],
    lacks: "required role, audience or endpoint",
  },
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

/** "Not checked" for a check whose requirement the evidence lacks; null when it can run. */
function missingRequirement(
  definition: LiveCheckDefinition,
  ctx: LiveCheckContext,
): Omit<CheckResult, "id" | "title"> | null {
  if (definition.requires.length === 0 || definition.requires.some((field) => present(ctx[field])))
    return null;
  return {
    status: "unknown",
    evidence: `Not enough to check: the failures name no ${definition.lacks ?? definition.requires.join(" or ")}.`,
  };
}

/**
 * The context with the client filled in when the failures did not name it but carry the browser's origin
 * (a CORS refusal or a userinfo refusal happens before Keycloak reads the client): found in the realm's
 * client list, and said so in `clientFoundBy`. Unchanged when the client is named or cannot be found.
 */
export async function completeContext(api: AdminApi, ctx: LiveCheckContext): Promise<LiveCheckContext> {
  if (present(ctx.clientId) || !present(ctx.origins)) return ctx;
  const found = await clientForOrigins(api, ctx.realm, normalizeContext(ctx).origins ?? []);
  return found ? { ...ctx, clientId: found.clientId, clientFoundBy: found.how } : ctx;
}

/**
 * Runs the given checks against a realm through the Admin REST API (read-only). Every check yields a
 * result: a missing permission or an unreachable server ends as unknown, never as an exception. A check
 * whose requirement is empty is not run: it answers unknown and names the value the evidence lacks.
 */
export async function runLiveChecks(
  api: AdminApi,
  ctx: LiveCheckContext,
  ids: CheckId[],
): Promise<CheckResult[]> {
  const shared = cachedAdminApi(api);
  const given = normalizeContext(ctx);
  return Promise.all(
    ids.map(async (id) => {
      const definition = LIVE_CHECKS[id];
      const { title, run } = definition;
      const outcome =
        missingRequirement(definition, given) ?? (await run(shared, given).catch(resultOfError));
      return { id, title, ...outcome };
    }),
  );
}
