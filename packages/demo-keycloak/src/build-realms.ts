import { createHash } from "node:crypto";
import { REALM_MANAGEMENT_ROLES } from "@/lib/keycloak/realm-management-roles";
import type { SourceInput } from "@/lib/sources/save-source";
import {
  DEMO_REALM_SPECS,
  DEMO_SIGN_IN_USERS,
  DENIAL_EVENT_TYPES,
  type DemoClientSpec,
  type DemoRealmSpec,
  FIRST_NAMES,
  LAST_NAMES,
} from "./demo-realm-specs";
import { SAVE_BY_DEFAULT_TYPES } from "./keycloak-vocabulary";
import type { Prng } from "./prng";
import {
  type ClientModel,
  type ClientScopeModel,
  clientScopeByName,
  findClient,
  findUserByUsername,
  type ProtocolMapperModel,
  type RealmModel,
  type RoleModel,
  realmRole,
  type UserModel,
} from "./realm-model";

export interface ServiceAccountSpec {
  clientId: string;
  secret: string;
  /** realm-management roles granted on every demo realm (through `<realm>-realm` clients of master). */
  roles: string[];
}

export const DEMO_SERVICE_ACCOUNT: ServiceAccountSpec = {
  clientId: "realmwatch",
  secret: "realmwatch-demo-secret",
  roles: ["view-events", "manage-events", "view-realm", "view-clients", "view-users"],
};

/**
 * How realmwatch registers a demo Keycloak at `url` as a source: its service account, in the master realm, or
 * with `authRealm` the realm-scoped account a demo started with `realmAccounts` also has in each realm.
 */
export function demoSourceInput(
  url: string,
  opts: { name?: string; realms?: string[]; authRealm?: string } = {},
): SourceInput {
  return {
    name: opts.name ?? "demo",
    serverUrl: url,
    authRealm: opts.authRealm ?? "master",
    clientId: DEMO_SERVICE_ACCOUNT.clientId,
    clientSecret: DEMO_SERVICE_ACCOUNT.secret,
    realms: opts.realms ?? ["*"],
  };
}

/** The client realmwatch's own sign-in uses (authorization code + PKCE), in every realm. */
export const DEMO_WEB_CLIENT = { clientId: "realmwatch-web", secret: "realmwatch-web-secret" } as const;

/** [name, include.in.token.scope, default (else optional)] of the built-in OpenID Connect client scopes. */
const BUILT_IN_SCOPES: ReadonlyArray<readonly [string, boolean, boolean]> = [
  ["acr", false, true],
  ["basic", false, true],
  ["email", true, true],
  ["profile", true, true],
  ["roles", false, true],
  ["web-origins", false, true],
  ["address", true, false],
  ["phone", true, false],
  ["offline_access", true, false],
  ["microprofile-jwt", true, false],
  ["organization", true, false],
];

/** Keycloak names its built-in clients with theme message keys, e.g. `${client_account}`. */
const messageKey = (key: string) => `\${${key}}`;

class RealmBuilder {
  readonly realm: RealmModel;

  constructor(
    private readonly prng: Prng,
    name: string,
    displayName: string,
    existing?: RealmModel,
  ) {
    if (existing) {
      this.realm = existing;
      return;
    }
    this.realm = {
      id: prng.uuid(),
      name,
      displayName,
      enabled: true,
      sslRequired: "external",
      attributes: {},
      events: {
        eventsEnabled: false,
        eventsExpiration: 0,
        eventsListeners: ["jboss-logging"],
        enabledEventTypes: [],
        adminEventsEnabled: false,
        adminEventsDetailsEnabled: false,
      },
      accessTokenLifespan: 300,
      ssoSessionIdleTimeout: 1800,
      ssoSessionMaxLifespan: 36000,
      bruteForceProtected: false,
      permanentLockout: false,
      failureFactor: 30,
      waitIncrementSeconds: 60,
      maxFailureWaitSeconds: 900,
      clients: new Map(),
      clientScopes: new Map(),
      roles: new Map(),
      users: new Map(),
      loginFailures: new Map(),
      defaultRoleId: "",
    };
    for (const [scope, inToken] of BUILT_IN_SCOPES) this.addScope(scope, inToken);
    this.addRealmRole("offline_access");
    this.addRealmRole("uma_authorization");
    const def = this.addRealmRole(`default-roles-${name}`, ["offline_access", "uma_authorization"]);
    this.realm.defaultRoleId = def.id;
    this.addClient({
      clientId: "account",
      name: messageKey("client_account"),
      publicClient: true,
      roles: ["view-profile", "manage-account"],
    });
    def.composites.add(findClient(this.realm, "account")!.roles.get("view-profile")!.id);
    def.composites.add(findClient(this.realm, "account")!.roles.get("manage-account")!.id);
    this.addClient({
      clientId: "account-console",
      name: messageKey("client_account-console"),
      publicClient: true,
    });
    this.addClient({
      clientId: "admin-cli",
      name: messageKey("client_admin-cli"),
      publicClient: true,
      directAccessGrants: true,
      standardFlow: false,
    });
    this.addClient({
      clientId: "broker",
      name: messageKey("client_broker"),
      secret: prng.uuid(),
      standardFlow: false,
    });
    this.addClient({
      clientId: "security-admin-console",
      name: messageKey("client_security-admin-console"),
      publicClient: true,
    });
    if (name !== "master") this.addManagementClient("realm-management");
    this.addClient({
      clientId: DEMO_WEB_CLIENT.clientId,
      name: "realmwatch (sign-in)",
      secret: DEMO_WEB_CLIENT.secret,
      redirectUris: ["*"],
      webOrigins: ["+"],
      directAccessGrants: true,
    });
  }

  private mapper(name: string, protocolMapper: string, config: Record<string, string>): ProtocolMapperModel {
    return {
      id: this.prng.uuid(),
      name,
      protocol: "openid-connect",
      protocolMapper,
      consentRequired: false,
      config,
    };
  }

  private addScope(name: string, includeInTokenScope: boolean): ClientScopeModel {
    const scope: ClientScopeModel = {
      id: this.prng.uuid(),
      name,
      description: `OpenID Connect built-in scope: ${name}`,
      protocol: "openid-connect",
      attributes: {
        "include.in.token.scope": String(includeInTokenScope),
        "display.on.consent.screen": "true",
      },
      protocolMappers: [],
      scopeMappings: new Set(),
    };
    if (name === "roles") {
      scope.protocolMappers.push(
        this.mapper("realm roles", "oidc-usermodel-realm-role-mapper", {
          "claim.name": "realm_access.roles",
        }),
        this.mapper("client roles", "oidc-usermodel-client-role-mapper", {
          // Keycloak's own placeholder, replaced per client when the claim is written.
          "claim.name": `resource_access.\${client_id}.roles`,
        }),
        this.mapper("audience resolve", "oidc-audience-resolve-mapper", {}),
      );
    }
    if (name === "web-origins")
      scope.protocolMappers.push(this.mapper("allowed web origins", "oidc-allowed-origins-mapper", {}));
    this.realm.clientScopes.set(scope.id, scope);
    return scope;
  }

  addRealmRole(name: string, composites: string[] = [], description?: string): RoleModel {
    const role: RoleModel = {
      id: this.prng.uuid(),
      name,
      description,
      composites: new Set(composites.map((c) => realmRole(this.realm, c)!.id)),
      clientRole: false,
      containerId: this.realm.id,
    };
    this.realm.roles.set(role.id, role);
    return role;
  }

  private addClientRole(client: ClientModel, name: string): RoleModel {
    const role: RoleModel = {
      id: this.prng.uuid(),
      name,
      composites: new Set(),
      clientRole: true,
      containerId: client.id,
    };
    client.roles.set(name, role);
    this.realm.roles.set(role.id, role);
    return role;
  }

  addClient(spec: DemoClientSpec): ClientModel {
    const realm = this.realm;
    const defaults = BUILT_IN_SCOPES.filter((s) => s[2]).map((s) => clientScopeByName(realm, s[0])!.id);
    const optional = BUILT_IN_SCOPES.filter((s) => !s[2]).map((s) => clientScopeByName(realm, s[0])!.id);
    const client: ClientModel = {
      id: this.prng.uuid(),
      clientId: spec.clientId,
      name: spec.name,
      enabled: true,
      publicClient: spec.publicClient ?? false,
      bearerOnly: false,
      secret: spec.publicClient ? null : (spec.secret ?? this.prng.uuid()),
      standardFlowEnabled: spec.standardFlow ?? true,
      directAccessGrantsEnabled: spec.directAccessGrants ?? false,
      serviceAccountsEnabled: spec.serviceAccountRoles !== undefined,
      authorizationServicesEnabled: spec.authorizationServices ?? false,
      rootUrl: spec.rootUrl ?? "",
      baseUrl: "",
      redirectUris: spec.redirectUris ?? [],
      webOrigins: spec.webOrigins ?? [],
      fullScopeAllowed: spec.fullScopeAllowed ?? true,
      defaultClientScopes: defaults,
      optionalClientScopes: optional,
      protocolMappers: [],
      roles: new Map(),
      scopeMappings: new Set((spec.scopeMappings ?? []).map((r) => realmRole(realm, r)!.id)),
      attributes: { ...spec.attributes },
    };
    realm.clients.set(client.id, client);
    for (const r of spec.roles ?? []) this.addClientRole(client, r);
    for (const aud of spec.audienceMappers ?? []) {
      client.protocolMappers.push(
        this.mapper(`${aud}-audience`, "oidc-audience-mapper", {
          "included.client.audience": aud,
          "access.token.claim": "true",
          "id.token.claim": "false",
        }),
      );
    }
    if (spec.serviceAccountRoles !== undefined) {
      const sa = this.addUser(`service-account-${spec.clientId}`, {});
      sa.serviceAccountClientId = client.id;
      const mgmt = findClient(realm, "realm-management");
      for (const r of spec.serviceAccountRoles) sa.roleMappings.add(mgmt!.roles.get(r)!.id);
    }
    return client;
  }

  /** realm-management (or `<realm>-realm` in master): the admin REST API's roles. */
  addManagementClient(clientId: string): ClientModel {
    const client = this.addClient({
      clientId,
      name: messageKey("client_realm-management"),
      standardFlow: false,
    });
    client.bearerOnly = true;
    for (const r of REALM_MANAGEMENT_ROLES) this.addClientRole(client, r);
    const admin = client.roles.get("realm-admin")!;
    for (const r of client.roles.values()) if (r !== admin) admin.composites.add(r.id);
    // Keycloak's own composites among the view roles.
    client.roles.get("view-users")!.composites.add(client.roles.get("query-users")!.id);
    client.roles.get("view-users")!.composites.add(client.roles.get("query-groups")!.id);
    client.roles.get("view-clients")!.composites.add(client.roles.get("query-clients")!.id);
    return client;
  }

  addUser(
    username: string,
    info: { email?: string; firstName?: string; lastName?: string; password?: string },
    createdTimestamp = 1_700_000_000_000,
  ): UserModel {
    const user: UserModel = {
      id: this.prng.uuid(),
      username: username.toLowerCase(),
      email: info.email,
      firstName: info.firstName,
      lastName: info.lastName,
      enabled: true,
      emailVerified: info.email !== undefined,
      createdTimestamp,
      password: info.password ?? null,
      roleMappings: new Set(),
    };
    this.realm.users.set(user.id, user);
    return user;
  }
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function buildRealm(prng: Prng, spec: DemoRealmSpec): RealmModel {
  const b = new RealmBuilder(prng, spec.name, spec.displayName);
  const realm = b.realm;
  realm.events = {
    ...realm.events,
    ...spec.events,
    enabledEventTypes: spec.saveDenialTypes
      ? [...SAVE_BY_DEFAULT_TYPES, ...DENIAL_EVENT_TYPES]
      : (spec.events.enabledEventTypes ?? []),
  };
  if (spec.frontendUrl) realm.attributes.frontendUrl = spec.frontendUrl;
  if (spec.ssoSessionIdleTimeout) realm.ssoSessionIdleTimeout = spec.ssoSessionIdleTimeout;
  realm.bruteForceProtected = true;
  realm.failureFactor = 10;
  realm.waitIncrementSeconds = 300;
  realm.maxFailureWaitSeconds = 900;
  realm.attributes.adminEventsExpiration = String(90 * 86400);
  for (const r of spec.realmRoles) b.addRealmRole(r.name, r.composites, r.description);
  for (const c of spec.clients) b.addClient(c);
  for (const name of DEMO_SIGN_IN_USERS) {
    const u = b.addUser(name, {
      email: `${name}@${spec.emailDomain}`,
      firstName: cap(name),
      lastName: "Demo",
      password: name,
    });
    u.roleMappings.add(realmRole(realm, name)!.id);
  }
  const taken = new Set<string>();
  while (taken.size < spec.userCount) {
    const first = prng.pick(FIRST_NAMES);
    const last = prng.pick(LAST_NAMES);
    const username = `${first}.${last}`;
    if (taken.has(username)) continue;
    taken.add(username);
    const created = 1_690_000_000_000 + prng.int(300) * 86_400_000;
    b.addUser(
      username,
      { email: `${username}@${spec.emailDomain}`, firstName: cap(first), lastName: cap(last) },
      created,
    );
  }
  for (const [username, roles] of spec.userRoles ?? []) {
    const u =
      findUserByUsername(realm, username) ??
      b.addUser(username, { email: `${username}@${spec.emailDomain}` });
    for (const r of roles) u.roleMappings.add(realmRole(realm, r)!.id);
  }
  for (const [username, clientId, roles] of spec.userClientRoles ?? []) {
    const u = findUserByUsername(realm, username)!;
    for (const r of roles) u.roleMappings.add(findClient(realm, clientId)!.roles.get(r)!.id);
  }
  return realm;
}

/**
 * The demo realms and master. Master holds the realmwatch service account, whose roles on each
 * `<realm>-realm` client are what lets it read that realm's events (Keycloak's cross-realm admin model).
 */
export function buildDemoRealms(
  prng: Prng,
  opts: { realms?: readonly string[]; serviceAccount: ServiceAccountSpec; realmAccounts?: boolean },
): Map<string, RealmModel> {
  const specs = opts.realms
    ? opts.realms.map(
        (name) =>
          DEMO_REALM_SPECS.find((s) => s.name === name) ?? {
            name,
            displayName: name,
            events: { eventsEnabled: true, adminEventsEnabled: true },
            realmRoles: DEMO_SIGN_IN_USERS.map((n) => ({ name: n })),
            clients: [],
            userCount: 40,
            emailDomain: `${name}.example`,
            businessDayStartUtc: 8,
          },
      )
    : DEMO_REALM_SPECS;
  const master = new RealmBuilder(prng, "master", "Keycloak");
  const masterMgmt = master.addManagementClient("master-realm");
  const signInRoles = new Map(DEMO_SIGN_IN_USERS.map((name) => [name, master.addRealmRole(name)]));
  for (const name of DEMO_SIGN_IN_USERS) {
    const u = master.addUser(name, {
      email: `${name}@realmwatch.example`,
      firstName: cap(name),
      lastName: "Demo",
      password: name,
    });
    u.roleMappings.add(signInRoles.get(name)!.id);
  }
  // As in Keycloak, master's `admin` role holds realm-admin of every realm: admin/admin can apply fixes
  // (kcadm.sh config credentials --realm master --user admin --password admin).
  const superAdmin = signInRoles.get("admin")!;
  superAdmin.composites.add(masterMgmt.roles.get("realm-admin")!.id);
  const realms = new Map<string, RealmModel>([["master", master.realm]]);
  for (const spec of specs) {
    realms.set(spec.name, buildRealm(prng, spec));
    superAdmin.composites.add(master.addManagementClient(`${spec.name}-realm`).roles.get("realm-admin")!.id);
  }
  const sa = master.addClient({
    clientId: opts.serviceAccount.clientId,
    name: "realmwatch event sync",
    secret: opts.serviceAccount.secret,
    standardFlow: false,
    serviceAccountRoles: [],
  });
  const saUser = [...master.realm.users.values()].find((u) => u.serviceAccountClientId === sa.id)!;
  for (const spec of specs) {
    const mgmt = findClient(master.realm, `${spec.name}-realm`)!;
    for (const r of opts.serviceAccount.roles) {
      const role = mgmt.roles.get(r);
      if (role) saUser.roleMappings.add(role.id);
    }
  }
  // Last, so that every id made before stays what the seed gives without this option.
  if (opts.realmAccounts) {
    for (const spec of specs) {
      const realm = realms.get(spec.name)!;
      new RealmBuilder(prng, realm.name, realm.displayName, realm).addClient({
        clientId: opts.serviceAccount.clientId,
        name: "realmwatch event sync",
        secret: opts.serviceAccount.secret,
        standardFlow: false,
        serviceAccountRoles: opts.serviceAccount.roles.filter((r) =>
          (REALM_MANAGEMENT_ROLES as readonly string[]).includes(r),
        ),
      });
    }
  }
  // realmwatch's own roles, as client roles of its sign-in client (what realmwatch reads: a realm role named
  // `admin`, such as master's super-user role, grants nothing in realmwatch). Their ids are derived from their
  // names rather than drawn from the seed, so that every other id and the whole history stay what they were.
  for (const realm of realms.values()) signInClientRoles(realm);
  return realms;
}

function signInClientRoles(realm: RealmModel): void {
  const client = findClient(realm, DEMO_WEB_CLIENT.clientId);
  if (!client) return;
  for (const name of DEMO_SIGN_IN_USERS) {
    const id = uuidFromName(`${realm.name}/${DEMO_WEB_CLIENT.clientId}/${name}`);
    const role: RoleModel = {
      id,
      name,
      description: `realmwatch ${name}`,
      composites: new Set(),
      clientRole: true,
      containerId: client.id,
    };
    client.roles.set(name, role);
    realm.roles.set(id, role);
    findUserByUsername(realm, name)?.roleMappings.add(id);
  }
}

/** A UUID (version 5 layout) made from a name: the same name gives the same id on every start. */
function uuidFromName(name: string): string {
  const h = createHash("sha1").update(name).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
