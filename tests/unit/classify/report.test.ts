import { describe, expect, it } from "vitest";
import { classify } from "@/lib/classify/classify";
import { decideReportCause, REPORT_VERDICTS } from "@/lib/classify/decide-report-cause";
import type { ReportVerdict, ResourceServerReport, TokenClaims } from "@/lib/classify/types";

const NOW = Date.UTC(2025, 5, 3, 9, 0, 0);
const NOW_S = NOW / 1000;
const ISSUER = "https://auth.example.com/realms/acme";

/** A token that satisfies the default requirements; each case changes one thing. */
const GOOD: TokenClaims = {
  iss: ISSUER,
  sub: "5f0c6a7e",
  azp: "shop-frontend",
  aud: ["orders-api", "account"],
  exp: NOW_S + 240,
  iat: NOW_S - 60,
  scope: "openid profile orders.read",
  realm_access: { roles: ["default-roles-acme", "customer"] },
  resource_access: { "orders-api": { roles: ["order-reader"] } },
};

function report(
  claims: Partial<TokenClaims>,
  extra: Partial<ResourceServerReport> = {},
): ResourceServerReport {
  return {
    method: "GET",
    path: "/api/orders",
    status: 403,
    time: NOW,
    required: {
      realmRoles: ["customer"],
      clientRoles: [{ clientId: "orders-api", roles: ["order-reader"] }],
      audience: ["orders-api"],
      scopes: ["orders.read"],
    },
    claims: { ...GOOD, ...claims },
    ...extra,
  };
}

const CASES: { verdict: ReportVerdict; why: string; report: ResourceServerReport; evidence: string }[] = [
  {
    verdict: "token-expired",
    why: "exp in the past",
    report: report({ exp: NOW_S - 600 }),
    evidence: "expired 10 min before",
  },
  {
    verdict: "token-not-yet-valid",
    why: "nbf beyond the clock skew",
    report: report({ nbf: NOW_S + 300 }),
    evidence: "clock is behind",
  },
  {
    verdict: "issuer-other-host",
    why: "iss is the same realm under another hostname",
    report: report({ iss: "http://keycloak:8080/realms/acme" }),
    evidence: "another hostname",
  },
  {
    verdict: "wrong-audience",
    why: "aud lacks the API",
    report: report({ aud: "account" }),
    evidence: "requires audience orders-api",
  },
  {
    verdict: "missing-scope",
    why: "scope lacks orders.read",
    report: report({ scope: "openid profile" }),
    evidence: "requires scope orders.read",
  },
  {
    verdict: "role-kind-mismatch",
    why: "the realm role is in the token as a client role",
    report: report({
      realm_access: { roles: ["default-roles-acme"] },
      resource_access: { "orders-api": { roles: ["order-reader", "customer"] } },
    }),
    evidence: "as a client role of orders-api",
  },
  {
    verdict: "role-kind-mismatch",
    why: "the client role is in the token as a realm role",
    report: report({
      realm_access: { roles: ["customer", "order-reader"] },
      resource_access: {},
    }),
    evidence: "carries it as a realm role",
  },
  {
    verdict: "composite-children-only",
    why: "the token has a composite's parts but not the composite",
    report: report(
      { realm_access: { roles: ["customer-basic", "customer-orders"] } },
      { compositeOf: { customer: ["customer-basic", "customer-orders"] } },
    ),
    evidence: "given the parts, not the composite",
  },
  {
    verdict: "composite-not-expanded",
    why: "the token has the composite but not the required part",
    report: report(
      { realm_access: { roles: ["staff"] } },
      { compositeOf: { staff: ["customer", "employee"] } },
    ),
    evidence: "Full scope allowed off",
  },
  {
    verdict: "missing-role",
    why: "the role is nowhere in the token",
    report: report(
      { realm_access: { roles: ["default-roles-acme"] } },
      { knownRealmRoles: ["default-roles-acme"] },
    ),
    evidence: "the realm has no such role",
  },
  {
    verdict: "unexplained",
    why: "the token satisfies every requirement",
    report: report({}),
    evidence: "outside the token",
  },
];

describe("decideReportCause: one test per verdict", () => {
  it.each(CASES)("$verdict: $why", (c) => {
    const decision = decideReportCause(c.report, { knownIssuers: [ISSUER] });
    expect(decision.verdict).toBe(c.verdict);
    expect(decision.cause).toBe(REPORT_VERDICTS[c.verdict].cause);
    expect(decision.evidence).toContain(c.evidence);
  });

  it("checks lifetime before audience: an expired token with a wrong audience is expired", () => {
    expect(decideReportCause(report({ exp: NOW_S - 5, aud: "account" })).verdict).toBe("token-expired");
  });

  it("reads a hostile report as absent fields, never throwing", () => {
    const hostile = {
      method: "GET",
      path: "/x",
      status: 403,
      required: { realmRoles: "admin", clientRoles: [null, { clientId: 5 }], audience: [1, null] },
      claims: {
        resource_access: { __proto__: { roles: ["x"] }, constructor: "nope" },
        realm_access: "x",
        aud: { a: 1 },
      },
      compositeOf: null,
    } as unknown as ResourceServerReport;
    expect(() => decideReportCause(hostile)).not.toThrow();
  });
});

describe("classify, origin report", () => {
  it("gives the verdict's cause, the report rule and the decision as evidence", () => {
    const result = classify({
      origin: "report",
      type: "HTTP_DENIAL",
      http: { method: "GET", path: "/api/orders", status: 403 },
      report: report({ aud: "account" }),
    });
    expect(result).toMatchObject({ cause: "wrong-audience", ruleId: "report-wrong-audience" });
    expect(result.evidence).toBe(
      "403 on GET /api/orders at the resource server: the API requires audience orders-api but the token's aud is account",
    );
  });

  it("falls back to unknown, with the decision as evidence, when the token explains nothing", () => {
    const result = classify({
      origin: "report",
      type: "HTTP_DENIAL",
      http: { method: "GET", path: "/api/orders", status: 403 },
      report: report({}),
    });
    expect(result).toMatchObject({ cause: "unknown", ruleId: "unknown" });
    expect(result.evidence).toContain("outside the token");
  });
});
