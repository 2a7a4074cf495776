import { describe, expect, it } from "vitest";
import { clientAddress } from "@/lib/server/client-address";

const headers = (xff?: string) => ({ get: (n: string) => (n === "x-forwarded-for" ? (xff ?? null) : null) });

describe("clientAddress", () => {
  it("believes X-Forwarded-For only behind a trusted proxy", () => {
    expect(clientAddress(headers("203.0.113.9"), false)).toBe("direct");
  });

  it("takes the right-most entry, the one the trusted proxy appended, not the client-chosen left ones", () => {
    expect(clientAddress(headers("1.2.3.4, 5.6.7.8, 203.0.113.9"), true)).toBe("203.0.113.9");
    expect(clientAddress(headers("spoofed ,203.0.113.9 "), true)).toBe("203.0.113.9");
    expect(clientAddress(headers(), true)).toBe("unknown");
  });
});
