import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DemoKeycloak, startDemoKeycloak } from "../src";
import { call, clientToken, manualClock } from "./http-helpers";

const NOW = Date.UTC(2026, 10, 17, 15);
const clock = manualClock(NOW);
let demo: DemoKeycloak;
let admin: string;

/** Keycloak's bootstrap admin: master admin-cli, password grant. */
async function adminToken(): Promise<string> {
  const r = await call(demo, "POST", "/realms/master/protocol/openid-connect/token", {
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: "grant_type=password&client_id=admin-cli&username=admin&password=admin",
  });
  return (r.body as { access_token: string }).access_token;
}

const get = async <T>(path: string): Promise<T> => {
  const r = await call(demo, "GET", `/admin/realms${path}`, { token: admin });
  if (r.status !== 200) throw new Error(`${path}: ${r.status} ${r.text}`);
  return r.body as T;
};
const send = (method: string, path: string, json: unknown) =>
  call(demo, method, `/admin/realms${path}`, { token: admin, json });

type Client = {
  id: string;
  clientId: string;
  redirectUris: string[];
  webOrigins: string[];
  fullScopeAllowed: boolean;
  secret?: string;
};
type Role = { id: string; name: string };
const client = async (realm: string, clientId: string) =>
  (await get<Client[]>(`/${realm}/clients?clientId=${clientId}`))[0]!;
const user = async (realm: string, username: string) =>
  (
    await get<Array<{ id: string }>>(`/${realm}/users?username=${encodeURIComponent(username)}&exact=true`)
  )[0]!;
const exampleToken = async (realm: string, clientUuid: string, userId: string, scope = "openid") =>
  get<Record<string, unknown>>(
    `/${realm}/clients/${clientUuid}/evaluate-scopes/generate-example-access-token?scope=${encodeURIComponent(scope)}&userId=${userId}`,
  );

beforeAll(async () => {
  demo = await startDemoKeycloak({
    seed: 13,
    traffic: { days: 1, eventsPerDay: 200, live: true, now: clock.now },
  });
  admin = await adminToken();
});
afterAll(() => demo.close());

describe("planted misconfigurations, seen and fixed through the admin API", () => {
  it("admin-api-missing-view-users: the service account lacks view-users until it is mapped", async () => {
    const reporting = await client("acme", "acme-reporting");
    const sa = await get<{ id: string; username: string }>(
      `/acme/clients/${reporting.id}/service-account-user`,
    );
    expect(sa.username).toBe("service-account-acme-reporting");
    const mgmt = await client("acme", "realm-management");
    const effective = async () =>
      (await get<Role[]>(`/acme/users/${sa.id}/role-mappings/clients/${mgmt.id}/composite`)).map(
        (r) => r.name,
      );
    expect(await effective()).not.toContain("view-users");
    const saToken = await clientToken(demo, "acme", "acme-reporting", "acme-reporting-secret");
    expect((await call(demo, "GET", "/admin/realms/acme/users?max=1", { token: saToken })).status).toBe(403);

    const roleId = (await get<Role>(`/acme/clients/${mgmt.id}/roles/view-users`)).id;
    expect(
      (
        await send("POST", `/acme/users/${sa.id}/role-mappings/clients/${mgmt.id}`, [
          { id: roleId, name: "view-users" },
        ])
      ).status,
    ).toBe(204);
    expect(await effective()).toEqual(expect.arrayContaining(["view-users", "query-users"]));
    // Keycloak reads roles from the database: the token issued before the fix works now.
    expect((await call(demo, "GET", "/admin/realms/acme/users?max=1", { token: saToken })).status).toBe(200);
    const events = await get<Array<Record<string, unknown>>>(
      `/acme/admin-events?resourceTypes=CLIENT_ROLE_MAPPING&max=1`,
    );
    expect(events[0]).toMatchObject({
      operationType: "CREATE",
      resourcePath: `users/${sa.id}/role-mappings/clients/${mgmt.id}`,
    });
  });

  it("cors-invalid-origin: the SPA's web origins lack the new origin until it is added", async () => {
    const spa = await client("acme", "acme-spa");
    expect(spa.webOrigins).not.toContain("https://app.acme.example");
    const tokenCall = () =>
      call(demo, "POST", "/realms/acme/protocol/openid-connect/token", {
        headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://app.acme.example" },
        body: "grant_type=refresh_token&client_id=acme-spa&refresh_token=expired",
      });
    expect((await tokenCall()).status).toBe(403);
    expect(
      (
        await send("PUT", `/acme/clients/${spa.id}`, {
          ...spa,
          webOrigins: [...spa.webOrigins, "https://app.acme.example"],
        })
      ).status,
    ).toBe(204);
    expect(await tokenCall()).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
  });

  it("redirect-uri-scheme-lost: https is registered while the shop sends http", async () => {
    const shop = await client("retail", "retail-shop");
    expect(shop.redirectUris).toEqual(["https://shop.retail.example/*"]);
    const auth = () =>
      fetch(
        `${demo.url}/realms/retail/protocol/openid-connect/auth?client_id=retail-shop&response_type=code&redirect_uri=${encodeURIComponent("http://shop.retail.example/callback")}`,
      );
    expect((await auth()).status).toBe(400);
    await send("PUT", `/retail/clients/${shop.id}`, {
      redirectUris: [...shop.redirectUris, "http://shop.retail.example/*"],
    });
    expect((await auth()).status).toBe(200);
  });

  it("token-exchange-audience: the portal's tokens lack the gateway audience until a mapper adds it", async () => {
    const portal = await client("internal", "internal-portal");
    const viewer = await user("internal", "viewer");
    const aud = async () => [(await exampleToken("internal", portal.id, viewer.id)).aud].flat();
    expect(await aud()).not.toContain("internal-gateway");
    const created = await send("POST", `/internal/clients/${portal.id}/protocol-mappers/models`, {
      name: "gateway-audience",
      protocol: "openid-connect",
      protocolMapper: "oidc-audience-mapper",
      config: { "included.client.audience": "internal-gateway", "access.token.claim": "true" },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get("location")).toMatch(/\/protocol-mappers\/models\/[0-9a-f-]{36}$/);
    expect(await aud()).toContain("internal-gateway");
    expect(
      (
        await send("POST", `/internal/clients/${portal.id}/protocol-mappers/models`, {
          name: "gateway-audience",
          protocolMapper: "oidc-audience-mapper",
        })
      ).status,
    ).toBe(409);
  });

  it("realm-role-instead-of-client-role: marco has the realm role, the API wants the client role", async () => {
    const spa = await client("acme", "acme-spa");
    const api = await client("acme", "acme-orders-api");
    const marco = await user("acme", "marco.rossi");
    expect((await get<Role[]>(`/acme/users/${marco.id}/role-mappings/realm`)).map((r) => r.name)).toContain(
      "orders-admin",
    );
    const access = async () =>
      ((await exampleToken("acme", spa.id, marco.id)).resource_access ?? {}) as Record<
        string,
        { roles: string[] }
      >;
    expect((await access())["acme-orders-api"]).toBeUndefined();
    const roleId = (await get<Role>(`/acme/clients/${api.id}/roles/orders-admin`)).id;
    await send("POST", `/acme/users/${marco.id}/role-mappings/clients/${api.id}`, [
      { id: roleId, name: "orders-admin" },
    ]);
    expect((await access())["acme-orders-api"]!.roles).toContain("orders-admin");
    expect(
      (
        await send("POST", `/acme/users/${marco.id}/role-mappings/clients/${api.id}`, [
          { id: "nope", name: "orders-admin" },
        ])
      ).status,
    ).toBe(404);
  });

  it("composite-role-not-in-scope: only the composite's children are in the support desk's scope", async () => {
    const desk = await client("acme", "acme-support-desk");
    const olivia = await user("acme", "olivia.martin");
    expect(desk.fullScopeAllowed).toBe(false);
    expect((await get<Role[]>(`/acme/roles/support-lead/composites`)).map((r) => r.name).sort()).toEqual([
      "support-agent",
      "support-viewer",
    ]);
    expect(
      (await get<Role[]>(`/acme/clients/${desk.id}/scope-mappings/realm`)).map((r) => r.name).sort(),
    ).toEqual(["support-agent", "support-viewer"]);
    const roles = async () =>
      ((await exampleToken("acme", desk.id, olivia.id)).realm_access as { roles: string[] }).roles;
    expect(await roles()).toEqual(expect.arrayContaining(["support-agent", "support-viewer"]));
    expect(await roles()).not.toContain("support-lead");
    await send("PUT", `/acme/clients/${desk.id}`, { fullScopeAllowed: true });
    expect(await roles()).toContain("support-lead");
  });

  it("brute-force-lockout: her sign-in after the attack cleared the failures; an unlock answers 204", async () => {
    const lena = await user("acme", "lena.vogel");
    // The attack was three hours ago and she signed in half an hour after it: a successful login removes the
    // login failure record (DefaultBruteForceProtector#successfulLogin).
    expect(await get(`/acme/attack-detection/brute-force/users/${lena.id}`)).toMatchObject({
      disabled: false,
      numFailures: 0,
    });
    expect(
      (
        await call(demo, "DELETE", `/admin/realms/acme/attack-detection/brute-force/users/${lena.id}`, {
          token: admin,
        })
      ).status,
    ).toBe(204);
    expect(await get(`/acme/attack-detection/brute-force/users/${lena.id}`)).toMatchObject({
      disabled: false,
      numFailures: 0,
    });
  });

  it("expired-refresh-tokens: SSO Session Idle is 5 minutes until raised", async () => {
    expect(await get(`/acme`)).toMatchObject({ ssoSessionIdleTimeout: 300 });
    expect((await send("PUT", `/acme`, { ssoSessionIdleTimeout: 1800 })).status).toBe(204);
    expect(await get(`/acme`)).toMatchObject({ ssoSessionIdleTimeout: 1800 });
    const updates = await get<Array<Record<string, unknown>>>(
      `/acme/admin-events?operationTypes=UPDATE&resourceTypes=REALM&max=1`,
    );
    expect(updates[0]).not.toHaveProperty("resourcePath");
  });

  it("userinfo-missing-openid: the scope the SPA requests gives a token without openid", async () => {
    const spa = await client("acme", "acme-spa");
    const viewer = await user("acme", "viewer");
    expect((await exampleToken("acme", spa.id, viewer.id, "profile email")).scope).toBe("email profile");
    expect((await exampleToken("acme", spa.id, viewer.id, "openid profile email")).scope).toBe(
      "openid email profile",
    );
  });

  it("ends the live incidents whose causes were fixed", () => {
    clock.t = NOW + 10 * 60_000;
    demo.tick();
    const ended = demo
      .incidents()
      .filter((i) => i.end !== null && i.end > NOW)
      .map((i) => i.id);
    expect(ended.sort()).toEqual(
      [
        "admin-api-missing-view-users",
        "composite-role-not-in-scope",
        "cors-invalid-origin",
        "expired-refresh-tokens",
        "realm-role-instead-of-client-role",
        "redirect-uri-scheme-lost",
        "token-exchange-audience",
      ].sort(),
    );
  });
});

describe("access control and lookups of the configuration endpoints", () => {
  // The clock moved past the first token's lifespan.
  beforeAll(async () => {
    admin = await adminToken();
  });

  it("refuses writes without manage roles and answers Keycloak's 404s", async () => {
    const reader = await clientToken(demo, "master", "realmwatch", "realmwatch-demo-secret");
    const spa = await client("acme", "acme-spa");
    expect((await call(demo, "GET", `/admin/realms/acme/clients/${spa.id}`, { token: reader })).status).toBe(
      200,
    );
    expect(
      (await call(demo, "GET", `/admin/realms/acme/clients/${spa.id}`, { token: reader })).body,
    ).not.toHaveProperty("secret");
    expect(
      (
        await call(demo, "PUT", `/admin/realms/acme/clients/${spa.id}`, {
          token: reader,
          json: { webOrigins: ["*"] },
        })
      ).status,
    ).toBe(403);
    expect(await call(demo, "GET", "/admin/realms/acme/clients/nope", { token: admin })).toMatchObject({
      status: 404,
      body: { error: "Could not find client" },
    });
    expect(await call(demo, "GET", "/admin/realms/acme/users/nope", { token: admin })).toMatchObject({
      status: 404,
      body: { error: "User not found" },
    });
  });

  it("finds users by exact username, including a hostile one, and leaves service accounts out of search", async () => {
    const hostile = await get<Array<{ username: string }>>(
      `/acme/users?username=${encodeURIComponent("<img src=x onerror=alert(1)>")}&exact=true`,
    );
    expect(hostile[0]!.username).toBe("<img src=x onerror=alert(1)>");
    const search = await get<Array<{ username: string }>>(`/acme/users?search=service-account&max=-1`);
    expect(search).toEqual([]);
  });
});
