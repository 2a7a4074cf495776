import { describe, expect, it } from "vitest";
import { clientOfUserAgent } from "@/lib/ingest/import/import-log";

describe("clientOfUserAgent", () => {
  const clients = new Set(["acme-reporting", "acme-spa"]);

  it("names the client a service's user agent names by its product", () => {
    expect(clientOfUserAgent("acme-reporting/2.4 node", clients)).toBe("acme-reporting");
    expect(clientOfUserAgent("acme-reporting", clients)).toBe("acme-reporting");
  });

  it("names none for browsers, unknown products, or a realm whose clients are unknown", () => {
    expect(
      clientOfUserAgent("Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/146.0", clients),
    ).toBeNull();
    expect(clientOfUserAgent("curl/8.5.0", clients)).toBeNull();
    expect(clientOfUserAgent("acme-reporting-v2/1.0", clients)).toBeNull();
    expect(clientOfUserAgent("acme-reporting/2.4", undefined)).toBeNull();
    expect(clientOfUserAgent(undefined, clients)).toBeNull();
  });
});
