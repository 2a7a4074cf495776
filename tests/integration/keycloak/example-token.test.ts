import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KeycloakError } from "@/lib/keycloak/keycloak-error";
import { type Demo, startDemo } from "@/testkit/demo-admin";

/**
 * KeycloakSession#generateExampleAccessToken against a demo Keycloak that checks what Keycloak checks since the
 * fix for CVE-2026-37978 (ClientScopeEvaluateResource: a client-read role, then view-users or manage-users).
 */
let full: Demo;
let clientsOnly: Demo;
let ids: { client: string; user: string };
beforeAll(async () => {
  full = await startDemo(["view-clients", "view-users"]);
  clientsOnly = await startDemo(["view-clients"]);
  const client = await full.api.getClientByClientId("acme", "acme-spa");
  const user = await full.api.findUserByUsername("acme", "viewer");
  ids = { client: client!.id, user: user!.id };
}, 60_000);
afterAll(async () => {
  await full?.kc.close();
  await clientsOnly?.kc.close();
});

describe("the example token", () => {
  it("is the token Keycloak would issue, an unknown scope ignored", async () => {
    const token = await full.api.generateExampleAccessToken("acme", ids.client, {
      userId: ids.user,
      scope: "openid no-such-scope",
    });
    expect(token).toMatchObject({ azp: "acme-spa", preferred_username: "viewer" });
    expect(String(token.scope)).not.toContain("no-such-scope");
  });

  it("names both roles when Keycloak answers 403 to an account holding only view-clients", async () => {
    // The demo seeds the same ids for the same realm whatever the service account holds.
    const err = await clientsOnly.api
      .generateExampleAccessToken("acme", ids.client, { userId: ids.user, scope: "openid" })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KeycloakError);
    expect(err).toMatchObject({
      code: "keycloak_forbidden",
      keycloakStatus: 403,
      role: "view-clients",
      roles: ["view-clients", "view-users"],
    });
    expect((err as KeycloakError).message).toContain('the "view-clients" and "view-users" roles');
  });
});
