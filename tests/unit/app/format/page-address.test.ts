import { describe, expect, it } from "vitest";
import { drilldownAddress } from "@/app/_components/format/page-address";

describe("drilldownAddress", () => {
  it("decodes the segments, keeps their order in the page's own path, and re-encodes them", async () => {
    const a = await drilldownAddress(
      "/clients",
      ["realm", "clientId"],
      Promise.resolve({ realm: "acme", clientId: "orders%2Fapi%20v2" }),
      Promise.resolve({ tz: "Europe/Paris" }),
    );
    expect(a.path).toEqual({ realm: "acme", clientId: "orders/api v2" });
    expect(a.self).toBe("/clients/acme/orders%2Fapi%20v2");
    expect(a.query.get("tz")).toBe("Europe/Paris");
  });

  it("gives a week's range when the URL names none, and keeps one it names", async () => {
    const none = await drilldownAddress(
      "/users",
      ["realm", "userId"],
      Promise.resolve({ realm: "r", userId: "u" }),
      Promise.resolve({}),
    );
    expect(none.query.get("range")).toBe("7d");
    const from = await drilldownAddress(
      "/users",
      ["realm", "userId"],
      Promise.resolve({ realm: "r", userId: "u" }),
      Promise.resolve({ from: "2024-01-01" }),
    );
    expect(from.query.get("range")).toBeNull();
    expect(from.query.get("from")).toBe("2024-01-01");
  });
});
