import { describe, expect, it } from "vitest";
import { CAUSE_IDS } from "@/lib/classify/causes";
import { fixLink } from "@/lib/fixes/fix-link";

describe("fix links", () => {
  it.each(CAUSE_IDS)("lead to the fix page of %s", (cause) => {
    expect(fixLink({ cause })).toBe(`/fixes/${cause}`);
  });

  it("carry the realm, client, user and pattern of what is shown, encoded", () => {
    const href = fixLink({
      cause: "missing-role",
      realm: "acme corp",
      clientId: "orders&api",
      userId: "6f1d2c3b-0000-4000-8000-00000000000a",
      pattern: "p-1",
    });
    const url = new URL(href!, "http://x");
    expect(url.pathname).toBe("/fixes/missing-role");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      realm: "acme corp",
      client: "orders&api",
      user: "6f1d2c3b-0000-4000-8000-00000000000a",
      pattern: "p-1",
    });
  });

  it("is absent for no cause or a cause this catalogue does not know", () => {
    expect(fixLink({ cause: null })).toBeNull();
    expect(fixLink({ cause: "cause-from-the-future" })).toBeNull();
    expect(fixLink({ cause: "../admin" })).toBeNull();
  });
});
