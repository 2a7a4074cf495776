import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { route } from "@/lib/auth/route";

import { SESSION_COOKIE, sealSession } from "@/lib/auth/session";

process.env.REALMWATCH_SECRET_KEY ??= "unit-tests-only-k3Y8vQ2mR7xN4bW9cT1z";

const OIDC = {
  HOST: "0.0.0.0",
  REALMWATCH_OIDC_ISSUER: "https://sso.example.com/realms/master",
  REALMWATCH_OIDC_CLIENT_ID: "realmwatch-web",
};

beforeAll(() => {
  Object.assign(process.env, OIDC);
});
afterAll(() => {
  for (const name of Object.keys(OIDC)) delete process.env[name];
});

const handler = route({}, ({ viewer }) => ({ viewer }));
const exp = Math.floor(Date.now() / 1000) + 3600;
function call(path: string, method: string, role?: "viewer" | "analyst" | "admin") {
  const cookie = role
    ? `${SESSION_COOKIE}=${encodeURIComponent(sealSession({ role, name: "pat", exp }))}`
    : "";
  return handler(new Request(`http://x${path}`, { method, headers: cookie ? { cookie } : {} }));
}

describe("route() and the route-access table", () => {
  it("refuses a request without a session with 401, as the request guard does", async () => {
    const res = await call("/api/events", "GET");
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: "unauthorized", message: "Sign in first: /signin." });
  });

  it("refuses a role below the table's with 403, naming both", async () => {
    const res = await call("/api/alerts/test", "POST", "analyst");
    expect(res.status).toBe(403);
    expect((await res.json()).message).toBe("This needs the admin role; you are signed in as analyst.");
    expect((await call("/api/sources", "GET", "viewer")).status).toBe(200);
    expect((await call("/api/sources", "POST", "viewer")).status).toBe(403);
  });

  it("hands the handler the signed-in viewer, and the lowest role to a public route without a session", async () => {
    expect(await (await call("/api/alerts/test", "POST", "admin")).json()).toEqual({
      viewer: { role: "admin", name: "pat", anonymous: false },
    });
    expect(await (await call("/api/health", "GET")).json()).toEqual({
      viewer: { role: "viewer", name: "signed-out", anonymous: false },
    });
  });
});
