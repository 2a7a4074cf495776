import type {
  ClientModel,
  ClientScopeModel,
  ProtocolMapperModel,
  RealmModel,
  RoleModel,
  UserModel,
} from "./realm-model";

/** The admin REST representations of the realm model, in Keycloak's shapes (subsets). */

export function roleRepresentation(role: RoleModel) {
  return {
    id: role.id,
    name: role.name,
    ...(role.description ? { description: role.description } : {}),
    composite: role.composites.size > 0,
    clientRole: role.clientRole,
    containerId: role.containerId,
  };
}

/**
 * Role mappings in Keycloak's MappingsRepresentation shape (org.keycloak.representations.idm): realm roles, and
 * client roles by the owning client's clientId; an empty side is left out.
 */
export function mappingsRepresentation(realm: RealmModel, roles: readonly RoleModel[]) {
  const clientMappings: Record<string, { id: string; client: string; mappings: unknown[] }> = {};
  for (const r of roles.filter((x) => x.clientRole)) {
    const owner = realm.clients.get(r.containerId)!;
    clientMappings[owner.clientId] ??= { id: owner.id, client: owner.clientId, mappings: [] };
    clientMappings[owner.clientId]!.mappings.push(roleRepresentation(r));
  }
  const realmMappings = roles.filter((x) => !x.clientRole).map(roleRepresentation);
  return {
    ...(realmMappings.length ? { realmMappings } : {}),
    ...(Object.keys(clientMappings).length ? { clientMappings } : {}),
  };
}

export const mapperRepresentation = (m: ProtocolMapperModel) => ({ ...m, config: { ...m.config } });

export function clientScopeRepresentation(s: ClientScopeModel) {
  return {
    id: s.id,
    name: s.name,
    description: s.description,
    protocol: s.protocol,
    attributes: { ...s.attributes },
    ...(s.protocolMappers.length > 0 ? { protocolMappers: s.protocolMappers.map(mapperRepresentation) } : {}),
  };
}

const scopeNames = (realm: RealmModel, ids: string[]) =>
  ids.map((id) => realm.clientScopes.get(id)?.name).filter((n): n is string => n !== undefined);

export function clientRepresentation(realm: RealmModel, c: ClientModel, withSecret: boolean) {
  return {
    id: c.id,
    clientId: c.clientId,
    name: c.name,
    ...(c.description ? { description: c.description } : {}),
    rootUrl: c.rootUrl,
    baseUrl: c.baseUrl,
    surrogateAuthRequired: false,
    enabled: c.enabled,
    alwaysDisplayInConsole: false,
    clientAuthenticatorType: "client-secret",
    ...(withSecret && c.secret ? { secret: c.secret } : {}),
    redirectUris: [...c.redirectUris],
    webOrigins: [...c.webOrigins],
    notBefore: 0,
    bearerOnly: c.bearerOnly,
    consentRequired: false,
    standardFlowEnabled: c.standardFlowEnabled,
    implicitFlowEnabled: false,
    directAccessGrantsEnabled: c.directAccessGrantsEnabled,
    serviceAccountsEnabled: c.serviceAccountsEnabled,
    ...(c.authorizationServicesEnabled ? { authorizationServicesEnabled: true } : {}),
    publicClient: c.publicClient,
    frontchannelLogout: true,
    protocol: "openid-connect",
    attributes: { ...c.attributes },
    authenticationFlowBindingOverrides: {},
    fullScopeAllowed: c.fullScopeAllowed,
    nodeReRegistrationTimeout: -1,
    ...(c.protocolMappers.length > 0 ? { protocolMappers: c.protocolMappers.map(mapperRepresentation) } : {}),
    defaultClientScopes: scopeNames(realm, c.defaultClientScopes),
    optionalClientScopes: scopeNames(realm, c.optionalClientScopes),
  };
}

export function userRepresentation(u: UserModel, brief = false) {
  const rep = {
    id: u.id,
    username: u.username,
    ...(u.firstName ? { firstName: u.firstName } : {}),
    ...(u.lastName ? { lastName: u.lastName } : {}),
    ...(u.email ? { email: u.email } : {}),
    emailVerified: u.emailVerified,
    createdTimestamp: u.createdTimestamp,
    enabled: u.enabled,
  };
  if (brief) return rep;
  return {
    ...rep,
    ...(u.serviceAccountClientId ? { serviceAccountClientId: u.serviceAccountClientId } : {}),
    totp: false,
    disableableCredentialTypes: [],
    requiredActions: [],
    notBefore: 0,
  };
}
