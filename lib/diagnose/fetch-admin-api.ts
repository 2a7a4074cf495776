import { z } from "zod";
import {
  type AdminApi,
  AdminApiError,
  type AdminCall,
  clientSchema,
  clientScopeSchema,
  eventsConfigSchema,
  protocolMapperSchema,
  realmSchema,
  roleSchema,
  userSchema,
} from "@/lib/diagnose/admin-api";

export interface FetchAdminApiOptions {
  /** Keycloak's base URL, e.g. https://kc.example.com (no /admin). */
  baseUrl: string;
  /** A valid bearer token for the Admin REST API; called before each request. */
  getToken: () => Promise<string>;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

const idName = z.array(z.looseObject({ id: z.string(), name: z.string() }));
const roles = z.array(roleSchema);
const discovery = z.looseObject({ issuer: z.string() });
const payload = z.record(z.string(), z.unknown());

const seg = encodeURIComponent;

/**
 * AdminApi over plain fetch: one GET per call, bearer token from `getToken`, answers validated with zod.
 * Read-only by construction: live checks never change a realm.
 */
export function createFetchAdminApi(options: FetchAdminApiOptions): AdminApi {
  const base = options.baseUrl.replace(/\/+$/, "");
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 15_000;

  async function get<T>(
    call: AdminCall,
    path: string,
    schema: z.ZodType<T>,
    opts: { admin?: boolean } = {},
  ): Promise<T> {
    const url = `${base}${opts.admin === false ? "" : "/admin/realms"}${path}`;
    const headers: Record<string, string> = { accept: "application/json" };
    if (opts.admin !== false) headers.authorization = `Bearer ${await options.getToken()}`;
    let response: Response;
    try {
      response = await doFetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
    } catch (err) {
      const reason = err instanceof Error && err.name === "TimeoutError" ? "timed out" : "could not connect";
      throw new AdminApiError(call, null, `${call}: ${reason}`);
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new AdminApiError(call, response.status, `${call}: Keycloak answered ${response.status}`);
    }
    const parsed = schema.safeParse(await response.json().catch(() => undefined));
    if (!parsed.success) throw new AdminApiError(call, null, `${call}: unexpected answer from Keycloak`);
    return parsed.data;
  }

  return {
    async getClientByClientId(realm, clientId) {
      const list = await get(
        "getClientByClientId",
        `/${seg(realm)}/clients?clientId=${seg(clientId)}`,
        z.array(clientSchema),
      );
      return list.find((c) => c.clientId === clientId) ?? null;
    },
    listDefaultClientScopes: (realm, id) =>
      get("listDefaultClientScopes", `/${seg(realm)}/clients/${seg(id)}/default-client-scopes`, idName),
    listOptionalClientScopes: (realm, id) =>
      get("listOptionalClientScopes", `/${seg(realm)}/clients/${seg(id)}/optional-client-scopes`, idName),
    listClientScopes: (realm) =>
      get("listClientScopes", `/${seg(realm)}/client-scopes`, z.array(clientScopeSchema)),
    listProtocolMappers: (realm, id) =>
      get(
        "listProtocolMappers",
        `/${seg(realm)}/clients/${seg(id)}/protocol-mappers/models`,
        z.array(protocolMapperSchema),
      ),
    getServiceAccountUser: (realm, id) =>
      get("getServiceAccountUser", `/${seg(realm)}/clients/${seg(id)}/service-account-user`, userSchema),
    async findUserByUsername(realm, username) {
      const list = await get(
        "findUserByUsername",
        `/${seg(realm)}/users?username=${seg(username)}&exact=true`,
        z.array(userSchema),
      );
      return list.find((u) => u.username.toLowerCase() === username.toLowerCase()) ?? null;
    },
    listUserRealmRoles: (realm, userId, effective) =>
      get(
        "listUserRealmRoles",
        `/${seg(realm)}/users/${seg(userId)}/role-mappings/realm${effective ? "/composite" : ""}`,
        roles,
      ),
    listUserClientRoles: (realm, userId, clientUuid, effective) =>
      get(
        "listUserClientRoles",
        `/${seg(realm)}/users/${seg(userId)}/role-mappings/clients/${seg(clientUuid)}${effective ? "/composite" : ""}`,
        roles,
      ),
    listRealmRoles: (realm) => get("listRealmRoles", `/${seg(realm)}/roles`, roles),
    getRealmRoleComposites: (realm, name) =>
      get("getRealmRoleComposites", `/${seg(realm)}/roles/${seg(name)}/composites`, roles),
    getClientRoleComposites: (realm, clientUuid, name) =>
      get(
        "getClientRoleComposites",
        `/${seg(realm)}/clients/${seg(clientUuid)}/roles/${seg(name)}/composites`,
        roles,
      ),
    listScopeMappings: (realm, clientUuid, roleClientUuid) =>
      get(
        "listScopeMappings",
        `/${seg(realm)}/clients/${seg(clientUuid)}/scope-mappings/${roleClientUuid ? `clients/${seg(roleClientUuid)}` : "realm"}`,
        roles,
      ),
    getRealm: (realm) => get("getRealm", `/${seg(realm)}`, realmSchema),
    async getAdvertisedIssuer(realm) {
      const doc = await get(
        "getAdvertisedIssuer",
        `/realms/${seg(realm)}/.well-known/openid-configuration`,
        discovery,
        {
          admin: false,
        },
      );
      return doc.issuer;
    },
    getEventsConfig: (realm) => get("getEventsConfig", `/${seg(realm)}/events/config`, eventsConfigSchema),
    generateExampleAccessToken(realm, clientUuid, request) {
      const query = new URLSearchParams({ scope: request.scope ?? "", userId: request.userId });
      if (request.audience) query.set("audience", request.audience);
      return get(
        "generateExampleAccessToken",
        `/${seg(realm)}/clients/${seg(clientUuid)}/evaluate-scopes/generate-example-access-token?${query}`,
        payload,
      );
    },
  };
}
