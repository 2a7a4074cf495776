import { names, requireClient, splitScope } from "@/lib/diagnose/checks/check-support";
import type { LiveCheck } from "@/lib/diagnose/checks/check-types";

/**
 * Can the client request the scopes it sends, and does it send openid where userinfo needs it? openid is
 * not a client scope: Keycloak always allows it, but it is in the token only when requested.
 */
export const checkClientScopes: LiveCheck = async (api, ctx) => {
  const client = await requireClient(api, ctx.realm, ctx.clientId);
  const [defaults, optional] = await Promise.all([
    api.listDefaultClientScopes(ctx.realm, client.id),
    api.listOptionalClientScopes(ctx.realm, client.id),
  ]);
  const assigned = new Set([...defaults, ...optional].map((s) => s.name));
  const requested = splitScope(ctx.scope);
  const summary = `Default: ${names(defaults)}. Optional: ${names(optional)}.`;
  if (requested.length === 0 && ctx.endpoint !== "userinfo") {
    return {
      status: "unknown",
      evidence: `Not enough to check: the failures name no requested scope of ${client.clientId}. ${summary}`,
    };
  }
  const notAssigned = requested.filter((s) => s !== "openid" && !assigned.has(s));
  if (notAssigned.length > 0) {
    return {
      status: "fail",
      evidence: `${client.clientId} requests ${notAssigned.join(", ")}, which is neither a default nor an optional client scope of it: Keycloak refuses the request with invalid_scope. ${summary}`,
    };
  }
  if (ctx.endpoint === "userinfo") {
    if (ctx.missingScopes?.includes("openid") && !requested.includes("openid")) {
      // UserInfoEndpoint refuses a token whose scope claim lacks openid, and openid is in the claim only when
      // the client asked for it: the failures themselves prove the request left it out.
      const sent = ctx.scope === undefined ? "" : ` (the failing tokens' scope: "${ctx.scope}")`;
      return {
        status: "fail",
        evidence: `Keycloak answered userinfo with "Missing openid scope": the access tokens of ${client.clientId} were requested without openid${sent}. openid is not a client scope to assign; the application must send scope=openid (with profile email as needed) in its authorization or token request. ${summary}`,
      };
    }
    if (ctx.scope === undefined) {
      return {
        status: "unknown",
        evidence: `The scope parameter ${client.clientId} sends is not known; the failing token's scope claim shows whether openid was requested. ${summary}`,
      };
    }
    if (!requested.includes("openid")) {
      return {
        status: "fail",
        evidence: `${client.clientId} requests "${ctx.scope}" without openid, so its tokens lack openid and userinfo answers 403 Missing openid scope. Add openid to the request. ${summary}`,
      };
    }
  }
  return {
    status: "pass",
    evidence: `${requested.length > 0 ? `Every requested scope (${requested.join(" ")}) is available to ${client.clientId}. ` : ""}${summary}`,
  };
};
