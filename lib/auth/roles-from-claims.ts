import { highestRole, type Role } from "@/lib/auth/roles";

/**
 * The realmwatch role in Keycloak token claims: the client roles `viewer`, `analyst` and `admin` of realmwatch's
 * own client (`resource_access[clientId].roles`), or realm roles named for realmwatch (`realmwatch-viewer`,
 * `realmwatch-analyst`, `realmwatch-admin` in `realm_access.roles`). A plain realm role named `admin` grants
 * nothing: realms have their own (master's `admin` is Keycloak's super-user) and they mean something else.
 * Claims are untrusted shapes: anything that is not a string array is ignored.
 */
export const REALM_ROLE_PREFIX = "realmwatch-";

export function rolesFromClaims(claims: Record<string, unknown>, clientId: string): Role | null {
  const names: unknown[] = [];
  for (const r of stringArray(field(claims.realm_access, "roles"))) {
    if (r.startsWith(REALM_ROLE_PREFIX)) names.push(r.slice(REALM_ROLE_PREFIX.length));
  }
  names.push(...stringArray(field(field(claims.resource_access, clientId), "roles")));
  return highestRole(names);
}

function field(value: unknown, key: string): unknown {
  return value && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

function stringArray(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}
