import { describe, expect, it } from "vitest";
import { CAUSE_IDS, fixPath, isCauseId } from "@/lib/classify/causes";
import { isFailure } from "@/lib/keycloak/types";

describe("cause vocabulary", () => {
  it("has the stable ids the API, metrics and fix URLs use", () => {
    expect(CAUSE_IDS).toContain("missing-scope");
    expect(CAUSE_IDS).toContain("unknown");
    expect(isCauseId("toString")).toBe(false);
    expect(fixPath("cors")).toBe("/fixes/cors");
  });
  it("treats lockouts as failures although Keycloak sends them as success events", () => {
    expect(isFailure("USER_DISABLED_BY_TEMPORARY_LOCKOUT")).toBe(true);
    expect(isFailure("LOGIN")).toBe(false);
    expect(isFailure("SOME_FUTURE_TYPE_ERROR")).toBe(true);
  });
});
