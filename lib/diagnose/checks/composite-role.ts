import { Conclusion, requiredRole, requireSubject } from "@/lib/diagnose/checks/check-support";
import type { LiveCheck } from "@/lib/diagnose/checks/check-types";
import { expandComposites, isRole } from "@/lib/diagnose/checks/expand-composites";

/**
 * Is a composite the reason the role is (or is not) held? Walks the subject's directly assigned roles
 * through their associated roles and says which composite grants the required role, or which composites
 * the subject holds that do not contain it.
 */
export const checkCompositeRole: LiveCheck = async (api, ctx) => {
  const role = requiredRole(ctx);
  const subject = await requireSubject(api, ctx);
  let roleClientUuid: string | undefined;
  if (role.clientId) {
    const owner = await api.getClientByClientId(ctx.realm, role.clientId);
    if (!owner) throw new Conclusion("fail", `Realm ${ctx.realm} has no client ${role.clientId}.`);
    roleClientUuid = owner.id;
  }
  const direct = [
    ...(await api.listUserRealmRoles(ctx.realm, subject.id, false)),
    ...(roleClientUuid ? await api.listUserClientRoles(ctx.realm, subject.id, roleClientUuid, false) : []),
  ];
  if (direct.some((r) => isRole(r, role.name, roleClientUuid))) {
    return {
      status: "pass",
      evidence: `The ${role.label} is assigned to ${subject.label} directly; no composite involved.`,
    };
  }
  const composites = direct.filter((r) => r.composite);
  const reachable = await expandComposites(api, ctx.realm, composites);
  const hit = reachable.find((r) => isRole(r.role, role.name, roleClientUuid));
  if (hit) {
    return {
      status: "pass",
      evidence: `${subject.label} gets the ${role.label} through the composite ${hit.via}.`,
    };
  }
  if (composites.length === 0) {
    return {
      status: "pass",
      evidence: `${subject.label} holds no composite roles: a composite is not the reason the ${role.label} is missing.`,
    };
  }
  const contents = composites
    .map((c) => {
      const children = reachable
        .filter((r) => r.via === c.name && r.role.id !== c.id)
        .map((r) => r.role.name);
      return `${c.name} (${children.length > 0 ? children.join(", ") : "no associated roles"})`;
    })
    .join("; ");
  return {
    status: "fail",
    evidence: `${subject.label} holds the composites ${contents}, and none contains the ${role.label}: add it to the composite's associated roles, or assign it directly.`,
  };
};
