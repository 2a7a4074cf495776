import { describe, expect, it } from "vitest";
import { classify } from "@/lib/classify/classify";
import { impersonatorDetails, impersonatorLabel, USER_SESSION_DELETED } from "@/lib/keycloak/session-events";
import { isFailure } from "@/lib/keycloak/types";

describe("session and impersonation vocabulary", () => {
  it("USER_SESSION_DELETED (26.5) is an ended session, not a failure", () => {
    expect(isFailure(USER_SESSION_DELETED)).toBe(false);
    expect(isFailure(`${USER_SESSION_DELETED}_ERROR`, "x")).toBe(true);
  });

  it("a type realmwatch does not know is classified as unknown with its raw values kept", () => {
    for (const type of [`${USER_SESSION_DELETED}_ERROR`, "SOME_FUTURE_TYPE_ERROR"]) {
      const c = classify({ origin: "api", type, error: "some_error", details: { reason: "expired" } });
      expect(c).toMatchObject({ cause: "unknown", ruleId: "unknown", confidence: 0 });
      expect(c.evidence).toContain(type);
      expect(c.evidence).toContain("some_error");
    }
  });

  it("takes every impersonator detail, and nothing else", () => {
    expect(
      impersonatorDetails({
        impersonator: "ops.admin",
        impersonator_realm: "master",
        impersonator_id: "u-1",
        username: "marco",
        impersonator_empty: "",
      }),
    ).toEqual({ impersonator: "ops.admin", impersonator_realm: "master", impersonator_id: "u-1" });
    expect(impersonatorDetails({ username: "marco" })).toBeNull();
    expect(impersonatorDetails(null)).toBeNull();
  });

  it("names the impersonator with the realm", () => {
    expect(impersonatorLabel({ impersonator: "ops.admin", impersonator_realm: "master" })).toBe(
      "ops.admin (realm master)",
    );
    expect(impersonatorLabel({ impersonator_id: "u-1" })).toBe("u-1");
    expect(impersonatorLabel({ impersonator_realm: "master" })).toBeNull();
  });
});
