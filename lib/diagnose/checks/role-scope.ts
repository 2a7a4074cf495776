import { Conclusion, names, requireClient, requiredRole } from "@/lib/diagnose/checks/check-support";
import type { LiveCheck } from "@/lib/diagnose/checks/check-types";
import { expandComposites, isRole } from "@/lib/diagnose/checks/expand-composites";

/**
 * Can the role reach the client's tokens at all? The roles client scope must be a default scope (it holds
 * the realm and client role mappers), and with Full scope allowed off the role must be in the client's
 * scope mappings, directly or inside a mapped composite. Scope mappings of other client scopes are not read.
 */
export const checkRoleScope: LiveCheck = async (api, ctx) => {
  const role = requiredRole(ctx);
  const client = await requireClient(api, ctx.realm, ctx.clientId);
  const defaults = await api.listDefaultClientScopes(ctx.realm, client.id);
  if (!defaults.some((s) => s.name === "roles")) {
    return {
      status: "fail",
      evidence: `The roles client scope is not a default scope of ${client.clientId} (defaults: ${names(defaults)}): its tokens carry no realm_access or resource_access at all.`,
    };
  }
  if (client.fullScopeAllowed !== false) {
    return {
      status: "pass",
      evidence: `Full scope allowed is on for ${client.clientId}: every role the subject holds reaches the token.`,
    };
  }
  let roleClientUuid: string | undefined;
  if (role.clientId) {
    const owner = await api.getClientByClientId(ctx.realm, role.clientId);
    if (!owner) throw new Conclusion("fail", `Realm ${ctx.realm} has no client ${role.clientId}.`);
    roleClientUuid = owner.id;
  }
  const mapped = await api.listScopeMappings(ctx.realm, client.id, roleClientUuid);
  const reachable = await expandComposites(api, ctx.realm, mapped);
  const hit = reachable.find((r) => isRole(r.role, role.name, roleClientUuid));
  if (hit) {
    const how = hit.via === role.name ? "directly" : `through the composite ${hit.via}`;
    return {
      status: "pass",
      evidence: `Full scope allowed is off, and the ${role.label} is in ${client.clientId}'s scope mappings ${how}.`,
    };
  }
  return {
    status: "fail",
    evidence: `Full scope allowed is off for ${client.clientId} and the ${role.label} is not in its scope mappings (${names(mapped)}): Keycloak leaves it out of the token even when it is assigned.`,
  };
};
