import { describe, expect, it } from "vitest";
import { checkContextOf, type PatternForChecks } from "@/lib/diagnose/pattern-check-context";

const pattern = (over: Partial<PatternForChecks>): PatternForChecks => ({
  realm: "acme",
  clientId: null,
  userId: null,
  username: null,
  values: [],
  samples: [],
  ...over,
});

describe("checkContextOf: a pattern's check context from what its failures carried", () => {
  it("reads a report's required client role and the failing token's claims", () => {
    const ctx = checkContextOf(
      pattern({
        clientId: "acme-spa",
        userId: "u-1",
        username: "marco.rossi",
        values: [
          ["required_role", "acme-orders-api:orders-admin", 9],
          ["token_aud", "account", 9],
          ["token_role", "realm:orders-admin", 9],
          ["token_role", "account:view-profile", 9],
          ["token_scope", "email profile", 9],
        ],
      }),
    );
    expect(ctx).toEqual({
      realm: "acme",
      clientId: "acme-spa",
      userId: "u-1",
      username: "marco.rossi",
      role: "orders-admin",
      roleClientId: "acme-orders-api",
      scope: "email profile",
      endpoint: "api",
      seenClaims: {
        aud: ["account"],
        scope: ["email", "profile"],
        realmRoles: ["orders-admin"],
        clientRoles: { account: ["view-profile"] },
      },
    });
  });

  it("takes the realm-management role an admin REST path needs", () => {
    const ctx = checkContextOf(
      pattern({ clientId: "acme-reporting", values: [["endpoint", "GET /admin/realms/acme/users", 5]] }),
    );
    expect(ctx).toMatchObject({ role: "view-users", roleClientId: "realm-management" });
  });

  it("checks the subject token's client for the exchanging client when it is not in the audience", () => {
    const ctx = checkContextOf(
      pattern({
        realm: "internal",
        clientId: "internal-gateway",
        values: [
          ["audience", "internal-billing-api", 4],
          ["reason", "client is not within the token audience", 4],
          ["subject_token_client_id", "internal-portal", 4],
        ],
      }),
    );
    expect(ctx).toMatchObject({ clientId: "internal-portal", audience: "internal-gateway" });
  });

  it("finds the browser origin in the Referer an access log kept, and the userinfo endpoint", () => {
    const ctx = checkContextOf(
      pattern({
        values: [["endpoint", "GET /realms/acme/protocol/openid-connect/userinfo", 3]],
        samples: [{ referer: "https://app.acme.example/checkout" }, { referer: "not a url" }],
      }),
    );
    expect(ctx).toMatchObject({ origins: ["https://app.acme.example"], endpoint: "userinfo" });
  });

  it("carries redirect URIs and issuers as they were sent", () => {
    const ctx = checkContextOf(
      pattern({
        values: [
          ["redirect_uri", "http://shop.retail.example/callback", 2],
          ["token_iss", "https://sso-old.retail.example/realms/retail", 2],
        ],
      }),
    );
    expect(ctx.redirectUris).toEqual(["http://shop.retail.example/callback"]);
    expect(ctx.issuers).toEqual(["https://sso-old.retail.example/realms/retail"]);
  });
});
