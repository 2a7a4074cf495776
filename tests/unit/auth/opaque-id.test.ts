import { describe, expect, it } from "vitest";

process.env.REALMWATCH_SECRET_KEY ??= "unit-tests-only-k3Y8vQ2mR7xN4bW9cT1z";
const { openOpaqueUserId, opaqueUserId } = await import("@/lib/auth/opaque-id");

describe("opaque user ids for viewers", () => {
  const id = "6f1c2d3e-4b5a-4c6d-8e9f-0a1b2c3d4e5f";
  it("hides the id, is the same for the same user, and opens back to it", () => {
    const a = opaqueUserId(id);
    expect(a.startsWith("~")).toBe(true);
    expect(a).not.toContain("6f1c");
    expect(opaqueUserId(id)).toBe(a);
    expect(opaqueUserId(id.toUpperCase())).toBe(a);
    expect(openOpaqueUserId(a)).toBe(id);
    expect(opaqueUserId("f:ldap:jdoe")).not.toBe(a);
    expect(openOpaqueUserId(opaqueUserId("f:ldap:jdoe"))).toBe("f:ldap:jdoe");
  });
  it("refuses forged or altered values", () => {
    const a = opaqueUserId(id);
    const altered = `${a.slice(0, -2)}${a.endsWith("A") ? "B" : "A"}${a.slice(-1)}`;
    expect(openOpaqueUserId(altered)).toBeNull();
    expect(openOpaqueUserId("~AAAA")).toBeNull();
    expect(openOpaqueUserId(id)).toBeNull();
  });
});
