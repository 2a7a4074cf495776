import { highestRole, type Role } from "@/lib/auth/roles";

/**
 * The realmwatch role in Keycloak token claims: realm roles (`realm_access.roles`) and client roles of
 * realmwatch's own client (`resource_access[clientId].roles`). Claims are untrusted shapes: anything that is
 * not a string array is ignored.
 */
export function rolesFromClaims(claims: Record<string, unknown>, clientId: string): Role | null {
  const names: unknown[] = [];
  names.push(...stringArray(field(claims.realm_access, "roles")));
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
