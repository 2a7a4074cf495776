import { describe, expect, it } from "vitest";
import { CATALOGUE, CATALOGUE_VERSION, getRule } from "@/lib/classify/catalogue";
import { CAUSE_IDS, fixPath } from "@/lib/classify/causes";
import { classify, classifyIfFailure, classifyUserEvent } from "@/lib/classify/classify";
import { compileCatalogue } from "@/lib/classify/compile-catalogue";
import { MAX_EVIDENCE_VALUE } from "@/lib/classify/evidence";
import { ruleSpecificity } from "@/lib/classify/rule";
import type { ClassifyInput } from "@/lib/classify/types";

describe("the catalogue", () => {
  it("uses only causes of the vocabulary and unique ids", () => {
    for (const rule of CATALOGUE) expect(CAUSE_IDS).toContain(rule.cause);
    expect(new Set(CATALOGUE.map((r) => r.id)).size).toBe(CATALOGUE.length);
    expect(getRule("userinfo-missing-openid-scope")?.cause).toBe("missing-scope");
  });

  it("keeps confidences within 0..1", () => {
    for (const rule of CATALOGUE) {
      expect(rule.confidence, rule.id).toBeGreaterThan(0);
      expect(rule.confidence, rule.id).toBeLessThanOrEqual(1);
    }
  });

  it("ranks an exact reason above a prefix, a prefix above none, and a condition above all", () => {
    const exact = ruleSpecificity({ error: "invalid_token", reason: "Token is not active" });
    const prefix = ruleSpecificity({ error: "invalid_token", reason: { prefix: "Invalid token issuer." } });
    const none = ruleSpecificity({ error: "invalid_token" });
    const conditioned = ruleSpecificity({
      error: "invalid_token",
      reason: { prefix: "x" },
      condition: "single-private-address",
    });
    expect(exact).toBeGreaterThan(prefix);
    expect(prefix).toBeGreaterThan(none);
    expect(conditioned).toBeGreaterThan(exact);
  });

  it("breaks ties by catalogue order", () => {
    const compiled = compileCatalogue([
      { id: "first", cause: "cors", confidence: 0.5, match: { error: "x" }, evidence: "first" },
      { id: "second", cause: "redirect-uri", confidence: 0.5, match: { error: "x" }, evidence: "second" },
    ]);
    expect(compiled.candidates("LOGIN_ERROR", "x").map((c) => c.rule.id)).toEqual(["first", "second"]);
  });

  it("narrows candidates by origin and HTTP status only where the rule would refuse at once", () => {
    const compiled = compileCatalogue([
      { id: "any", cause: "cors", confidence: 0.5, match: { type: "HTTP_DENIAL" }, evidence: "" },
      {
        id: "log-403",
        cause: "cors",
        confidence: 0.5,
        match: { origin: "access-log", type: "HTTP_DENIAL", http: { status: 403 } },
        evidence: "",
      },
      {
        id: "pattern-403",
        cause: "cors",
        confidence: 0.5,
        match: { type: /^HTTP_/, http: { status: [401, 403] } },
        evidence: "",
      },
      { id: "report", cause: "cors", confidence: 0.5, match: { origin: "report" }, evidence: "" },
    ]);
    const ids = (origin: unknown, http: unknown) =>
      compiled.candidatesFor("HTTP_DENIAL", "", origin, http).map((c) => c.rule.id);
    expect(compiled.candidates("HTTP_DENIAL", "").map((c) => c.rule.id)).toEqual([
      "log-403",
      "any",
      "pattern-403",
      "report",
    ]);
    expect(ids("access-log", { status: 403 })).toEqual(["log-403", "any", "pattern-403"]);
    expect(ids("access-log", { status: 401 })).toEqual(["any", "pattern-403"]);
    // A type pattern is tested before the HTTP check and may throw on odd input, so such a rule stays.
    expect(ids("access-log", undefined)).toEqual(["any", "pattern-403"]);
    expect(ids("access-log", { status: "403" })).toEqual(["any", "pattern-403"]);
    expect(ids("report", { status: 403.5 })).toEqual(["any", "pattern-403", "report"]);
    expect(ids("elsewhere", { status: 403 })).toEqual(["any", "pattern-403"]);
    expect(() =>
      compileCatalogue([
        { id: "s", cause: "cors", confidence: 1, match: { http: { status: 1000 } }, evidence: "" },
      ]),
    ).toThrow("HTTP status");
  });

  it("refuses stateful (global) patterns and duplicate ids", () => {
    expect(() =>
      compileCatalogue([{ id: "g", cause: "cors", confidence: 1, match: { reason: /x/g }, evidence: "" }]),
    ).toThrow("g or y flag");
    expect(() =>
      compileCatalogue([
        { id: "d", cause: "cors", confidence: 1, match: {}, evidence: "" },
        { id: "d", cause: "cors", confidence: 1, match: {}, evidence: "" },
      ]),
    ).toThrow("Duplicate");
  });
});

describe("classify", () => {
  it("writes the evidence as one sentence built from the event's values", () => {
    const result = classify({
      origin: "api",
      type: "USER_INFO_REQUEST_ERROR",
      error: "access_denied",
      details: { reason: "Missing openid scope", auth_method: "validate_access_token" },
    });
    expect(result).toEqual({
      cause: "missing-scope",
      ruleId: "userinfo-missing-openid-scope",
      confidence: 0.97,
      evidence:
        'USER_INFO_REQUEST_ERROR with error access_denied and reason "Missing openid scope": the access token was issued without the openid scope (userinfo requires it since Keycloak 20)',
      fix: fixPath("missing-scope"),
      catalogueVersion: CATALOGUE_VERSION,
    });
  });

  it("adds the proxy suspicion to any failure of a realm whose events all come from one private address", () => {
    const result = classify(
      { origin: "api", type: "LOGIN_ERROR", error: "invalid_user_credentials" },
      { realmAddressProfile: { distinctIps: 1, onlyPrivateIp: "10.0.3.17" } },
    );
    expect(result.cause).toBe("user-credentials");
    expect(result.evidence).toContain("every event of this realm comes from 10.0.3.17");
    const spread = classify(
      { origin: "api", type: "LOGIN_ERROR", error: "invalid_user_credentials" },
      { realmAddressProfile: { distinctIps: 250, onlyPrivateIp: null } },
    );
    expect(spread.evidence).not.toContain("every event");
  });

  it("strengthens proxy-misconfig for cookie and HTTPS failures behind one private address", () => {
    const plain = classify({ origin: "log", type: "LOGIN_ERROR", error: "cookie_not_found" });
    const behindProxy = classify(
      { origin: "log", type: "LOGIN_ERROR", error: "cookie_not_found" },
      { realmAddressProfile: { distinctIps: 1, onlyPrivateIp: "192.168.1.2" } },
    );
    expect(behindProxy.cause).toBe("proxy-misconfig");
    expect(behindProxy.confidence).toBeGreaterThan(plain.confidence);
  });
});

describe("unknown signals from newer servers", () => {
  it.each<[string, ClassifyInput, string[]]>([
    [
      "an unknown event type",
      {
        origin: "api",
        type: "PASSKEY_REGISTER_ERROR",
        error: "passkey_rejected",
        details: { reason: "Authenticator not allowed" },
      },
      ["PASSKEY_REGISTER_ERROR", "passkey_rejected", "Authenticator not allowed"],
    ],
    [
      "a known type with an unknown error",
      { origin: "log", type: "LOGIN_ERROR", error: "org_membership_required" },
      ["LOGIN_ERROR", "org_membership_required"],
    ],
    [
      "a known type and error with an unknown reason",
      {
        origin: "api",
        type: "REFRESH_TOKEN_ERROR",
        error: "invalid_token",
        details: { reason: "Quantum token decohered" },
      },
      ["REFRESH_TOKEN_ERROR", "invalid_token", "Quantum token decohered"],
    ],
    [
      "an access-log status the catalogue cannot explain",
      {
        origin: "access-log",
        type: "HTTP_DENIAL",
        http: { method: "POST", path: "/realms/acme/protocol/openid-connect/token", status: 429 },
      },
      ["429 on POST /realms/acme/protocol/openid-connect/token"],
    ],
  ])("%s → unknown with the raw values", (_name, input, raw) => {
    const result = classify(input);
    expect(result.cause).toBe("unknown");
    expect(result.ruleId).toBe("unknown");
    expect(result.confidence).toBe(0);
    for (const value of raw) expect(result.evidence).toContain(value);
  });
});

describe("hostile and odd input never crashes the classifier", () => {
  it("caps long values and folds control characters in the evidence", () => {
    const result = classify({
      origin: "log",
      type: "LOGIN_ERROR",
      error: "user_not_found",
      details: { username: `${"A".repeat(5000)}\n\u0000<script>` },
    });
    expect(result.cause).toBe("user-credentials");
    expect(result.evidence.length).toBeLessThan(MAX_EVIDENCE_VALUE + 200);
    expect(result.evidence).not.toMatch(/[\n\u0000]/);
  });

  it("keeps HTML in values as text (escaping is the renderer's job) without changing the verdict", () => {
    const result = classify({
      origin: "log",
      type: "LOGIN_ERROR",
      error: "user_not_found",
      details: { username: '<img src=x onerror="alert(1)">' },
    });
    expect(result).toMatchObject({ cause: "user-credentials", ruleId: "user-not-found" });
    expect(result.evidence).toContain('<img src=x onerror="alert(1)">');
  });

  it.each<[string, unknown]>([
    ["a numeric type", { origin: "api", type: 42 }],
    [
      "details that are not an object",
      { origin: "api", type: "LOGIN_ERROR", error: "x", details: "reason=boom" },
    ],
    [
      "a reason that is not a string",
      { origin: "api", type: "LOGIN_ERROR", error: "invalid_token", details: { reason: { toString: null } } },
    ],
    ["an access-log record without request details", { origin: "access-log", type: "HTTP_DENIAL" }],
    [
      "an HTTP denial with odd fields",
      { origin: "access-log", type: "HTTP_DENIAL", http: { method: null, path: 5, status: "403" } },
    ],
    ["a report without claims", { origin: "report", type: "HTTP_DENIAL", report: {} }],
    [
      "a details getter that throws",
      {
        origin: "api",
        type: "LOGIN_ERROR",
        get details() {
          throw new Error("boom");
        },
      },
    ],
  ])("%s", (_name, input) => {
    const result = classify(input as ClassifyInput);
    expect(CAUSE_IDS).toContain(result.cause);
    expect(typeof result.evidence).toBe("string");
  });
});

describe("successes", () => {
  it("return null from classifyIfFailure and classifyUserEvent", () => {
    expect(classifyIfFailure({ origin: "api", type: "LOGIN" })).toBeNull();
    expect(
      classifyIfFailure({
        origin: "access-log",
        type: "HTTP_DENIAL",
        http: { method: "GET", path: "/", status: 200 },
      }),
    ).toBeNull();
    expect(
      classifyUserEvent(
        { time: 1, type: "CODE_TO_TOKEN", details: { grant_type: "authorization_code" } },
        "api",
      ),
    ).toBeNull();
  });

  it("except the lockout events Keycloak sends as successes", () => {
    const lockout = classifyUserEvent(
      {
        time: 1,
        type: "USER_DISABLED_BY_TEMPORARY_LOCKOUT",
        details: { reason: "brute_force_attack detected" },
      },
      "api",
    );
    expect(lockout).toMatchObject({ cause: "user-state", ruleId: "brute-force-lockout" });
  });
});
