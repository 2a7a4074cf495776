import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { DEMO_WEB_CLIENT, type DemoKeycloak, startDemoKeycloak } from "@/packages/demo-keycloak/src";

vi.mock("server-only", () => ({}));
process.env.REALMWATCH_SECRET_KEY ??= "integration-tests-only-P5sK8dW2qL7mX3vR9";

const { resetAuthConfigCache } = await import("@/lib/auth/config");
const { openSession, SESSION_COOKIE } = await import("@/lib/auth/session");
const { SIGN_IN_COOKIE } = await import("@/lib/auth/sign-in-state");
const login = await import("@/app/api/auth/login/route");
const callback = await import("@/app/api/auth/callback/route");
const logout = await import("@/app/api/auth/logout/route");

// realmwatch as a browser at http://127.0.0.1:3000 reaches it; the demo Keycloak plays the issuer.
const APP = "http://127.0.0.1:3000";
let keycloak: DemoKeycloak;

beforeAll(async () => {
  keycloak = await startDemoKeycloak({ port: 0, traffic: false });
  Object.assign(process.env, {
    HOST: "0.0.0.0",
    REALMWATCH_OIDC_ISSUER: `${keycloak.url}/realms/master`,
    REALMWATCH_OIDC_CLIENT_ID: DEMO_WEB_CLIENT.clientId,
    REALMWATCH_OIDC_CLIENT_SECRET: DEMO_WEB_CLIENT.secret,
  });
  resetAuthConfigCache();
});

afterAll(async () => {
  for (const k of [
    "HOST",
    "REALMWATCH_OIDC_ISSUER",
    "REALMWATCH_OIDC_CLIENT_ID",
    "REALMWATCH_OIDC_CLIENT_SECRET",
  ]) {
    delete process.env[k];
  }
  resetAuthConfigCache();
  await keycloak.close();
});

/** A request as the browser sends it: with its Host header (Next's request.url says "localhost" instead). */
function appRequest(url: string, cookie?: string): NextRequest {
  return new NextRequest(url, { headers: { host: "127.0.0.1:3000", ...(cookie ? { cookie } : {}) } });
}

function cookieValue(res: Response, name: string): string | undefined {
  for (const line of res.headers.getSetCookie()) {
    const [pair = ""] = line.split(";");
    const eq = pair.indexOf("=");
    if (pair.slice(0, eq) === name) return decodeURIComponent(pair.slice(eq + 1));
  }
  return undefined;
}

/** The whole browser round trip: realmwatch > Keycloak login form > realmwatch callback. */
async function signIn(username: string, password = username, tamper?: (authorize: URL) => void) {
  const start = await login.GET(appRequest(`${APP}/api/auth/login?returnTo=%2Fevents%3Frealm%3Dacme`));
  expect(start.status).toBe(303);
  const authorize = new URL(start.headers.get("location") ?? "");
  expect(authorize.searchParams.get("nonce")?.length).toBeGreaterThanOrEqual(16);
  tamper?.(authorize);
  expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
  expect(authorize.searchParams.get("redirect_uri")).toBe(`${APP}/api/auth/callback`);
  const pending = cookieValue(start, SIGN_IN_COOKIE);

  const form = await (await fetch(authorize)).text();
  const action = form.match(/action="([^"]+)"/)?.[1]?.replaceAll("&amp;", "&") ?? "";
  const authSession = form.match(/name="auth_session" value="([^"]+)"/)?.[1] ?? "";
  const submitted = await fetch(action, {
    method: "POST",
    body: new URLSearchParams({ auth_session: authSession, username, password }),
    redirect: "manual",
  });
  const back = submitted.headers.get("location") ?? "";
  expect(back.startsWith(`${APP}/api/auth/callback?`)).toBe(true);

  const done = await callback.GET(appRequest(back, `${SIGN_IN_COOKIE}=${encodeURIComponent(pending ?? "")}`));
  return { done, session: cookieValue(done, SESSION_COOKIE) };
}

describe("sign-in with OpenID Connect (authorization code + PKCE)", () => {
  for (const role of ["viewer", "analyst", "admin"] as const) {
    it(`signs ${role} in with the ${role} role and returns to the page they asked for`, async () => {
      const { done, session } = await signIn(role);
      expect(done.status).toBe(303);
      expect(done.headers.get("location")).toBe(`${APP}/events?realm=acme`);
      expect(openSession(session, Math.floor(Date.now() / 1000))).toMatchObject({ role, name: role });
      const setCookie = done.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`)) ?? "";
      expect(setCookie).toMatch(/HttpOnly/i);
      expect(setCookie).toMatch(/SameSite=lax/i);
      expect(setCookie).not.toMatch(/Secure/i);
    });
  }

  it("revokes the session at sign-out: a copy of the cookie stops working at once", async () => {
    const { session } = await signIn("admin");
    const cookie = `${SESSION_COOKIE}=${encodeURIComponent(session ?? "")}`;
    const sources = await import("@/app/api/sources/route");
    const read = () => sources.GET(new Request(`${APP}/api/sources`, { headers: { cookie } }));
    expect((await read()).status).toBe(200);
    const out = await logout.POST(
      new Request(`${APP}/api/auth/logout`, { method: "POST", headers: { cookie } }),
    );
    expect(out.status).toBe(303);
    expect((await read()).status).toBe(401);
    const { revokedSessionIds } = await import("@/lib/auth/revoked-sessions");
    // Another process reads the list from the database.
    const fresh = await revokedSessionIds(Date.now() + 60_000);
    expect(fresh.has(openSession(session, Math.floor(Date.now() / 1000))?.sid ?? "")).toBe(true);
  });

  it("keeps no token in the session cookie", async () => {
    const { session } = await signIn("admin");
    expect(session).not.toMatch(/eyJ/);
    expect(session?.length).toBeLessThan(300);
  });

  it("refuses a callback whose state does not match the browser's pending sign-in", async () => {
    const start = await login.GET(appRequest(`${APP}/api/auth/login`));
    const pending = cookieValue(start, SIGN_IN_COOKIE);
    const forged = await callback.GET(
      appRequest(
        `${APP}/api/auth/callback?code=stolen&state=other`,
        `${SIGN_IN_COOKIE}=${encodeURIComponent(pending ?? "")}`,
      ),
    );
    expect(forged.status).toBe(303);
    expect(forged.headers.get("location")).toBe(`${APP}/signin?error=failed`);
    expect(cookieValue(forged, SESSION_COOKIE)).toBeUndefined();
  });

  it("refuses an ID token minted for another login (its nonce is not this sign-in's)", async () => {
    const { done, session } = await signIn("admin", "admin", (authorize) =>
      authorize.searchParams.set("nonce", "another-login-nonce-0123456789"),
    );
    expect(done.headers.get("location")).toBe(`${APP}/signin?error=failed`);
    expect(session).toBeUndefined();
  });

  it("refuses a callback without a pending sign-in", async () => {
    const res = await callback.GET(appRequest(`${APP}/api/auth/callback?code=x&state=y`));
    expect(res.headers.get("location")).toBe(`${APP}/signin?error=expired`);
  });
});
