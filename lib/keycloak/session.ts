import { z } from "zod";
import { decodeJwtPayload } from "@/lib/keycloak/jwt";
import { KeycloakError } from "@/lib/keycloak/keycloak-error";
import {
  type AdminApi,
  CALL_ROLES,
  type ClientRepresentation,
  callRoles,
  clientSchema,
  clientScopeSchema,
  type ExampleTokenRequest,
  eventPageSchema,
  eventsConfigSchema,
  type KeycloakCall,
  protocolMapperSchema,
  type RealmEventsConfig,
  type RealmListEntry,
  realmListSchema,
  realmSchema,
  roleSchema,
  serverInfoSchema,
  type UserRepresentation,
  userSchema,
} from "@/lib/keycloak/representations";
import { AppError } from "@/lib/server/errors";

/**
 * The one connection to a Keycloak server's Admin REST API, as a service account (client-credentials grant),
 * over fetch with answers checked by zod:
 * - client-credentials tokens carry no refresh token (OAuth 2.0, RFC 6749 section 4.4.3): the session
 *   authenticates again shortly before expiry, and once more on a 401 (a token revoked or expired mid-paging);
 * - 5xx, 429, 408, timeouts and network errors are retried with exponential backoff and full jitter;
 * - every failure becomes a KeycloakError whose message says what to fix (a 403 names the missing
 *   realm-management role).
 * The secret stays in this object; it is never logged or put in an error message.
 */
export interface SessionOptions {
  serverUrl: string;
  authRealm: string;
  clientId: string;
  clientSecret: string;
  /** Per-request timeout. */
  timeoutMs?: number;
  retries?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  fetch?: typeof fetch;
  /** realmwatch's clock (epoch ms), against which Keycloak's `Date` header is measured; default Date.now. */
  now?: () => number;
}

/**
 * Keycloak's clock as its last answer's `Date` header showed it. Keycloak stamps event times with its own
 * clock (EventBuilder: `Time.currentTimeMillis()`), so sync windows must end on that clock, not ours.
 * `Date` has whole seconds and was written before the answer left: at `receivedAt` (our clock) Keycloak's
 * clock read at least `date`, so `lowSkewMs` never overstates Keycloak's now; `skewMs` is the best estimate.
 */
export interface ServerClockReading {
  /** Keycloak's clock minus ours, best estimate (ms). */
  skewMs: number;
  /** A lower bound of Keycloak's clock minus ours (ms). */
  lowSkewMs: number;
  /** When the answer arrived, on our clock. */
  receivedAt: number;
}

/** Keycloak's two event stores: user events (/events) and admin events (/admin-events). */
export type EventKind = "user" | "admin";

/** Query of GET /admin/realms/{realm}/events or /admin-events (keycloak-events.md section 1). */
export interface EventPageQuery {
  /** Epoch-ms string (26.2+) or yyyy-MM-dd. Inclusive. */
  dateFrom?: string;
  dateTo?: string;
  first?: number;
  max: number;
  /** 26.2+ only. */
  direction?: "asc" | "desc";
}

/** An answer Keycloak gave with a status other than 2xx; its body kept for the error message. */
class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`HTTP ${status}`);
  }
}

interface Request<T> {
  method?: "GET" | "PUT";
  /** Path segments after the server URL, each percent-encoded on its own. */
  path: string[];
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** Absent for a call whose answer is not read (a PUT's 204). */
  schema?: z.ZodType<T>;
  /** The realm the call is about, so that a 403 can say where the role is missing. */
  realm?: string;
  /** False for the realm's public endpoints (discovery): no token sent. */
  admin?: boolean;
}

const idName = z.array(z.looseObject({ id: z.string(), name: z.string() }));
const roles = z.array(roleSchema);
const discovery = z.looseObject({ issuer: z.string() });
const payload = z.record(z.string(), z.unknown());
const tokenAnswer = z.looseObject({ access_token: z.string() });

export class KeycloakSession implements AdminApi {
  private readonly opts: Required<Omit<SessionOptions, "fetch" | "now">>;
  private readonly doFetch: typeof fetch;
  private token: string | undefined;
  private tokenExpiresAt = 0;
  private authInFlight: Promise<string> | undefined;
  private readonly now: () => number;
  private clock: ServerClockReading | null = null;

  constructor(opts: SessionOptions) {
    const { fetch: doFetch, now, ...rest } = opts;
    this.now = now ?? Date.now;
    this.opts = {
      timeoutMs: 30_000,
      retries: 5,
      backoffBaseMs: 250,
      backoffMaxMs: 10_000,
      ...rest,
      serverUrl: opts.serverUrl.replace(/\/+$/, ""),
    };
    this.doFetch = doFetch ?? fetch;
  }

  get serverUrl(): string {
    return this.opts.serverUrl;
  }

  get clientId(): string {
    return this.opts.clientId;
  }

  /** Authenticates (or reuses a valid token): the first step of every call, and a test of the credentials. */
  async accessToken(): Promise<string> {
    return this.validToken().catch((err) => {
      throw this.describe(err, "authenticate", "POST token endpoint", {});
    });
  }

  /** Keycloak's clock from its latest answer carrying a `Date` header; null before any. */
  get serverClock(): ServerClockReading | null {
    return this.clock;
  }

  /** A lower bound of Keycloak's clock now (epoch ms), or null when no answer carried a `Date` header. */
  serverNow(): number | null {
    return this.clock === null ? null : this.now() + this.clock.lowSkewMs;
  }

  invalidateToken(): void {
    this.token = undefined;
    this.tokenExpiresAt = 0;
  }

  // -------------------------------------------------------------------------------------------------------------
  // The sync's and source administration's calls

  /**
   * GET /admin/serverinfo: needs any admin role (403 otherwise). Its `systemInfo.version` is there for accounts
   * of the master realm; since 26.4 (and 26.2.10) an account of another realm gets no systemInfo, since 26.6
   * the version alone when it holds manage-realm (ServerInfoAdminResource, keycloak PRs #42859 and #45903).
   */
  getServerInfo(realm?: string) {
    return this.request("getServerInfo", { path: ["admin", "serverinfo"], schema: serverInfoSchema, realm });
  }

  /** GET /admin/realms: the realms the service account can see. */
  listRealms(opts: { brief?: boolean } = {}): Promise<RealmListEntry[]> {
    return this.request("listRealms", {
      path: ["admin", "realms"],
      query: { briefRepresentation: opts.brief || undefined },
      schema: realmListSchema,
    });
  }

  /**
   * One page of user or admin events, as Keycloak sends it (each event is checked when it becomes a row).
   * `dateFrom` and `dateTo` go as given: epoch-ms strings on 26.2+, yyyy-MM-dd before.
   */
  async listEvents(realm: string, kind: EventKind, q: EventPageQuery): Promise<Record<string, unknown>[]> {
    const page = await this.inRealm(
      kind === "user" ? "listEvents" : "listAdminEvents",
      realm,
      [kind === "user" ? "events" : "admin-events"],
      eventPageSchema,
      { first: q.first, max: q.max, dateFrom: q.dateFrom, dateTo: q.dateTo, direction: q.direction },
    );
    return page as Record<string, unknown>[];
  }

  /** GET /admin/realms/{realm}/clients: the realm's clients (up to `max`). */
  listClients(realm: string, opts: { max: number }): Promise<ClientRepresentation[]> {
    return this.inRealm("listClients", realm, ["clients"], z.array(clientSchema), { max: opts.max });
  }

  /** GET /admin/realms/{realm}/users/{id} */
  getUser(realm: string, userId: string): Promise<UserRepresentation> {
    return this.inRealm("getUser", realm, ["users", userId], userSchema);
  }

  /** GET /admin/realms/{realm}/events/config */
  getEventsConfig(realm: string): Promise<RealmEventsConfig> {
    return this.inRealm("getEventsConfig", realm, ["events", "config"], eventsConfigSchema);
  }

  /** PUT /admin/realms/{realm}/events/config (needs manage-events). */
  async updateEventsConfig(realm: string, config: RealmEventsConfig): Promise<void> {
    await this.request("updateEventsConfig", {
      method: "PUT",
      path: ["admin", "realms", realm, "events", "config"],
      body: config,
      realm,
    });
  }

  // -------------------------------------------------------------------------------------------------------------
  // The live checks' reads (AdminApi)

  async getClientByClientId(realm: string, clientId: string) {
    const list = await this.inRealm("getClientByClientId", realm, ["clients"], z.array(clientSchema), {
      clientId,
    });
    return list.find((c) => c.clientId === clientId) ?? null;
  }

  listDefaultClientScopes(realm: string, clientUuid: string) {
    return this.inRealm(
      "listDefaultClientScopes",
      realm,
      ["clients", clientUuid, "default-client-scopes"],
      idName,
    );
  }

  listOptionalClientScopes(realm: string, clientUuid: string) {
    return this.inRealm(
      "listOptionalClientScopes",
      realm,
      ["clients", clientUuid, "optional-client-scopes"],
      idName,
    );
  }

  listClientScopes(realm: string) {
    return this.inRealm("listClientScopes", realm, ["client-scopes"], z.array(clientScopeSchema));
  }

  listProtocolMappers(realm: string, clientUuid: string) {
    return this.inRealm(
      "listProtocolMappers",
      realm,
      ["clients", clientUuid, "protocol-mappers", "models"],
      z.array(protocolMapperSchema),
    );
  }

  getServiceAccountUser(realm: string, clientUuid: string) {
    return this.inRealm(
      "getServiceAccountUser",
      realm,
      ["clients", clientUuid, "service-account-user"],
      userSchema,
    );
  }

  async findUserByUsername(realm: string, username: string) {
    const list = await this.inRealm("findUserByUsername", realm, ["users"], z.array(userSchema), {
      username,
      exact: true,
    });
    return list.find((u) => u.username.toLowerCase() === username.toLowerCase()) ?? null;
  }

  listUserRealmRoles(realm: string, userId: string, effective: boolean) {
    return this.inRealm(
      "listUserRealmRoles",
      realm,
      ["users", userId, "role-mappings", "realm", ...(effective ? ["composite"] : [])],
      roles,
    );
  }

  listUserClientRoles(realm: string, userId: string, clientUuid: string, effective: boolean) {
    return this.inRealm(
      "listUserClientRoles",
      realm,
      ["users", userId, "role-mappings", "clients", clientUuid, ...(effective ? ["composite"] : [])],
      roles,
    );
  }

  listRealmRoles(realm: string) {
    return this.inRealm("listRealmRoles", realm, ["roles"], roles);
  }

  getRole(realm: string, roleName: string, clientUuid?: string) {
    const path = clientUuid ? ["clients", clientUuid, "roles", roleName] : ["roles", roleName];
    return this.inRealm("getRole", realm, path, roleSchema);
  }

  getRealmRoleComposites(realm: string, roleName: string) {
    return this.inRealm("getRealmRoleComposites", realm, ["roles", roleName, "composites"], roles);
  }

  getClientRoleComposites(realm: string, clientUuid: string, roleName: string) {
    return this.inRealm(
      "getClientRoleComposites",
      realm,
      ["clients", clientUuid, "roles", roleName, "composites"],
      roles,
    );
  }

  listScopeMappings(realm: string, clientUuid: string, roleClientUuid?: string) {
    return this.inRealm(
      "listScopeMappings",
      realm,
      [
        "clients",
        clientUuid,
        "scope-mappings",
        ...(roleClientUuid ? ["clients", roleClientUuid] : ["realm"]),
      ],
      roles,
    );
  }

  getRealm(realm: string) {
    return this.request("getRealm", { path: ["admin", "realms", realm], schema: realmSchema, realm });
  }

  async getAdvertisedIssuer(realm: string) {
    const doc = await this.request("getAdvertisedIssuer", {
      path: ["realms", realm, ".well-known", "openid-configuration"],
      schema: discovery,
      realm,
      admin: false,
    });
    return doc.issuer;
  }

  generateExampleAccessToken(realm: string, clientUuid: string, request: ExampleTokenRequest) {
    return this.inRealm(
      "generateExampleAccessToken",
      realm,
      ["clients", clientUuid, "evaluate-scopes", "generate-example-access-token"],
      payload,
      { scope: request.scope ?? "", userId: request.userId, audience: request.audience || undefined },
    );
  }

  // -------------------------------------------------------------------------------------------------------------
  // Requests, tokens, retries and errors

  /** A GET under /admin/realms/{realm}. */
  private inRealm<T>(
    call: KeycloakCall,
    realm: string,
    rest: string[],
    schema: z.ZodType<T>,
    query?: Request<T>["query"],
  ): Promise<T> {
    return this.request(call, { path: ["admin", "realms", realm, ...rest], schema, query, realm });
  }

  /** One Admin REST call with retries and one re-authentication on 401; failures become KeycloakErrors. */
  private async request<T>(call: KeycloakCall, req: Request<T>): Promise<T> {
    const method = req.method ?? "GET";
    const what = `${method} /${req.path.join("/")}`;
    let reauthenticated = false;
    return this.withRetry(async () => {
      try {
        return await this.send(call, method, req);
      } catch (err) {
        if (err instanceof HttpStatusError && err.status === 401 && req.admin !== false && !reauthenticated) {
          // The token expired or was revoked mid-paging: authenticate again once, then repeat the call.
          reauthenticated = true;
          this.invalidateToken();
          return await this.send(call, method, req);
        }
        throw err;
      }
    }).catch((err) => {
      throw this.describe(err, call, what, { realm: req.realm });
    });
  }

  private async send<T>(call: KeycloakCall, method: string, req: Request<T>): Promise<T> {
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) query.set(k, String(v));
    const url = `${this.opts.serverUrl}/${req.path.map(encodeURIComponent).join("/")}${query.size > 0 ? `?${query}` : ""}`;
    const headers: Record<string, string> = { accept: "application/json" };
    if (req.admin !== false) headers.authorization = `Bearer ${await this.validToken()}`;
    if (req.body !== undefined) headers["content-type"] = "application/json";
    const response = await this.timedFetch(url, {
      method,
      headers,
      body: req.body === undefined ? undefined : JSON.stringify(req.body),
      signal: AbortSignal.timeout(this.opts.timeoutMs),
    });
    if (!response.ok) throw new HttpStatusError(response.status, await readBody(response));
    if (!req.schema) {
      await response.body?.cancel();
      return undefined as T;
    }
    const parsed = req.schema.safeParse(await response.json().catch(() => undefined));
    if (!parsed.success) {
      throw new KeycloakError(
        "keycloak_error",
        `Keycloak gave an unexpected answer to ${method} /${req.path.join("/")} (${call}).`,
        { call, keycloakStatus: null, role: CALL_ROLES[call] },
      );
    }
    return parsed.data;
  }

  /** fetch, reading Keycloak's clock from the answer's `Date` header (RFC 9110 section 6.6.1). */
  private async timedFetch(url: string, init: RequestInit): Promise<Response> {
    const sentAt = this.now();
    const response = await this.doFetch(url, init);
    const receivedAt = this.now();
    const date = Date.parse(response.headers.get("date") ?? "");
    if (Number.isFinite(date)) {
      this.clock = {
        // The header drops milliseconds: Keycloak's clock read date + 0..999 ms somewhere in [sentAt, receivedAt].
        skewMs: Math.round(date + 500 - (sentAt + receivedAt) / 2),
        lowSkewMs: date - receivedAt,
        receivedAt,
      };
    }
    return response;
  }

  /** A valid access token, authenticating again when the current one has under 30 s (or a third) left. */
  private async validToken(): Promise<string> {
    if (this.token && this.now() < this.tokenExpiresAt) return this.token;
    this.authInFlight ??= this.authenticate().finally(() => {
      this.authInFlight = undefined;
    });
    return this.authInFlight;
  }

  /**
   * The client-credentials grant at the auth realm's token endpoint, the client authenticated by HTTP Basic
   * (client_secret_basic, RFC 6749 section 2.3.1, which Keycloak's client-secret authenticator accepts).
   */
  private async authenticate(): Promise<string> {
    const { serverUrl, authRealm, clientId, clientSecret } = this.opts;
    const form = (s: string) => encodeURIComponent(s).replace(/%20/g, "+");
    const answer = await this.withRetry(async () => {
      const response = await this.timedFetch(
        `${serverUrl}/realms/${encodeURIComponent(authRealm)}/protocol/openid-connect/token`,
        {
          method: "POST",
          headers: {
            authorization: `Basic ${Buffer.from(`${form(clientId)}:${form(clientSecret)}`).toString("base64")}`,
            "content-type": "application/x-www-form-urlencoded",
          },
          body: new URLSearchParams({ grant_type: "client_credentials", client_id: clientId }),
          signal: AbortSignal.timeout(this.opts.timeoutMs),
        },
      );
      if (response.ok) return response.json().catch(() => undefined);
      const body = await readBody(response);
      const status = response.status;
      const info = { call: "authenticate" as const, keycloakStatus: status, role: null };
      if (status === 400 || status === 401) {
        const data = (typeof body === "object" && body !== null ? body : {}) as {
          error?: string;
          error_description?: string;
        };
        throw new KeycloakError(
          "keycloak_auth_failed",
          `Keycloak at ${serverUrl} rejected the service account "${clientId}" in realm "${authRealm}" (${data.error ?? status}${data.error_description ? `: ${data.error_description}` : ""}). Check the client secret, that the client has Client authentication on and Service accounts roles enabled, and KEYCLOAK_AUTH_REALM.`,
          info,
          { status, keycloakError: data.error },
        );
      }
      if (status === 404) {
        throw new KeycloakError(
          "keycloak_error",
          `Keycloak at ${serverUrl} has no realm "${authRealm}" (token endpoint 404). Check KEYCLOAK_URL (no /auth suffix on Keycloak 17+ unless configured) and KEYCLOAK_AUTH_REALM.`,
          info,
        );
      }
      throw new HttpStatusError(status, body);
    });
    const token = tokenAnswer.safeParse(answer).data?.access_token;
    if (!token) {
      throw new KeycloakError("keycloak_auth_failed", "Keycloak returned no access token.", {
        call: "authenticate",
        keycloakStatus: null,
        role: null,
      });
    }
    const now = this.now();
    const exp = decodeJwtPayload(token)?.exp;
    // `exp` is on Keycloak's clock: the lifetime is measured against it, not ours.
    const lifetime = typeof exp === "number" ? exp * 1000 - (this.serverNow() ?? now) : 60_000;
    // Renew with a margin: 30 s, or a third of a short lifetime.
    this.tokenExpiresAt = now + Math.max(1_000, lifetime - Math.min(30_000, lifetime / 3));
    this.token = token;
    return token;
  }

  private describe(err: unknown, call: KeycloakCall, what: string, ctx: { realm?: string }): KeycloakError {
    if (err instanceof KeycloakError) return err;
    const role = CALL_ROLES[call];
    const status = err instanceof HttpStatusError ? err.status : undefined;
    const info = { call, keycloakStatus: status ?? null, role };
    if (err instanceof AppError) return new KeycloakError(err.code, err.message, info, err.details);
    if (status === 403) {
      const named = role ?? "view-events";
      // Keycloak checks each of a call's roles in turn (callRoles): a 403 may mean any of them is missing.
      const all = callRoles(call);
      const roles =
        all.length > 1 ? `the ${all.map((r) => `"${r}"`).join(" and ")} roles` : `the "${named}" role`;
      const where =
        this.opts.authRealm === "master" && ctx.realm && ctx.realm !== "master"
          ? `${roles} of the "${ctx.realm}-realm" client in master (or of "realm-management" in "${ctx.realm}" for an account of that realm)`
          : `${roles} of the "realm-management" client${ctx.realm ? ` in realm "${ctx.realm}"` : ""}`;
      return new KeycloakError(
        "keycloak_forbidden",
        `Keycloak answered 403 to ${what}: the service account "service-account-${this.opts.clientId}" lacks ${where}. Assign it under Clients > ${this.opts.clientId} > Service accounts roles > Assign role > Filter by clients.`,
        info,
        { status, role: named, ...(all.length > 1 ? { roles: all } : {}), realm: ctx.realm },
      );
    }
    if (status === 401) {
      return new KeycloakError(
        "keycloak_auth_failed",
        `Keycloak answered 401 to ${what} even with a fresh token: the token is not accepted for the admin API (check that KEYCLOAK_AUTH_REALM is the realm of the service account and that the hostname configuration gives one issuer).`,
        info,
        { status },
      );
    }
    if (status === 404) {
      return new KeycloakError(
        "not_found",
        `Keycloak answered 404 to ${what}${ctx.realm ? `: realm "${ctx.realm}" may not exist` : ""}.`,
        info,
        { status },
      );
    }
    if (err instanceof HttpStatusError) {
      // Never the answer's body itself (an internal page's text would come back to whoever reads the error):
      // only the sentence Keycloak puts in its JSON error fields, when the answer is Keycloak's JSON.
      const said = keycloakMessage(err.body);
      return new KeycloakError(
        "keycloak_error",
        `Keycloak answered ${err.status} to ${what}${said ? `: ${said}` : " (no Keycloak error in the answer)"}`,
        info,
        { status: err.status, ...(said ? { keycloakMessage: said } : {}) },
      );
    }
    return new KeycloakError(
      "keycloak_unreachable",
      `Keycloak at ${this.opts.serverUrl} is unreachable (${what}): ${networkReason(err)}. realmwatch retries on the next poll.`,
      info,
    );
  }

  private async withRetry<T>(fn: () => Promise<T>): Promise<T> {
    let attempt = 0;
    for (;;) {
      try {
        return await fn();
      } catch (err) {
        if (!isRetryable(err) || attempt >= this.opts.retries) throw err;
        const cap = Math.min(this.opts.backoffMaxMs, this.opts.backoffBaseMs * 2 ** attempt);
        await new Promise((r) => setTimeout(r, Math.random() * cap));
        attempt++;
      }
    }
  }
}

/** A failed answer's body: JSON when it parses, else its text (Keycloak answers errors as JSON, proxies as HTML). */
async function readBody(response: Response): Promise<unknown> {
  const text = await response.text().catch(() => "");
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * Keycloak's own sentence in an error body: `{"error": "..."}` from a ClientErrorException (e.g. RealmManager's
 * "Unknown event listener"), `{"errorMessage": "..."}` from ErrorResponse, or an OAuth error_description.
 */
function keycloakMessage(body: unknown): string | null {
  if (typeof body !== "object" || body === null) return null;
  const b = body as Record<string, unknown>;
  for (const key of ["errorMessage", "error_description", "error"]) {
    const value = b[key];
    if (typeof value === "string" && value.trim() !== "") {
      return value
        .replace(/[\u0000-\u001f\u007f]+/g, " ")
        .trim()
        .slice(0, 200);
    }
  }
  return null;
}

function isRetryable(err: unknown): boolean {
  if (err instanceof AppError) return false;
  if (err instanceof HttpStatusError) return err.status >= 500 || err.status === 429 || err.status === 408;
  return true; // network errors, resets, timeouts
}

function networkReason(err: unknown): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string } };
  if (e.name === "TimeoutError" || e.name === "AbortError") return "the request timed out";
  const code = e.cause?.code;
  if (code === "ECONNREFUSED") return "connection refused";
  if (code === "ENOTFOUND") return "host not found";
  if (code === "ECONNRESET" || code === "UND_ERR_SOCKET") return "connection reset";
  return code ?? e.message ?? "network error";
}
