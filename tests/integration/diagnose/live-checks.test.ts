import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CheckId, CheckResult, LiveCheckContext } from "@/lib/diagnose/checks/check-types";
import { LIVE_CHECKS, runLiveChecks } from "@/lib/diagnose/run-live-checks";
import { adminRest, type Demo, READ_ROLES, startDemo, WRITE_ROLES } from "@/testkit/demo-admin";

/**
 * The live checks against the demo Keycloak's planted misconfigurations: each check fails, the fix is
 * applied through the Admin REST API as a user of the fix page would, and the same check passes.
 */
let demo: Demo;
let rest: ReturnType<typeof adminRest>;

beforeAll(async () => {
  demo = await startDemo([...READ_ROLES, ...WRITE_ROLES]);
  rest = adminRest(demo.kc, demo.getToken);
});
afterAll(async () => {
  await demo?.kc.close();
});

async function statuses(ctx: LiveCheckContext, ids: CheckId[]): Promise<Record<string, CheckResult>> {
  const results = await runLiveChecks(demo.api, ctx, ids);
  return Object.fromEntries(results.map((r) => [r.id, r]));
}

describe("live checks flip from fail to pass once the fix is applied", () => {
  it("missing-role: the reporting service account gets view-users back", async () => {
    const ctx = { realm: "acme", clientId: "acme-reporting", role: "view-users" };
    const before = await statuses(ctx, ["effective-roles", "example-token"]);
    expect(before["effective-roles"]?.status).toBe("fail");
    expect(before["effective-roles"]?.evidence).toContain(
      "lacks the client role view-users of realm-management",
    );
    expect(before["example-token"]?.status).toBe("fail");

    const rm = await rest.clientUuid("acme", "realm-management");
    const reporting = await rest.clientUuid("acme", "acme-reporting");
    const sa = await rest.call<{ id: string }>("GET", `/acme/clients/${reporting}/service-account-user`);
    const role = await rest.call("GET", `/acme/clients/${rm}/roles/view-users`);
    await rest.call("POST", `/acme/users/${sa.id}/role-mappings/clients/${rm}`, [role]);

    const after = await statuses(ctx, ["effective-roles", "example-token"]);
    expect(after["effective-roles"]?.status).toBe("pass");
    expect(after["example-token"]?.status).toBe("pass");
    expect(after["example-token"]?.comparison?.now.clientRoles["realm-management"]).toContain("view-users");
  });

  it("missing-role: marco.rossi's realm role becomes the client role the orders API checks", async () => {
    const ctx = {
      realm: "acme",
      clientId: "acme-spa",
      username: "marco.rossi",
      role: "orders-admin",
      roleClientId: "acme-orders-api",
    };
    const before = await statuses(ctx, ["effective-roles"]);
    expect(before["effective-roles"]?.status).toBe("fail");
    expect(before["effective-roles"]?.evidence).toContain(
      "holds a realm role orders-admin, which is a different role",
    );

    const orders = await rest.clientUuid("acme", "acme-orders-api");
    const marco = await rest.userId("acme", "marco.rossi");
    const role = await rest.call("GET", `/acme/clients/${orders}/roles/orders-admin`);
    await rest.call("POST", `/acme/users/${marco}/role-mappings/clients/${orders}`, [role]);

    expect((await statuses(ctx, ["effective-roles"]))["effective-roles"]?.status).toBe("pass");
  });

  it("missing-role: support-lead is added to the support desk's scope mappings", async () => {
    const ctx = {
      realm: "acme",
      clientId: "acme-support-desk",
      username: "olivia.martin",
      role: "support-lead",
    };
    const before = await statuses(ctx, ["role-scope", "example-token", "effective-roles"]);
    expect(before["effective-roles"]?.status).toBe("pass");
    expect(before["role-scope"]?.status).toBe("fail");
    expect(before["example-token"]?.comparison?.now.realmRoles).not.toContain("support-lead");

    const desk = await rest.clientUuid("acme", "acme-support-desk");
    const role = await rest.call("GET", "/acme/roles/support-lead");
    await rest.call("POST", `/acme/clients/${desk}/scope-mappings/realm`, [role]);

    const after = await statuses(ctx, ["role-scope", "example-token"]);
    expect(after["role-scope"]?.status).toBe("pass");
    expect(after["example-token"]?.status).toBe("pass");
    expect(after["example-token"]?.comparison?.now.realmRoles).toContain("support-lead");
  });

  it("wrong-audience: an Audience mapper for the gateway on the portal", async () => {
    const ctx = {
      realm: "internal",
      clientId: "internal-portal",
      username: "viewer",
      audience: "internal-gateway",
    };
    const before = await statuses(ctx, ["audience", "example-token"]);
    expect(before.audience?.status).toBe("fail");
    expect(before["example-token"]?.comparison?.now.aud).not.toContain("internal-gateway");

    const portal = await rest.clientUuid("internal", "internal-portal");
    await rest.call("POST", `/internal/clients/${portal}/protocol-mappers/models`, {
      name: "audience-internal-gateway",
      protocol: "openid-connect",
      protocolMapper: "oidc-audience-mapper",
      config: {
        "included.client.audience": "internal-gateway",
        "access.token.claim": "true",
        "id.token.claim": "false",
      },
    });

    const after = await statuses(ctx, ["audience", "example-token"]);
    expect(after.audience?.status).toBe("pass");
    expect(after["example-token"]?.status).toBe("pass");
    expect(after["example-token"]?.comparison?.now.aud).toContain("internal-gateway");
  });

  it("cors: the new origin is added to the SPA's web origins", async () => {
    const ctx = { realm: "acme", clientId: "acme-spa", origins: ["https://app.acme.example"] };
    expect((await statuses(ctx, ["web-origins"]))["web-origins"]?.status).toBe("fail");

    const spa = await rest.clientUuid("acme", "acme-spa");
    const client = await rest.call<{ webOrigins: string[] }>("GET", `/acme/clients/${spa}`);
    await rest.call("PUT", `/acme/clients/${spa}`, {
      ...client,
      webOrigins: [...client.webOrigins, "https://app.acme.example"],
    });

    expect((await statuses(ctx, ["web-origins"]))["web-origins"]?.status).toBe("pass");
  });

  it("redirect-uri: an unregistered URI is registered; a lost port is blamed on the proxy", async () => {
    const ctx = { realm: "acme", clientId: "acme-spa", redirectUris: ["https://shop.acme.example/callback"] };
    const before = (await statuses(ctx, ["redirect-uris"]))["redirect-uris"];
    expect(before?.status).toBe("fail");
    expect(before?.cause).toBeUndefined();

    const spa = await rest.clientUuid("acme", "acme-spa");
    const client = await rest.call<{ redirectUris: string[] }>("GET", `/acme/clients/${spa}`);
    await rest.call("PUT", `/acme/clients/${spa}`, {
      ...client,
      redirectUris: [...client.redirectUris, "https://shop.acme.example/callback"],
    });
    expect((await statuses(ctx, ["redirect-uris"]))["redirect-uris"]?.status).toBe("pass");

    const portal = await statuses(
      {
        realm: "retail",
        clientId: "retail-portal",
        redirectUris: ["https://portal.retail.example/callback"],
      },
      ["redirect-uris"],
    );
    expect(portal["redirect-uris"]).toMatchObject({ status: "fail", cause: "proxy-misconfig" });
    expect(portal["redirect-uris"]?.evidence).toContain("only in port");
  });

  it("proxy-misconfig: the issuer seen in failures against the realm's Frontend URL", async () => {
    const ctx = { realm: "retail", issuers: ["https://sso-old.retail.example/realms/retail"] };
    const before = (await statuses(ctx, ["issuer"])).issuer;
    expect(before?.status).toBe("fail");
    expect(before?.evidence).toContain("different host");

    const realm = await rest.call<{ attributes: Record<string, string> }>("GET", "/retail");
    await rest.call("PUT", "/retail", {
      attributes: { ...realm.attributes, frontendUrl: "https://sso-old.retail.example" },
    });

    expect((await statuses(ctx, ["issuer"])).issuer?.status).toBe("pass");
  });

  it("missing-scope: a scope the client may request, and openid for userinfo", async () => {
    const ctx = { realm: "acme", clientId: "acme-mobile", scope: "openid phone" };
    expect((await statuses(ctx, ["client-scopes"]))["client-scopes"]?.status).toBe("pass");

    const mobile = await rest.clientUuid("acme", "acme-mobile");
    const scopes = await rest.call<{ id: string; name: string }[]>("GET", "/acme/client-scopes");
    const phone = scopes.find((s) => s.name === "phone")!;
    await rest.call("DELETE", `/acme/clients/${mobile}/optional-client-scopes/${phone.id}`);
    expect((await statuses(ctx, ["client-scopes"]))["client-scopes"]?.evidence).toContain("invalid_scope");
    await rest.call("PUT", `/acme/clients/${mobile}/optional-client-scopes/${phone.id}`);
    expect((await statuses(ctx, ["client-scopes"]))["client-scopes"]?.status).toBe("pass");

    const userinfo = { realm: "acme", clientId: "acme-spa", endpoint: "userinfo" as const };
    expect(
      (await statuses({ ...userinfo, scope: "profile email" }, ["client-scopes"]))["client-scopes"]?.status,
    ).toBe("fail");
    expect(
      (await statuses({ ...userinfo, scope: "openid profile email" }, ["client-scopes"]))["client-scopes"]
        ?.status,
    ).toBe("pass");
  });

  it("events: the internal realm starts saving the denial event types", async () => {
    const ctx = { realm: "internal" };
    expect((await statuses(ctx, ["events-config"]))["events-config"]?.status).toBe("fail");

    const config = await rest.call<{ enabledEventTypes: string[] }>("GET", "/internal/events/config");
    await rest.call("PUT", "/internal/events/config", {
      ...config,
      enabledEventTypes: [
        ...config.enabledEventTypes,
        "USER_INFO_REQUEST_ERROR",
        "INTROSPECT_TOKEN_ERROR",
        "REFRESH_TOKEN_ERROR",
        "PERMISSION_TOKEN_ERROR",
      ],
    });

    expect((await statuses(ctx, ["events-config"]))["events-config"]?.status).toBe("pass");
  });
});

describe("live checks with a service account that may only read events", () => {
  let limited: Demo;
  beforeAll(async () => {
    limited = await startDemo(["view-events"]);
  });
  afterAll(async () => {
    await limited?.kc.close();
  });

  it("end as unknown and name the realm-management role each one needs", async () => {
    const ctx: LiveCheckContext = {
      realm: "acme",
      clientId: "acme-spa",
      username: "marco.rossi",
      role: "orders-admin",
      audience: "acme-orders-api",
      scope: "openid",
      origins: ["https://app.acme.example"],
      redirectUris: ["https://www.acme.example/cb"],
      issuers: ["https://sso.acme.example/realms/acme"],
    };
    const results = await runLiveChecks(limited.api, ctx, Object.keys(LIVE_CHECKS) as CheckId[]);
    const byId = Object.fromEntries(results.map((r) => [r.id, r]));
    expect(byId["events-config"]?.status).not.toBe("unknown");
    const expected: Partial<Record<CheckId, string>> = {
      "client-scopes": "view-clients",
      audience: "view-clients",
      "effective-roles": "view-users",
      "role-scope": "view-clients",
      "composite-role": "view-users",
      "web-origins": "view-clients",
      "redirect-uris": "view-clients",
      issuer: "view-realm",
      "example-token": "view-clients",
    };
    for (const [id, role] of Object.entries(expected)) {
      expect(byId[id], id).toMatchObject({ status: "unknown", needsRole: role });
    }
  });
});
