/**
 * realmwatch's roles, lowest first; each includes the ones before it. A Keycloak realm role (or a client role of
 * realmwatch's own client) with the same name grants it.
 */
export const ROLES = ["viewer", "analyst", "admin"] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

export function roleRank(role: Role): number {
  return ROLES.indexOf(role);
}

/** True when `role` includes everything `needed` may do. */
export function roleAtLeast(role: Role, needed: Role): boolean {
  return roleRank(role) >= roleRank(needed);
}

/** The highest realmwatch role among Keycloak role names, or null when none applies. */
export function highestRole(names: readonly unknown[]): Role | null {
  let best: Role | null = null;
  for (const name of names) {
    if (isRole(name) && (best === null || roleRank(name) > roleRank(best))) best = name;
  }
  return best;
}
