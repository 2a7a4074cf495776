import { describe, expect, it } from "vitest";
import { EXAMPLE_TOKEN_ROLES_MISSING } from "@/lib/diagnose/checks/example-token";
import { runLiveChecks } from "@/lib/diagnose/run-live-checks";
import { KeycloakError } from "@/lib/keycloak/keycloak-error";
import { KeycloakSession } from "@/lib/keycloak/session";
import { acmeRealm } from "@/testkit/acme-realm";
import { createFakeAdminApi } from "@/testkit/fake-admin-api";

const ctx = { realm: "acme", clientId: "support-desk", username: "olivia", role: "support-lead" };

describe("example token: a missing role of realmwatch is not a finding", () => {
  it("a 403 from the example-token endpoint is not checked, naming both roles to add", async () => {
    const { api } = createFakeAdminApi(acmeRealm(), { deny: ["generateExampleAccessToken"] });
    const [r] = await runLiveChecks(api, ctx, ["example-token"]);
    expect(r).toMatchObject({ status: "unknown", evidence: EXAMPLE_TOKEN_ROLES_MISSING });
    expect(r!.evidence).toMatch(/lacks a role/);
    expect(r!.evidence).toMatch(/view-clients \(or manage-clients\)/);
    expect(r!.evidence).toMatch(/view-users \(or manage-users\)/);
    expect(r!.comparison).toBeUndefined();
  });

  it("the same realm with both roles: the check finds the problem (fail)", async () => {
    const { api } = createFakeAdminApi(acmeRealm());
    const [r] = await runLiveChecks(api, ctx, ["example-token"]);
    expect(r!.status).toBe("fail");
    expect(r!.evidence).not.toMatch(/lacks a role/);
  });
});

describe("the session's 403 for the example token names both roles", () => {
  it("says view-clients and view-users", async () => {
    const fetchFn = (async (input: RequestInfo | URL) => {
      const url = String(input);
      if (url.endsWith("/protocol/openid-connect/token")) return Response.json({ access_token: "t" });
      return Response.json({ error: "HTTP 403 Forbidden" }, { status: 403 });
    }) as typeof fetch;
    const session = new KeycloakSession({
      serverUrl: "https://kc.example.com",
      authRealm: "acme",
      clientId: "realmwatch",
      clientSecret: "s",
      retries: 0,
      fetch: fetchFn,
    });
    const error = await session
      .generateExampleAccessToken("acme", "c1", { userId: "u1" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KeycloakError);
    expect((error as KeycloakError).message).toContain(
      'lacks the "view-clients" and "view-users" roles of the "realm-management" client in realm "acme"',
    );
  });
});
