import type { AdminCaller } from "./admin-auth";
import {
  type AdminHandler,
  adminAuthDetails,
  adminRoles,
  MANAGE_CLIENTS,
  requireRole,
  VIEW_CLIENTS,
  VIEW_USERS,
} from "./admin-auth";
import {
  clientRepresentation,
  clientScopeRepresentation,
  mapperRepresentation,
  mappingsRepresentation,
  roleRepresentation,
} from "./admin-representations";
import type { DemoState } from "./demo-state";
import { errorReply, json, noContent, type Reply, type Req } from "./http-io";
import { type HttpError, httpError, isHttpError, UNCAUGHT_SERVER_ERROR } from "./keycloak-errors";
import {
  type ClientModel,
  findClient,
  type RealmModel,
  realmIssuer,
  serviceAccountUser,
} from "./realm-model";
import { recordAdminEvent } from "./record-events";
import { accessTokenClaims, knownScopeParam, resolveScopes } from "./token-claims";

const CLIENT_NOT_FOUND = httpError(404, "Could not find client");

export function clientOr404(realm: RealmModel, id: string | undefined): ClientModel | HttpError {
  return (id !== undefined && realm.clients.get(id)) || CLIENT_NOT_FOUND;
}

export function parseJsonBody<T>(req: Req): T | HttpError {
  try {
    return JSON.parse(req.body.toString("utf8")) as T;
  } catch {
    return httpError(400, "invalid_request", "Cannot parse the JSON");
  }
}

/** A handler on /clients/{id}: role check, then the client (404 "Could not find client"). */
function onClient(
  roles: readonly string[],
  handler: (state: DemoState, req: Req, caller: AdminCaller, realm: RealmModel, client: ClientModel) => Reply,
): AdminHandler {
  return (state, req, caller, realm) => {
    const denied = requireRole(state, caller, realm, roles);
    if (denied) return errorReply(denied);
    const client = clientOr404(realm, req.params.id);
    return isHttpError(client) ? errorReply(client) : handler(state, req, caller, realm, client);
  };
}

function audit(
  state: DemoState,
  req: Req,
  caller: AdminCaller,
  realm: RealmModel,
  e: { operationType: string; resourceType: string; resourcePath: string; representation?: string | null },
) {
  recordAdminEvent(state, realm, {
    time: state.now(),
    authDetails: adminAuthDetails(caller, req),
    representation: null,
    ...e,
  });
}

/** GET clients?clientId=&search=&first=&max=: exact clientId unless search=true. */
const listClients: AdminHandler = (_state, req, caller, realm) => {
  const roles = adminRoles(caller, realm);
  if (!["query-clients", "view-clients", "manage-clients"].some((r) => roles.has(r)))
    return errorReply(httpError(403, "HTTP 403 Forbidden"));
  const wanted = req.query.get("clientId");
  const search = req.query.get("search") === "true";
  const first = Math.max(0, Number(req.query.get("first") ?? 0) || 0);
  const max = Number(req.query.get("max") ?? 100) || 100;
  const withSecret = roles.has("manage-clients");
  const clients = [...realm.clients.values()].filter(
    (c) =>
      wanted === null ||
      (search ? c.clientId.toLowerCase().includes(wanted.toLowerCase()) : c.clientId === wanted),
  );
  return json(
    clients
      .slice(first, max < 0 ? undefined : first + max)
      .map((c) => clientRepresentation(realm, c, withSecret)),
  );
};

const getClient = onClient(VIEW_CLIENTS, (_state, _req, caller, realm, client) =>
  json(clientRepresentation(realm, client, adminRoles(caller, realm).has("manage-clients"))),
);

const strings = (v: unknown) =>
  Array.isArray(v) && v.every((x) => typeof x === "string") ? (v as string[]) : undefined;

/** PUT clients/{id}: merges the settings the demo models; recorded as UPDATE CLIENT with the body. */
const putClient = onClient(MANAGE_CLIENTS, (state, req, caller, realm, client) => {
  const rep = parseJsonBody<Record<string, unknown>>(req);
  if (isHttpError(rep)) return errorReply(rep);
  if (typeof rep !== "object" || rep === null || Array.isArray(rep))
    return errorReply(httpError(400, "unknown_error", "Cannot parse the JSON"));
  if (
    typeof rep.clientId === "string" &&
    rep.clientId !== client.clientId &&
    findClient(realm, rep.clientId)
  ) {
    return errorReply(httpError(409, `Client ${rep.clientId} already exists`));
  }
  const bools = [
    "enabled",
    "publicClient",
    "bearerOnly",
    "standardFlowEnabled",
    "directAccessGrantsEnabled",
    "serviceAccountsEnabled",
    "fullScopeAllowed",
  ] as const;
  for (const key of bools) if (typeof rep[key] === "boolean") client[key] = rep[key] as boolean;
  if (typeof rep.authorizationServicesEnabled === "boolean")
    client.authorizationServicesEnabled = rep.authorizationServicesEnabled;
  for (const key of ["name", "description", "rootUrl", "baseUrl", "clientId"] as const)
    if (typeof rep[key] === "string") client[key] = rep[key] as string;
  if (typeof rep.secret === "string" && !client.publicClient) client.secret = rep.secret;
  if (strings(rep.redirectUris)) client.redirectUris = strings(rep.redirectUris)!;
  if (strings(rep.webOrigins)) client.webOrigins = strings(rep.webOrigins)!;
  if (typeof rep.attributes === "object" && rep.attributes !== null) {
    for (const [k, v] of Object.entries(rep.attributes as Record<string, unknown>))
      if (typeof v === "string") client.attributes[k] = v;
  }
  if (client.serviceAccountsEnabled && !serviceAccountUser(realm, client)) {
    const id = state.prng.uuid();
    realm.users.set(id, {
      id,
      username: `service-account-${client.clientId}`.toLowerCase(),
      enabled: true,
      emailVerified: false,
      createdTimestamp: state.now(),
      password: null,
      roleMappings: new Set(),
      serviceAccountClientId: client.id,
    });
  }
  audit(state, req, caller, realm, {
    operationType: "UPDATE",
    resourceType: "CLIENT",
    resourcePath: `clients/${client.id}`,
    representation: JSON.stringify(rep),
  });
  return noContent();
});

function linkedScopes(kind: "default" | "optional"): AdminHandler {
  return onClient(VIEW_CLIENTS, (_state, _req, _caller, realm, client) => {
    const ids = kind === "default" ? client.defaultClientScopes : client.optionalClientScopes;
    return json(
      ids
        .map((id) => realm.clientScopes.get(id))
        .filter(Boolean)
        .map((s) => ({ id: s!.id, name: s!.name })),
    );
  });
}

/** PUT / DELETE clients/{id}/{default|optional}-client-scopes/{scopeId}. Keycloak records no representation. */
function changeScopeLink(kind: "default" | "optional", add: boolean): AdminHandler {
  return onClient(MANAGE_CLIENTS, (state, req, caller, realm, client) => {
    const scope = realm.clientScopes.get(req.params.scopeId ?? "");
    if (!scope) return errorReply(httpError(404, "Client scope not found"));
    const key = kind === "default" ? "defaultClientScopes" : "optionalClientScopes";
    const other = kind === "default" ? "optionalClientScopes" : "defaultClientScopes";
    if (add) {
      client[other] = client[other].filter((id) => id !== scope.id);
      if (!client[key].includes(scope.id)) client[key].push(scope.id);
    } else {
      client[key] = client[key].filter((id) => id !== scope.id);
    }
    audit(state, req, caller, realm, {
      operationType: add ? "CREATE" : "DELETE",
      resourceType: "CLIENT_SCOPE_CLIENT_MAPPING",
      resourcePath: `clients/${client.id}/${kind}-client-scopes/${scope.id}`,
    });
    return noContent();
  });
}

const listClientScopes: AdminHandler = (state, _req, caller, realm) => {
  const denied = requireRole(state, caller, realm, VIEW_CLIENTS);
  return denied ? errorReply(denied) : json([...realm.clientScopes.values()].map(clientScopeRepresentation));
};

const listMappers = onClient(VIEW_CLIENTS, (_s, _r, _c, _realm, client) =>
  json(client.protocolMappers.map(mapperRepresentation)),
);

/** POST clients/{id}/protocol-mappers/models: 201 with Location; a duplicate name is 409. */
const addMapper = onClient(MANAGE_CLIENTS, (state, req, caller, realm, client) => {
  const rep = parseJsonBody<Record<string, unknown>>(req);
  if (isHttpError(rep)) return errorReply(rep);
  if (typeof rep?.name !== "string" || typeof rep.protocolMapper !== "string") {
    return errorReply(httpError(400, "unknown_error", "Cannot parse the JSON"));
  }
  if (client.protocolMappers.some((m) => m.name === rep.name)) {
    return {
      status: 409,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ errorMessage: `Protocol mapper exists with same name` }),
    };
  }
  const config: Record<string, string> = {};
  if (typeof rep.config === "object" && rep.config !== null) {
    for (const [k, v] of Object.entries(rep.config as Record<string, unknown>)) config[k] = String(v);
  }
  const mapper = {
    id: state.prng.uuid(),
    name: rep.name,
    protocol: typeof rep.protocol === "string" ? rep.protocol : "openid-connect",
    protocolMapper: rep.protocolMapper,
    consentRequired: false,
    config,
  };
  client.protocolMappers.push(mapper);
  const path = `clients/${client.id}/protocol-mappers/models/${mapper.id}`;
  audit(state, req, caller, realm, {
    operationType: "CREATE",
    resourceType: "PROTOCOL_MAPPER",
    resourcePath: path,
    representation: JSON.stringify(mapper),
  });
  return { status: 201, headers: { location: `${state.baseUrl}/admin/realms/${realm.name}/${path}` } };
});

const deleteMapper = onClient(MANAGE_CLIENTS, (state, req, caller, realm, client) => {
  const mapper = client.protocolMappers.find((m) => m.id === req.params.mapperId);
  if (!mapper) return errorReply(httpError(404, "Model not found"));
  client.protocolMappers = client.protocolMappers.filter((m) => m !== mapper);
  audit(state, req, caller, realm, {
    operationType: "DELETE",
    resourceType: "PROTOCOL_MAPPER",
    resourcePath: `clients/${client.id}/protocol-mappers/models/${mapper.id}`,
  });
  return noContent();
});

const getServiceAccountUser = onClient(VIEW_CLIENTS, (_state, _req, _caller, realm, client) => {
  const user = client.serviceAccountsEnabled ? serviceAccountUser(realm, client) : undefined;
  if (!user)
    return errorReply(httpError(400, `Service account not enabled for the client '${client.clientId}'`));
  return json({
    id: user.id,
    username: user.username,
    emailVerified: false,
    createdTimestamp: user.createdTimestamp,
    enabled: user.enabled,
    serviceAccountClientId: client.id,
    totp: false,
    disableableCredentialTypes: [],
    requiredActions: [],
    notBefore: 0,
  });
});

/** The client's dedicated scope: GET scope-mappings, .../realm and .../clients/{clientUuid}. */
const scopeMappingsRealm = onClient(VIEW_CLIENTS, (_s, _r, _c, realm, client) =>
  json(
    [...client.scopeMappings]
      .map((id) => realm.roles.get(id))
      .filter((r) => r && !r.clientRole)
      .map((r) => roleRepresentation(r!)),
  ),
);

const scopeMappingsClient = onClient(VIEW_CLIENTS, (_s, req, _c, realm, client) => {
  const target = clientOr404(realm, req.params.clientUuid);
  if (isHttpError(target)) return errorReply(target);
  return json(
    [...client.scopeMappings]
      .map((id) => realm.roles.get(id))
      .filter((r) => r?.containerId === target.id)
      .map((r) => roleRepresentation(r!)),
  );
});

const scopeMappingsAll = onClient(VIEW_CLIENTS, (_s, _r, _c, realm, client) => {
  const roles = [...client.scopeMappings].map((id) => realm.roles.get(id)).filter((r) => r !== undefined);
  return json(mappingsRepresentation(realm, roles));
});

/** POST / DELETE clients/{id}/scope-mappings/realm with realm roles identified by id. */
function changeRealmScopeMappings(add: boolean): AdminHandler {
  return onClient(MANAGE_CLIENTS, (state, req, caller, realm, client) => {
    const body = parseJsonBody<Array<{ id?: string }>>(req);
    if (isHttpError(body)) return errorReply(body);
    if (!Array.isArray(body)) return errorReply(httpError(400, "unknown_error", "Cannot parse the JSON"));
    const roles = body.map((r) => realm.roles.get(r?.id ?? ""));
    if (roles.some((r) => !r || r.clientRole)) return errorReply(httpError(404, "Role not found"));
    for (const r of roles) add ? client.scopeMappings.add(r!.id) : client.scopeMappings.delete(r!.id);
    audit(state, req, caller, realm, {
      operationType: add ? "CREATE" : "DELETE",
      resourceType: "REALM_SCOPE_MAPPING",
      resourcePath: `clients/${client.id}/scope-mappings/realm`,
      representation: JSON.stringify(roles.map((r) => roleRepresentation(r!))),
    });
    return noContent();
  });
}

/**
 * GET clients/{id}/evaluate-scopes/generate-example-access-token?scope=&userId=&audience=: the access token
 * this client would get for the user with that scope parameter, unsigned, as the admin console's Evaluate tab
 * shows it (ClientScopeEvaluateResource#generateExampleAccessToken). The caller needs a client-read role
 * (`auth.clients().requireView(client)`: view-clients or manage-clients) and, since the fix for CVE-2026-37978
 * (keycloak PR #49124), the right to view the user (`auth.users().requireView(user)`: view-users or
 * manage-users); either missing is 403. A scope the client does not have is ignored
 * (TokenManager#getRequestedClientScopes). A requested audience that is a client of the realm but not in the
 * token is 404 "Requested audience not available: NAME" (26.2+, PR #38457); an unknown client name is ignored.
 */
const exampleAccessToken = onClient(VIEW_CLIENTS, (state, req, caller, realm, client) => {
  const userId = req.query.get("userId");
  if (userId === null) return errorReply(httpError(404, "No userId provided"));
  const user = realm.users.get(userId);
  if (!user) return errorReply(httpError(404, "No user found"));
  const denied = requireRole(state, caller, realm, VIEW_USERS);
  if (denied) return errorReply(denied);
  const scope = resolveScopes(realm, client, knownScopeParam(realm, client, req.query.get("scope")));
  if ("invalid" in scope) return errorReply(UNCAUGHT_SERVER_ERROR);
  const claims = accessTokenClaims({
    realm,
    client,
    user,
    ...scope,
    issuer: realmIssuer(realm, state.baseUrl),
    nowMs: state.now(),
    jti: state.prng.uuid(),
    sessionId: state.prng.uuid(),
  });
  const aud = new Set([claims.aud ?? []].flat().map(String));
  const missing = (req.query.get("audience") ?? "")
    .split(/\s+/)
    .filter((name) => name !== "" && findClient(realm, name) && !aud.has(name));
  if (missing.length > 0)
    return errorReply(httpError(404, `Requested audience not available: ${missing.join(", ")}`));
  return json(claims);
});

/** GET clients/{id}/roles and clients/{id}/roles/{name}: a client's own roles (how a fix finds a role's id). */
const clientRoles = onClient(VIEW_CLIENTS, (_s, _r, _c, _realm, client) =>
  json([...client.roles.values()].map(roleRepresentation)),
);

const clientRole = onClient(VIEW_CLIENTS, (_s, req, _c, _realm, client) => {
  const role = client.roles.get(req.params.name ?? "");
  return role ? json(roleRepresentation(role)) : errorReply(httpError(404, "Could not find role"));
});

export const CLIENT_ROUTES: ReadonlyArray<{ method: string; path: string; handler: AdminHandler }> = [
  { method: "GET", path: "/admin/realms/:realm/clients", handler: listClients },
  { method: "GET", path: "/admin/realms/:realm/clients/:id", handler: getClient },
  { method: "PUT", path: "/admin/realms/:realm/clients/:id", handler: putClient },
  { method: "GET", path: "/admin/realms/:realm/clients/:id/roles", handler: clientRoles },
  { method: "GET", path: "/admin/realms/:realm/clients/:id/roles/:name", handler: clientRole },
  {
    method: "GET",
    path: "/admin/realms/:realm/clients/:id/default-client-scopes",
    handler: linkedScopes("default"),
  },
  {
    method: "GET",
    path: "/admin/realms/:realm/clients/:id/optional-client-scopes",
    handler: linkedScopes("optional"),
  },
  {
    method: "PUT",
    path: "/admin/realms/:realm/clients/:id/default-client-scopes/:scopeId",
    handler: changeScopeLink("default", true),
  },
  {
    method: "DELETE",
    path: "/admin/realms/:realm/clients/:id/default-client-scopes/:scopeId",
    handler: changeScopeLink("default", false),
  },
  {
    method: "PUT",
    path: "/admin/realms/:realm/clients/:id/optional-client-scopes/:scopeId",
    handler: changeScopeLink("optional", true),
  },
  {
    method: "DELETE",
    path: "/admin/realms/:realm/clients/:id/optional-client-scopes/:scopeId",
    handler: changeScopeLink("optional", false),
  },
  { method: "GET", path: "/admin/realms/:realm/client-scopes", handler: listClientScopes },
  { method: "GET", path: "/admin/realms/:realm/clients/:id/protocol-mappers/models", handler: listMappers },
  { method: "POST", path: "/admin/realms/:realm/clients/:id/protocol-mappers/models", handler: addMapper },
  {
    method: "DELETE",
    path: "/admin/realms/:realm/clients/:id/protocol-mappers/models/:mapperId",
    handler: deleteMapper,
  },
  {
    method: "GET",
    path: "/admin/realms/:realm/clients/:id/service-account-user",
    handler: getServiceAccountUser,
  },
  { method: "GET", path: "/admin/realms/:realm/clients/:id/scope-mappings", handler: scopeMappingsAll },
  {
    method: "GET",
    path: "/admin/realms/:realm/clients/:id/scope-mappings/realm",
    handler: scopeMappingsRealm,
  },
  {
    method: "POST",
    path: "/admin/realms/:realm/clients/:id/scope-mappings/realm",
    handler: changeRealmScopeMappings(true),
  },
  {
    method: "DELETE",
    path: "/admin/realms/:realm/clients/:id/scope-mappings/realm",
    handler: changeRealmScopeMappings(false),
  },
  {
    method: "GET",
    path: "/admin/realms/:realm/clients/:id/scope-mappings/clients/:clientUuid",
    handler: scopeMappingsClient,
  },
  {
    method: "GET",
    path: "/admin/realms/:realm/clients/:id/evaluate-scopes/generate-example-access-token",
    handler: exampleAccessToken,
  },
];
