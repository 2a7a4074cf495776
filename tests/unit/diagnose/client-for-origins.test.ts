import { describe, expect, it } from "vitest";
import { clientForOrigins } from "@/lib/diagnose/client-for-origins";
import { completeContext, runLiveChecks } from "@/lib/diagnose/run-live-checks";
import { createFakeAdminApi, type FakeRealm } from "@/testkit/fake-admin-api";

/** A realm whose failures name no client: the client is found from the browser origin they carry. */
function realm(): FakeRealm {
  return {
    name: "shop",
    advertisedIssuer: "https://auth.example/realms/shop",
    events: { eventsEnabled: true },
    scopes: [],
    roles: [],
    users: [],
    clients: [
      {
        id: "c1",
        clientId: "spa",
        publicClient: true,
        redirectUris: ["https://www.shop.example/*"],
        webOrigins: ["+"],
      },
      { id: "c2", clientId: "desk", rootUrl: "https://desk.shop.example", redirectUris: ["/*"] },
      { id: "c3", clientId: "other", publicClient: true, webOrigins: ["https://other.example"] },
    ],
  };
}

describe("the client a browser origin points at", () => {
  it("is the one client whose web origins allow the origin (+ reads the redirect URIs)", async () => {
    const { api } = createFakeAdminApi(realm());
    expect(await clientForOrigins(api, "shop", ["https://www.shop.example"])).toMatchObject({
      clientId: "spa",
    });
  });

  it("for a refused origin, is the one public client serving the origin's domain", async () => {
    const { api } = createFakeAdminApi(realm());
    const found = await clientForOrigins(api, "shop", ["https://app.shop.example"]);
    expect(found).toEqual({
      clientId: "spa",
      how: "the only public client serving shop.example, the domain of https://app.shop.example",
    });
  });

  it("is none when several clients fit equally, or the client list cannot be read", async () => {
    const r = realm();
    r.clients[1]!.publicClient = true;
    expect(
      await clientForOrigins(createFakeAdminApi(r).api, "shop", ["https://app.shop.example"]),
    ).toBeNull();
    const denied = createFakeAdminApi(realm(), { deny: ["listClients"] }).api;
    expect(await clientForOrigins(denied, "shop", ["https://app.shop.example"])).toBeNull();
    expect(
      await clientForOrigins(createFakeAdminApi(realm()).api, "shop", ["https://nowhere.test"]),
    ).toBeNull();
  });

  it("lets the web-origins check name the refused origin instead of answering not checked", async () => {
    const { api } = createFakeAdminApi(realm());
    const ctx = await completeContext(api, { realm: "shop", origins: ["https://app.shop.example"] });
    expect(ctx.clientId).toBe("spa");
    const [result] = await runLiveChecks(api, ctx, ["web-origins"]);
    expect(result).toMatchObject({ status: "fail" });
    expect(result?.evidence).toContain("https://app.shop.example is not among the web origins of spa");
  });

  it("leaves a named client alone", async () => {
    const { api, calls } = createFakeAdminApi(realm());
    const ctx = { realm: "shop", clientId: "desk", origins: ["https://www.shop.example"] };
    expect(await completeContext(api, ctx)).toBe(ctx);
    expect(calls).toEqual([]);
  });
});

describe("missing-scope on userinfo", () => {
  it("fails naming openid when Keycloak said Missing openid scope, even without the scope parameter", async () => {
    const r = realm();
    r.scopes = [{ id: "s1", name: "profile" }];
    r.clients[0]!.defaultScopes = ["profile"];
    const { api } = createFakeAdminApi(r);
    const [result] = await runLiveChecks(
      api,
      { realm: "shop", clientId: "spa", endpoint: "userinfo", missingScopes: ["openid"] },
      ["client-scopes"],
    );
    expect(result?.status).toBe("fail");
    expect(result?.evidence).toContain("the access tokens of spa were requested without openid");
  });
});
