import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_SERVICE_ACCOUNT, type DemoKeycloak, startDemoKeycloak } from "../src";
import { call, clientToken, serviceToken } from "./http-helpers";

/**
 * Tests that start demo servers of their own get a minute: each start takes a fraction of a second alone, several
 * seconds on a busy machine.
 *
 * The demo claims Keycloak 26.6.3 and answers as that version does, point by point; each test names the
 * Keycloak class (or pull request) it copies.
 */

const form = (o: Record<string, string>) => ({
  headers: { "content-type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams(o).toString(),
});

/** master's admin/admin through admin-cli: realm-admin of every realm, to look up ids. */
async function adminToken(demo: DemoKeycloak): Promise<string> {
  const r = await call(demo, "POST", "/realms/master/protocol/openid-connect/token", {
    ...form({ grant_type: "password", client_id: "admin-cli", username: "admin", password: "admin" }),
  });
  return (r.body as { access_token: string }).access_token;
}

let demo: DemoKeycloak;
beforeAll(async () => {
  demo = await startDemoKeycloak({ seed: 11, traffic: false, realmAccounts: true });
});
afterAll(() => demo.close());

describe("userinfo errors (UserInfoEndpoint, OAuth2Error with json(false))", () => {
  const path = "/realms/acme/protocol/openid-connect/userinfo";

  it("answers a request without a token 401 with an empty text/plain body and the bare challenge", async () => {
    const r = await call(demo, "GET", path);
    expect(r).toMatchObject({ status: 401, text: "" });
    expect(r.headers.get("content-type")).toBe("text/plain;charset=UTF-8");
    expect(r.headers.get("www-authenticate")).toBe('Bearer realm="acme"');
    expect(demo.store.allUserEvents("acme").at(-1)).toMatchObject({
      type: "USER_INFO_REQUEST_ERROR",
      error: "invalid_token",
      details: { reason: "Missing token" },
    });
  });

  it("answers a token that fails verification 401 invalid_token 'Token verification failed', the reason only in the event", async () => {
    const r = await call(demo, "GET", path, { token: "not.a.token" });
    expect(r).toMatchObject({ status: 401, text: "" });
    expect(r.headers.get("www-authenticate")).toBe(
      'Bearer realm="acme", error="invalid_token", error_description="Token verification failed"',
    );
    const master = await serviceToken(demo);
    const wrongRealm = await call(demo, "GET", path, { token: master });
    expect(wrongRealm.status).toBe(401);
    expect(wrongRealm.headers.get("www-authenticate")).toContain(
      'error_description="Token verification failed"',
    );
    expect(demo.store.allUserEvents("acme").at(-1)?.details?.reason).toMatch(/^Invalid token issuer/);
  });
});

describe("serverinfo (ServerInfoAdminResource; Keycloak's ServerInfoPermissionsTest)", () => {
  it("gives the version to an administrator of the master realm", async () => {
    const r = await call(demo, "GET", "/admin/serverinfo", { token: await serviceToken(demo) });
    expect(r.body).toMatchObject({ systemInfo: { version: "26.6.3", javaVersion: "21.0.8" } });
  });

  it("gives a realm-scoped account without manage-realm no systemInfo at all since 26.4 (PR #42859)", async () => {
    const token = await clientToken(demo, "acme", DEMO_SERVICE_ACCOUNT.clientId, DEMO_SERVICE_ACCOUNT.secret);
    const r = await call(demo, "GET", "/admin/serverinfo", { token });
    expect(r.status).toBe(200);
    expect(r.body).not.toHaveProperty("systemInfo");
    expect(r.body).toHaveProperty("providers.eventsListener");
  });

  it("gives a realm-scoped account with manage-realm the version alone (PR #45903), and refuses one without any admin role", async () => {
    const account = {
      clientId: "rw-manager",
      secret: "rw-manager-secret",
      roles: ["view-events", "manage-realm"],
    };
    const kc = await startDemoKeycloak({
      seed: 2,
      traffic: false,
      realmAccounts: true,
      serviceAccount: account,
    });
    const none = await startDemoKeycloak({
      seed: 2,
      traffic: false,
      realmAccounts: true,
      serviceAccount: { clientId: "rw-none", secret: "rw-none-secret", roles: [] },
    });
    try {
      const token = await clientToken(kc, "retail", account.clientId, account.secret);
      expect((await call(kc, "GET", "/admin/serverinfo", { token })).body).toMatchObject({
        systemInfo: { version: "26.6.3" },
      });
      const body = (await call(kc, "GET", "/admin/serverinfo", { token })).body as {
        systemInfo: Record<string, unknown>;
      };
      expect(Object.keys(body.systemInfo)).toEqual(["version"]);
      const noRole = await clientToken(none, "retail", "rw-none", "rw-none-secret");
      expect((await call(none, "GET", "/admin/serverinfo", { token: noRole })).status).toBe(403);
    } finally {
      await kc.close();
      await none.close();
    }
  }, 60_000);

  it("gives every admin the whole systemInfo on a server older than 26.4 (the legacy mode claims 26.1.3)", async () => {
    const old = await startDemoKeycloak({ seed: 2, mode: "legacy", traffic: false, realmAccounts: true });
    try {
      const token = await clientToken(
        old,
        "acme",
        DEMO_SERVICE_ACCOUNT.clientId,
        DEMO_SERVICE_ACCOUNT.secret,
      );
      expect((await call(old, "GET", "/admin/serverinfo", { token })).body).toMatchObject({
        systemInfo: { version: "26.1.3", javaVersion: "21.0.8" },
      });
    } finally {
      await old.close();
    }
  }, 60_000);
});

describe("example tokens (ClientScopeEvaluateResource#generateExampleAccessToken)", () => {
  async function ids(kc: DemoKeycloak) {
    const admin = await adminToken(kc);
    const clients = (await call(kc, "GET", "/admin/realms/acme/clients?clientId=acme-spa", { token: admin }))
      .body as Array<{ id: string }>;
    const users = (
      await call(kc, "GET", "/admin/realms/acme/users?username=viewer&exact=true", { token: admin })
    ).body as Array<{ id: string }>;
    return { client: clients[0]!.id, user: users[0]!.id };
  }
  const example = (clientUuid: string, query: string) =>
    `/admin/realms/acme/clients/${clientUuid}/evaluate-scopes/generate-example-access-token?${query}`;

  it("answers 403 unless the caller holds a client-read role and view-users or manage-users (CVE-2026-37978, PR #49124)", async () => {
    const cases: Array<[string[], number]> = [
      [["view-clients"], 403],
      [["view-users"], 403],
      [["manage-users"], 403],
      [["query-clients", "view-users"], 403],
      [["view-clients", "view-users"], 200],
      [["view-clients", "manage-users"], 200],
      [["manage-clients", "view-users"], 200],
      [["realm-admin"], 200],
    ];
    for (const [roles, status] of cases) {
      const account = { clientId: "rw-example", secret: "rw-example-secret", roles };
      const kc = await startDemoKeycloak({ seed: 4, traffic: false, serviceAccount: account });
      try {
        const { client, user } = await ids(kc);
        const token = await clientToken(kc, "master", account.clientId, account.secret);
        const r = await call(kc, "GET", example(client, `scope=openid&userId=${user}`), { token });
        expect(r.status, roles.join(" + ")).toBe(status);
        if (status === 403) expect(r.body).toEqual({ error: "HTTP 403 Forbidden" });
      } finally {
        await kc.close();
      }
    }
  }, 60_000);

  it("holds both for realmwatch's own demo service account", () => {
    expect(DEMO_SERVICE_ACCOUNT.roles).toEqual(expect.arrayContaining(["view-clients", "view-users"]));
  });

  it("ignores a scope the client does not have (200, the token it gives without it), and 404s a missing userId", async () => {
    const { client, user } = await ids(demo);
    const token = await serviceToken(demo);
    const plain = await call(demo, "GET", example(client, `scope=openid&userId=${user}`), { token });
    const unknown = await call(demo, "GET", example(client, `scope=openid%20no-such-scope&userId=${user}`), {
      token,
    });
    expect(unknown.status).toBe(200);
    const strip = (b: unknown) => {
      const { jti: _j, sid: _s, iat: _i, exp: _e, auth_time: _a, ...rest } = b as Record<string, unknown>;
      return rest;
    };
    expect(strip(unknown.body)).toEqual(strip(plain.body));
    expect((unknown.body as { scope: string }).scope).not.toContain("no-such-scope");
    expect(await call(demo, "GET", example(client, "scope=openid"), { token })).toMatchObject({
      status: 404,
      body: { error: "No userId provided" },
    });
    expect(
      await call(demo, "GET", example(client, `scope=openid&userId=${user}&audience=acme-orders-api`), {
        token,
      }),
    ).toMatchObject({ status: 404, body: { error: "Requested audience not available: acme-orders-api" } });
  });
});

describe("the token endpoint (AuthenticationProcessor, ClientIdAndSecretAuthenticator, ResourceOwnerPasswordCredentialsGrantType)", () => {
  const token = "/realms/acme/protocol/openid-connect/token";

  it("answers an unknown client 401 invalid_client, a wrong secret 401 unauthorized_client", async () => {
    const unknown = await call(demo, "POST", token, {
      ...form({ grant_type: "client_credentials", client_id: "no-such-client", client_secret: "x" }),
    });
    expect(unknown).toMatchObject({
      status: 401,
      body: { error: "invalid_client", error_description: "Invalid client or Invalid client credentials" },
    });
    expect(demo.store.allUserEvents("acme").at(-1)).toMatchObject({
      type: "CLIENT_LOGIN_ERROR",
      clientId: "no-such-client",
      error: "client_not_found",
    });
    const wrong = await call(demo, "POST", token, {
      ...form({ grant_type: "client_credentials", client_id: "acme-orders-api", client_secret: "wrong" }),
    });
    expect(wrong).toMatchObject({
      status: 401,
      body: {
        error: "unauthorized_client",
        error_description: "Invalid client or Invalid client credentials",
      },
    });
  });

  const wrongPassword = (kc: DemoKeycloak) =>
    call(kc, "POST", token, {
      ...form({
        grant_type: "password",
        client_id: "realmwatch-web",
        client_secret: "realmwatch-web-secret",
        username: "viewer",
        password: "not-the-password",
      }),
    });

  it("answers wrong user credentials 400 invalid_grant on 26.6 (PR #46528), 401 on the legacy mode's 26.1.3", async () => {
    expect(await wrongPassword(demo)).toMatchObject({
      status: 400,
      body: { error: "invalid_grant", error_description: "Invalid user credentials" },
    });
    const old = await startDemoKeycloak({ seed: 2, mode: "legacy", traffic: false });
    try {
      expect(await wrongPassword(old)).toMatchObject({ status: 401, body: { error: "invalid_grant" } });
    } finally {
      await old.close();
    }
  }, 60_000);
});

describe("discovery (OIDCWellKnownProvider)", () => {
  it("advertises no introspection endpoint, which the demo does not serve", async () => {
    const wk = (await call(demo, "GET", "/realms/acme/.well-known/openid-configuration")).body as Record<
      string,
      unknown
    >;
    expect(wk).not.toHaveProperty("introspection_endpoint");
    const r = await call(demo, "POST", "/realms/acme/protocol/openid-connect/token/introspect", {
      ...form({ token: "x" }),
    });
    expect(r.status).toBe(404);
  });
});

describe("the server log (JBossLoggingEventListenerProviderFactory: successes at DEBUG, errors at WARN)", () => {
  const signIns = async (kc: DemoKeycloak) => {
    for (const password of ["viewer", "wrong"]) {
      await call(kc, "POST", "/realms/acme/protocol/openid-connect/token", {
        ...form({
          grant_type: "password",
          client_id: "realmwatch-web",
          client_secret: "realmwatch-web-secret",
          username: "viewer",
          password,
        }),
      });
    }
  };

  it("holds only the error line at Keycloak's default level", async () => {
    const kc = await startDemoKeycloak({ seed: 3, traffic: false });
    try {
      await signIns(kc);
      const log = kc.eventLog();
      expect(log).toHaveLength(1);
      expect(log[0]).toMatch(
        / WARN {2}\[org\.keycloak\.events\] .*type="LOGIN_ERROR".*error="invalid_user_credentials"/,
      );
    } finally {
      await kc.close();
    }
  }, 60_000);

  it("holds the success line too with org.keycloak.events at debug", async () => {
    const kc = await startDemoKeycloak({ seed: 3, traffic: false, eventsLogLevel: "debug" });
    try {
      await signIns(kc);
      const log = kc.eventLog();
      expect(log).toHaveLength(2);
      expect(log[0]).toMatch(/ DEBUG \[org\.keycloak\.events\] .*type="LOGIN", /);
      expect(log[1]).toMatch(/ WARN {2}\[org\.keycloak\.events\] .*type="LOGIN_ERROR"/);
    } finally {
      await kc.close();
    }
  }, 60_000);
});
