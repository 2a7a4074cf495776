import type { FixContext, FixValues } from "@/lib/fixes/types";
import { isRealmManagementRole } from "@/lib/keycloak/realm-management-roles";

/** The placeholder shown for each context field the page does not know. */
export const PLACEHOLDERS = {
  keycloakUrl: "<keycloak-url>",
  publicUrl: "<public-url>",
  keycloakVersion: "<keycloak-version>",
  realm: "<realm>",
  clientId: "<client-id>",
  clientUuid: "<client-uuid>",
  userId: "<user-id>",
  username: "<username>",
  role: "<role>",
  roleClientId: "<role-client-id>",
  roleId: "<role-id>",
  roleClientUuid: "<role-client-uuid>",
  audience: "<api-client-id>",
  scope: "<scope>",
  origin: "<origin>",
  redirectUri: "<redirect-uri>",
  issuer: "<issuer>",
} as const satisfies Record<keyof FixContext, string>;

type Field = keyof FixContext;

export function fixValues(ctx: FixContext): FixValues {
  const get = (field: Field) => ctx[field] ?? PLACEHOLDERS[field];
  const roleClient =
    ctx.roleClientId ?? (ctx.role && isRealmManagementRole(ctx.role) ? "realm-management" : undefined);
  const role = get("role");
  return {
    ctx,
    known: (field) => ctx[field] !== undefined,
    keycloakUrl: get("keycloakUrl"),
    publicUrl: get("publicUrl"),
    keycloakVersion: get("keycloakVersion"),
    realm: get("realm"),
    clientId: get("clientId"),
    clientUuid: get("clientUuid"),
    userId: get("userId"),
    username: get("username"),
    role,
    roleClientId: roleClient ?? PLACEHOLDERS.roleClientId,
    roleId: get("roleId"),
    roleClientUuid: get("roleClientUuid"),
    audience: get("audience"),
    scope: get("scope"),
    origin: get("origin"),
    redirectUri: get("redirectUri"),
    issuer: get("issuer"),
    roleClient,
    roleLabel: roleClient ? `client role ${role} of ${roleClient}` : `role ${role}`,
  };
}
