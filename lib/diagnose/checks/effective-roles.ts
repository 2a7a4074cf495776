import { Conclusion, names, requiredRole, requireSubject } from "@/lib/diagnose/checks/check-support";
import type { LiveCheck } from "@/lib/diagnose/checks/check-types";

/** Does the user (or the client's service account) hold the role, directly, through a group or a composite? */
export const checkEffectiveRoles: LiveCheck = async (api, ctx) => {
  const role = requiredRole(ctx);
  const subject = await requireSubject(api, ctx);
  if (role.clientId) {
    const owner = await api.getClientByClientId(ctx.realm, role.clientId);
    if (!owner)
      throw new Conclusion(
        "fail",
        `Realm ${ctx.realm} has no client ${role.clientId}, so it has no ${role.label}.`,
      );
    const effective = await api.listUserClientRoles(ctx.realm, subject.id, owner.id, true);
    if (effective.some((r) => r.name === role.name)) {
      return { status: "pass", evidence: `The ${subject.kind} ${subject.label} holds the ${role.label}.` };
    }
    const realmRoles = await api.listUserRealmRoles(ctx.realm, subject.id, true);
    const asRealm = realmRoles.some((r) => r.name === role.name)
      ? ` It holds a realm role ${role.name}, which is a different role: the API reads resource_access.${role.clientId}.roles.`
      : "";
    return {
      status: "fail",
      evidence: `The ${subject.kind} ${subject.label} lacks the ${role.label}. Its roles of ${role.clientId}: ${names(effective)}.${asRealm}${orgGroupHint(subject.kind)}`,
    };
  }
  const effective = await api.listUserRealmRoles(ctx.realm, subject.id, true);
  if (effective.some((r) => r.name === role.name)) {
    return { status: "pass", evidence: `The ${subject.kind} ${subject.label} holds the ${role.label}.` };
  }
  return {
    status: "fail",
    evidence: `The ${subject.kind} ${subject.label} lacks the ${role.label}. Its effective realm roles: ${names(effective)}.${orgGroupHint(subject.kind)}`,
  };
};

/**
 * Keycloak 26.7 lets roles be assigned to organization groups (PR #48670), but such roles are neither among a
 * user's role mappings (what this check reads) nor in realm_access / resource_access (keycloak#52764, open):
 * they are not counted as effective, because the token the API reads does not carry them either.
 */
function orgGroupHint(kind: "user" | "service account"): string {
  return kind === "user"
    ? " A role given to one of the user's organization groups (Keycloak 26.7) does not count: it is not in realm_access or resource_access (keycloak#52764)."
    : "";
}
