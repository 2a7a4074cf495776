import { describe, expect, it } from "vitest";
import type { CheckTarget } from "@/lib/diagnose/pattern-check-context";
import { tokenPrefillOf } from "@/lib/diagnose/token-prefill";

const target = (context: CheckTarget["context"], values: CheckTarget["values"] = []): CheckTarget => ({
  sourceId: "00000000-0000-4000-8000-000000000001",
  cause: "missing-role",
  context,
  values,
  failures: 3,
});

describe("the token analyzer opened from a failure", () => {
  it("starts with the realm and the API's requirements the failure carried", () => {
    const prefill = tokenPrefillOf(
      target(
        {
          realm: "acme",
          clientId: "acme-spa",
          role: "orders-admin",
          roleClientId: "acme-orders-api",
          endpoint: "api",
          issuers: ["https://auth.acme.example/realms/acme"],
        },
        [["required_scope", "orders:write", 3]],
      ),
      { event: "e1", source: "00000000-0000-4000-8000-000000000001" },
    );
    expect(prefill).toEqual({
      realm: "acme",
      clientId: "acme-spa",
      clientRoles: "orders-admin",
      roleClient: "acme-orders-api",
      scopes: "orders:write",
      endpoint: "api",
      issuers: "https://auth.acme.example/realms/acme",
      event: "e1",
      source: "00000000-0000-4000-8000-000000000001",
    });
  });

  it("names a realm role as one, and the audience and userinfo endpoint when that is what was refused", () => {
    expect(tokenPrefillOf(target({ realm: "acme", role: "support-lead" }), { pattern: "p" })).toMatchObject({
      realmRoles: "support-lead",
      pattern: "p",
    });
    expect(
      tokenPrefillOf(target({ realm: "internal", audience: "internal-gateway", endpoint: "userinfo" }), {
        pattern: "p",
      }),
    ).toMatchObject({ audience: "internal-gateway", endpoint: "userinfo" });
  });
});
