import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, securityHeaders } from "@/lib/server/security-headers.js";

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp.split(";").map((d) => {
      const [name = "", ...values] = d.trim().split(/\s+/);
      return [name, values];
    }),
  );
}

describe("security headers", () => {
  it("forbids eval, framing, plugins and foreign origins in production", () => {
    const csp = directives(contentSecurityPolicy(false));
    expect(csp.get("default-src")).toEqual(["'self'"]);
    expect(csp.get("script-src")).not.toContain("'unsafe-eval'");
    expect(csp.get("frame-ancestors")).toEqual(["'none'"]);
    expect(csp.get("object-src")).toEqual(["'none'"]);
    for (const values of csp.values()) {
      expect(values.filter((v) => v.startsWith("http") || v === "*")).toEqual([]);
    }
  });

  it("allows eval only for the dev server", () => {
    expect(directives(contentSecurityPolicy(true)).get("script-src")).toContain("'unsafe-eval'");
  });

  it("sends nosniff, no framing and a referrer policy", () => {
    const byName = new Map(securityHeaders(false).map((h) => [h.key.toLowerCase(), h.value]));
    expect(byName.get("x-content-type-options")).toBe("nosniff");
    expect(byName.get("x-frame-options")).toBe("DENY");
    expect(byName.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
  });

  it("runs no inline script without the request's nonce", () => {
    expect(directives(contentSecurityPolicy(false)).get("script-src")).toEqual(["'self'"]);
    expect(directives(contentSecurityPolicy(false, "abc")).get("script-src")).toEqual([
      "'self'",
      "'nonce-abc'",
      "'strict-dynamic'",
    ]);
    for (const dev of [false, true]) {
      expect(contentSecurityPolicy(dev, "abc")).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    }
  });
});

describe("next.config.js", () => {
  it("sends the security headers on every path", async () => {
    const { default: config } = (await import("@/next.config.js" as string)) as {
      default: {
        headers?: () => Promise<Array<{ source: string; headers: Array<{ key: string; value: string }> }>>;
      };
    };
    const rules = await config.headers?.();
    expect(rules).toEqual([{ source: "/:path*", headers: securityHeaders(false) }]);
  });
});
