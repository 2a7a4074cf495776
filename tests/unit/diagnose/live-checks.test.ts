import { describe, expect, it } from "vitest";
import { CAUSE_IDS } from "@/lib/classify/causes";
import type { CheckId, CheckResult, LiveCheckContext } from "@/lib/diagnose/checks/check-types";
import { CHECKS_FOR_CAUSE, LIVE_CHECKS, runLiveChecks } from "@/lib/diagnose/run-live-checks";
import { acmeRealm } from "@/testkit/acme-realm";
import { audienceMapper, createFakeAdminApi, type FakeRealm } from "@/testkit/fake-admin-api";

async function check(
  id: CheckId,
  ctx: Omit<LiveCheckContext, "realm">,
  realm: FakeRealm = acmeRealm(),
): Promise<CheckResult> {
  const { api } = createFakeAdminApi(realm);
  const [result] = await runLiveChecks(api, { realm: "acme", ...ctx }, [id]);
  return result!;
}

describe("client-scopes", () => {
  it("fails when the client requests a scope it does not have (invalid_scope)", async () => {
    const r = await check("client-scopes", { clientId: "spa", scope: "openid orders:read" });
    expect(r.status).toBe("fail");
    expect(r.evidence).toContain(
      "requests orders:read, which is neither a default nor an optional client scope",
    );
  });

  it("fails for userinfo when the client never requests openid, and passes when it does", async () => {
    const without = await check("client-scopes", {
      clientId: "spa",
      scope: "profile email",
      endpoint: "userinfo",
    });
    expect(without.status).toBe("fail");
    expect(without.evidence).toContain("without openid");
    const withOpenid = await check("client-scopes", {
      clientId: "spa",
      scope: "openid address",
      endpoint: "userinfo",
    });
    expect(withOpenid.status).toBe("pass");
  });

  it("cannot judge openid when the scope parameter is not known", async () => {
    const r = await check("client-scopes", { clientId: "spa", endpoint: "userinfo" });
    expect(r.status).toBe("unknown");
  });

  it("fails for a client the realm does not have", async () => {
    const r = await check("client-scopes", { clientId: "ghost", scope: "openid" });
    expect(r).toMatchObject({ status: "fail", evidence: "Realm acme has no client ghost." });
  });
});

describe("audience", () => {
  it("fails when nothing adds the API to aud", async () => {
    const r = await check("audience", { clientId: "spa", audience: "billing-api", username: "alice" });
    expect(r.status).toBe("fail");
    expect(r.evidence).toContain("Nothing adds billing-api to aud");
  });

  it("fails when only an optional scope adds it and the client does not request that scope", async () => {
    const r = await check("audience", {
      clientId: "spa",
      audience: "orders-api",
      username: "alice",
      scope: "openid",
    });
    expect(r.status).toBe("fail");
    expect(r.evidence).toContain("send scope=orders-audience");
    expect(
      (await check("audience", { clientId: "spa", audience: "orders-api", scope: "openid orders-audience" }))
        .status,
    ).toBe("pass");
  });

  it("passes with an Audience mapper on the client itself", async () => {
    const realm = acmeRealm();
    realm.clients[0]!.mappers = [audienceMapper("billing", "billing-api")];
    const r = await check("audience", { clientId: "spa", audience: "billing-api" }, realm);
    expect(r).toMatchObject({
      status: "pass",
      evidence: "The Audience mapper billing of spa adds billing-api to aud.",
    });
  });

  it("passes through Audience Resolve when the user holds a client role of the API", async () => {
    const r = await check("audience", { clientId: "spa", audience: "orders-api", username: "bob" });
    expect(r.status).toBe("pass");
    expect(r.evidence).toContain("Audience Resolve");
  });
});

describe("effective-roles", () => {
  it("fails for a service account without the realm-management role an admin call needs", async () => {
    const r = await check("effective-roles", { clientId: "reporting", role: "view-users" });
    expect(r.status).toBe("fail");
    expect(r.evidence).toBe(
      "The service account service-account-reporting lacks the client role view-users of realm-management. Its roles of realm-management: query-users, view-events.",
    );
  });

  it("spots a realm role assigned where the API checks the client role", async () => {
    const r = await check("effective-roles", {
      username: "alice",
      role: "reader",
      roleClientId: "orders-api",
    });
    expect(r.status).toBe("fail");
    expect(r.evidence).toContain("It holds a realm role reader, which is a different role");
  });

  it("passes for a role held through a composite", async () => {
    const r = await check("effective-roles", { username: "olivia", role: "support-agent" });
    expect(r.status).toBe("pass");
  });
});

describe("role-scope", () => {
  it("fails when Full scope allowed is off and the role is not in the scope mappings", async () => {
    const r = await check("role-scope", { clientId: "support-desk", role: "support-lead" });
    expect(r.status).toBe("fail");
    expect(r.evidence).toContain("not in its scope mappings (support-agent, support-viewer)");
  });

  it("passes for a role inside a mapped composite", async () => {
    const realm = acmeRealm();
    realm.clients[4]!.scopeMappings = ["r-lead"];
    const r = await check("role-scope", { clientId: "support-desk", role: "support-viewer" }, realm);
    expect(r).toMatchObject({ status: "pass" });
    expect(r.evidence).toContain("through the composite support-lead");
  });

  it("fails when the roles client scope is gone: no role claims at all", async () => {
    const realm = acmeRealm();
    realm.clients[0]!.defaultScopes = ["basic", "profile"];
    const r = await check("role-scope", { clientId: "spa", role: "reader" }, realm);
    expect(r.status).toBe("fail");
    expect(r.evidence).toContain("roles client scope is not a default scope");
  });

  it("passes with Full scope allowed", async () => {
    expect((await check("role-scope", { clientId: "spa", role: "reader" })).status).toBe("pass");
  });
});

describe("composite-role", () => {
  it("names the composite that grants the role", async () => {
    const r = await check("composite-role", { username: "olivia", role: "support-viewer" });
    expect(r).toMatchObject({
      status: "pass",
      evidence: "olivia gets the realm role support-viewer through the composite support-lead.",
    });
  });

  it("lists the composites held and their contents when none contains the role", async () => {
    const r = await check("composite-role", { username: "olivia", role: "reader" });
    expect(r.status).toBe("fail");
    expect(r.evidence).toContain("support-lead (support-agent, support-viewer)");
  });
});

describe("web-origins", () => {
  it("fails for an origin not listed, and passes once it is", async () => {
    const realm = acmeRealm();
    const r = await check("web-origins", { clientId: "spa", origins: ["https://shop.acme.example"] }, realm);
    expect(r.status).toBe("fail");
    realm.clients[0]!.webOrigins!.push("https://shop.acme.example");
    expect(
      (await check("web-origins", { clientId: "spa", origins: ["https://shop.acme.example"] }, realm)).status,
    ).toBe("pass");
  });

  it("derives origins from the redirect URIs for +", async () => {
    expect(
      (await check("web-origins", { clientId: "support-desk", origins: ["https://support.acme.example"] }))
        .status,
    ).toBe("pass");
    expect(
      (await check("web-origins", { clientId: "support-desk", origins: ["http://support.acme.example"] }))
        .status,
    ).toBe("fail");
  });
});

describe("redirect-uris", () => {
  it("accepts wildcard and relative registrations", async () => {
    const r = await check("redirect-uris", {
      clientId: "spa",
      redirectUris: ["https://www.acme.example/cart?x=1", "https://www.acme.example/silent-check-sso.html"],
    });
    expect(r.status).toBe("pass");
  });

  it("blames the proxy when only the scheme differs", async () => {
    const r = await check("redirect-uris", {
      clientId: "spa",
      redirectUris: ["http://www.acme.example/callback"],
    });
    expect(r).toMatchObject({ status: "fail", cause: "proxy-misconfig" });
    expect(r.evidence).toContain("only in scheme");
  });

  it("reports an unregistered URI", async () => {
    const r = await check("redirect-uris", { clientId: "spa", redirectUris: ["https://evil.example/cb"] });
    expect(r.status).toBe("fail");
    expect(r.cause).toBeUndefined();
  });
});

describe("issuer", () => {
  it("fails when failing tokens came from another host than the realm's issuer", async () => {
    const r = await check("issuer", { issuers: ["https://old-auth.acme.example/realms/acme"] });
    expect(r.status).toBe("fail");
    expect(r.evidence).toContain("different host");
  });

  it("uses the realm's Frontend URL when set", async () => {
    const realm = acmeRealm();
    realm.attributes = { frontendUrl: "https://sso.acme.example" };
    expect((await check("issuer", { issuers: ["https://sso.acme.example/realms/acme"] }, realm)).status).toBe(
      "pass",
    );
    const r = await check("issuer", { issuers: ["http://sso.acme.example/realms/acme"] }, realm);
    expect(r.evidence).toContain("X-Forwarded-Proto");
  });

  it("asks for view-realm when only a partial realm representation comes back", async () => {
    const realm = acmeRealm();
    realm.attributes = undefined;
    const r = await check("issuer", { issuers: ["https://auth.acme.example/realms/acme"] }, realm);
    expect(r).toMatchObject({ status: "unknown", needsRole: "view-realm" });
  });
});

describe("events-config", () => {
  it("names the denial types that are not saved", async () => {
    const r = await check("events-config", {});
    expect(r.status).toBe("fail");
    expect(r.evidence).toContain(
      "USER_INFO_REQUEST_ERROR, INTROSPECT_TOKEN_ERROR, REFRESH_TOKEN_ERROR, PERMISSION_TOKEN_ERROR",
    );
  });

  it("fails when events are not saved at all, passes when everything is", async () => {
    const realm = acmeRealm();
    realm.events = { eventsEnabled: false };
    expect((await check("events-config", {}, realm)).evidence).toContain("Save events is off");
    realm.events = {
      eventsEnabled: true,
      enabledEventTypes: [
        "LOGIN_ERROR",
        "USER_INFO_REQUEST_ERROR",
        "INTROSPECT_TOKEN_ERROR",
        "REFRESH_TOKEN_ERROR",
        "PERMISSION_TOKEN_ERROR",
      ],
    };
    expect((await check("events-config", {}, realm)).status).toBe("pass");
  });
});

describe("example-token", () => {
  it("shows before and after a fix: aud lacked the API, the new token has it", async () => {
    const realm = acmeRealm();
    const ctx = {
      clientId: "spa",
      username: "alice",
      audience: "billing-api",
      seenClaims: { aud: ["account"], scope: ["openid"], realmRoles: ["reader"], clientRoles: {} },
    };
    const before = await check("example-token", ctx, realm);
    expect(before.status).toBe("fail");
    expect(before.comparison?.before?.aud).toEqual(["account"]);
    expect(before.comparison?.now.aud).not.toContain("billing-api");
    realm.clients[0]!.mappers = [audienceMapper("billing", "billing-api")];
    const after = await check("example-token", ctx, realm);
    expect(after.status).toBe("pass");
    expect(after.comparison?.now.aud).toContain("billing-api");
    expect(after.comparison?.needed).toEqual({ audience: "billing-api" });
  });

  it("fails when a role is filtered out by the client's scope", async () => {
    const r = await check("example-token", {
      clientId: "support-desk",
      username: "olivia",
      role: "support-lead",
    });
    expect(r.status).toBe("fail");
    expect(r.comparison?.now.realmRoles).toEqual(expect.arrayContaining(["support-agent", "support-viewer"]));
    expect(r.comparison?.now.realmRoles).not.toContain("support-lead");
  });
});

describe("runLiveChecks", () => {
  const everything: LiveCheckContext = {
    realm: "acme",
    clientId: "spa",
    username: "alice",
    role: "reader",
    audience: "orders-api",
    scope: "openid",
    origins: ["https://www.acme.example"],
    redirectUris: ["https://www.acme.example/cb"],
    issuers: ["https://auth.acme.example/realms/acme"],
  };

  /** The first call each check makes decides which role a 403 asks for. */
  const NEEDS: Record<CheckId, string> = {
    "client-scopes": "view-clients",
    audience: "view-clients",
    "effective-roles": "view-users",
    "role-scope": "view-clients",
    "composite-role": "view-users",
    "web-origins": "view-clients",
    "redirect-uris": "view-clients",
    issuer: "view-realm",
    "events-config": "view-events",
    "example-token": "view-clients",
  };

  it("turns a 403 into unknown naming exactly the realm-management role needed", async () => {
    const { api } = createFakeAdminApi(acmeRealm(), { deny: "all" });
    const ids = Object.keys(LIVE_CHECKS) as CheckId[];
    const results = await runLiveChecks(api, everything, ids);
    for (const r of results) {
      expect(r.status, r.id).toBe("unknown");
      expect(r.needsRole, r.id).toBe(NEEDS[r.id]);
    }
  });

  it("asks Keycloak once for what several checks share", async () => {
    const { api, calls } = createFakeAdminApi(acmeRealm());
    await runLiveChecks(api, everything, [
      "client-scopes",
      "audience",
      "web-origins",
      "redirect-uris",
      "example-token",
    ]);
    expect(calls.filter((c) => c === "getClientByClientId").length).toBe(2); // spa, and orders-api for Audience Resolve
    expect(calls.filter((c) => c === "listDefaultClientScopes").length).toBe(1);
  });

  it("says what is missing instead of guessing", async () => {
    const { api } = createFakeAdminApi(acmeRealm());
    const [r] = await runLiveChecks(api, { realm: "acme", clientId: "spa" }, ["web-origins"]);
    expect(r).toMatchObject({
      status: "unknown",
      evidence: "Not enough to check: the failures name no browser origin.",
    });
  });

  it("offers live checks on every cause's fix page", () => {
    for (const cause of CAUSE_IDS) expect(CHECKS_FOR_CAUSE[cause].length, cause).toBeGreaterThan(0);
  });
});
