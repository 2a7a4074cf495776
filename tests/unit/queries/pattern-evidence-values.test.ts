import { describe, expect, it } from "vitest";
import { summarizeValues } from "@/lib/queries/patterns/pattern-evidence";

describe("summarizeValues", () => {
  it("reads a report's required client roles, which come as objects", () => {
    const required = JSON.stringify({
      realmRoles: ["auditor"],
      clientRoles: [{ clientId: "acme-orders-api", roles: ["orders-admin"] }],
    });
    expect(summarizeValues([{ k: "required", v: required, n: 3 }])).toEqual([
      ["required_role", "acme-orders-api:orders-admin", 3],
      ["required_role", "realm:auditor", 3],
    ]);
  });
});
