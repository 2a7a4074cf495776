import type { AdminApi, RoleRepresentation } from "@/lib/keycloak/representations";

/** Bounds the composite walk: a realm with cyclic or huge composites must not turn a check into a crawl. */
const MAX_COMPOSITE_CALLS = 50;

export interface ExpandedRole {
  role: RoleRepresentation;
  /** The root role it was reached from. */
  via: string;
}

/**
 * The roles reachable from `roots` through composites (RoleUtils.expandCompositeRoles), roots included,
 * each with the root it came from. Client roles are looked up through their container (the client UUID).
 */
export async function expandComposites(
  api: AdminApi,
  realm: string,
  roots: RoleRepresentation[],
): Promise<ExpandedRole[]> {
  const seen = new Map<string, ExpandedRole>();
  const queue: ExpandedRole[] = roots.map((role) => ({ role, via: role.name }));
  let calls = 0;
  while (queue.length > 0) {
    const next = queue.shift()!;
    if (seen.has(next.role.id)) continue;
    seen.set(next.role.id, next);
    if (!next.role.composite || calls >= MAX_COMPOSITE_CALLS) continue;
    calls++;
    const children =
      next.role.clientRole && next.role.containerId
        ? await api.getClientRoleComposites(realm, next.role.containerId, next.role.name)
        : await api.getRealmRoleComposites(realm, next.role.name);
    for (const child of children) queue.push({ role: child, via: next.via });
  }
  return [...seen.values()];
}

/** Whether `role` is the required role: same name, and the same container kind (and client, for client roles). */
export function isRole(role: RoleRepresentation, name: string, clientUuid: string | undefined): boolean {
  if (role.name !== name) return false;
  return clientUuid ? role.clientRole === true && role.containerId === clientUuid : role.clientRole !== true;
}
