import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { proxy } from "@/proxy";

// Without REALMWATCH_OIDC_* and bound to loopback (the default HOST), realmwatch runs in the demo mode without
// sign-in; the proxy still enforces CSRF, size and rate limits.
const ORIGIN = "http://127.0.0.1:3000";

function post(path: string, headers: Record<string, string>) {
  return proxy(
    new NextRequest(`${ORIGIN}${path}`, { method: "POST", headers: { host: "127.0.0.1:3000", ...headers } }),
  );
}

describe("proxy", () => {
  it("accepts a same-origin POST from http://127.0.0.1 (Next calls that host localhost in request.url)", async () => {
    expect((await post("/api/sources", { origin: ORIGIN })).headers.get("x-middleware-next")).toBe("1");
  });

  it("gives every response a policy with a fresh script nonce, and hands the same policy to Next", async () => {
    const a = await proxy(new NextRequest(`${ORIGIN}/`, { headers: { host: "127.0.0.1:3000" } }));
    const b = await proxy(new NextRequest(`${ORIGIN}/`, { headers: { host: "127.0.0.1:3000" } }));
    const nonce = (r: Response) => r.headers.get("content-security-policy")?.match(/'nonce-([^']+)'/)?.[1];
    expect(nonce(a)).toMatch(/^[A-Za-z0-9+/]{24}$/);
    expect(nonce(a)).not.toBe(nonce(b));
    expect(a.headers.get("content-security-policy")).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    // NextResponse.next({ request: { headers } }) forwards request headers as x-middleware-request-*.
    expect(a.headers.get("x-middleware-request-content-security-policy")).toBe(
      a.headers.get("content-security-policy"),
    );
  });

  it("refuses a cross-site POST with 403 and a JSON reason", async () => {
    const res = await post("/api/sources", { origin: "https://evil.example" });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: "csrf" });
  });

  it("refuses a DNS-rebinding request (spoofed Host and a matching Origin) with 421, GET and POST alike", async () => {
    const evil = "http://attacker.example:3000";
    const get = await proxy(
      new NextRequest(`${ORIGIN}/api/events`, { headers: { host: "attacker.example:3000" } }),
    );
    expect(get.status).toBe(421);
    expect(await get.json()).toMatchObject({ error: "unknown_host" });
    expect((await post("/api/sources", { host: "attacker.example:3000", origin: evil })).status).toBe(421);
  });

  it("answers an oversized JSON body with 413", async () => {
    const res = await post("/api/sources", { origin: ORIGIN, "content-length": String(10 * 1024 * 1024) });
    expect(res.status).toBe(413);
  });

  it("answers 429 with Retry-After when /api/import is called too often", async () => {
    const statuses: Response[] = [];
    for (let i = 0; i < 22; i++) statuses.push(await post("/api/import", { origin: ORIGIN }));
    const limited = statuses.find((r) => r.status === 429);
    expect(statuses.slice(0, 20).every((r) => r.status !== 429)).toBe(true);
    expect(Number(limited?.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  });
});
