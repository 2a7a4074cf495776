import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_WEB_CLIENT, type DemoKeycloak, startDemoKeycloak } from "../src";
import { call } from "./http-helpers";

let demo: DemoKeycloak;
beforeAll(async () => {
  demo = await startDemoKeycloak({ seed: 5, traffic: false });
});
afterAll(() => demo.close());

const form = (o: Record<string, string>) => ({
  headers: { "content-type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams(o).toString(),
});
const claims = (jwt: string) =>
  JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString()) as Record<string, unknown>;
const verifier = `${"a".repeat(20)}-demo-code-verifier-0123456789`;
const challenge = createHash("sha256").update(verifier).digest("base64url");
const REDIRECT = "http://localhost:3000/api/auth/callback";

/** Signs in through the login form; returns the redirect back to the app. */
async function signIn(username: string, password: string, extra: Record<string, string> = {}) {
  const auth = new URL(`${demo.url}/realms/master/protocol/openid-connect/auth`);
  for (const [k, v] of Object.entries({
    client_id: DEMO_WEB_CLIENT.clientId,
    redirect_uri: REDIRECT,
    response_type: "code",
    scope: "openid profile email",
    state: "st-1",
    nonce: "n-1",
    code_challenge: challenge,
    code_challenge_method: "S256",
    ...extra,
  })) {
    auth.searchParams.set(k, v);
  }
  const page = await fetch(auth);
  const html = await page.text();
  const action = /action="([^"]+)"/.exec(html)![1]!.replaceAll("&#38;", "&");
  const session = /name="auth_session" value="([^"]+)"/.exec(html)![1]!;
  return fetch(action, {
    method: "POST",
    redirect: "manual",
    ...form({ auth_session: session, username, password }),
  });
}

describe("demo sign-in: authorization code with PKCE", () => {
  it("discovers endpoints and keys", async () => {
    const wk = (await call(demo, "GET", "/realms/master/.well-known/openid-configuration")).body as Record<
      string,
      string
    >;
    expect(wk.issuer).toBe(`${demo.url}/realms/master`);
    expect(wk.token_endpoint).toBe(`${demo.url}/realms/master/protocol/openid-connect/token`);
    const certs = (await call(demo, "GET", "/realms/master/protocol/openid-connect/certs")).body as {
      keys: Array<Record<string, string>>;
    };
    expect(certs.keys[0]).toMatchObject({ kty: "RSA", alg: "RS256", use: "sig" });
  });

  it("signs analyst in and issues tokens carrying the analyst realm role", async () => {
    const back = await signIn("analyst", "analyst");
    expect(back.status).toBe(302);
    const location = new URL(back.headers.get("location")!);
    expect(location.origin + location.pathname).toBe(REDIRECT);
    expect(location.searchParams.get("state")).toBe("st-1");
    const code = location.searchParams.get("code")!;
    const token = await call(demo, "POST", "/realms/master/protocol/openid-connect/token", {
      ...form({
        grant_type: "authorization_code",
        code,
        redirect_uri: REDIRECT,
        code_verifier: verifier,
        client_id: DEMO_WEB_CLIENT.clientId,
        client_secret: DEMO_WEB_CLIENT.secret,
      }),
    });
    expect(token.status).toBe(200);
    const body = token.body as Record<string, string>;
    const access = claims(body.access_token!);
    expect(access).toMatchObject({
      iss: `${demo.url}/realms/master`,
      azp: DEMO_WEB_CLIENT.clientId,
      preferred_username: "analyst",
      scope: "openid email profile",
    });
    expect((access.realm_access as { roles: string[] }).roles).toContain("analyst");
    expect(claims(body.id_token!)).toMatchObject({ aud: DEMO_WEB_CLIENT.clientId, nonce: "n-1" });
    const me = await call(demo, "GET", "/realms/master/protocol/openid-connect/userinfo", {
      token: body.access_token,
    });
    expect(me).toMatchObject({ status: 200, body: { preferred_username: "analyst" } });
    // The code is single-use.
    const replay = await call(demo, "POST", "/realms/master/protocol/openid-connect/token", {
      ...form({
        grant_type: "authorization_code",
        code,
        redirect_uri: REDIRECT,
        code_verifier: verifier,
        client_id: DEMO_WEB_CLIENT.clientId,
        client_secret: DEMO_WEB_CLIENT.secret,
      }),
    });
    expect(replay).toMatchObject({
      status: 400,
      body: { error: "invalid_grant", error_description: "Code not valid" },
    });
    // Refresh, then log out.
    const refreshed = await call(demo, "POST", "/realms/master/protocol/openid-connect/token", {
      ...form({
        grant_type: "refresh_token",
        refresh_token: body.refresh_token!,
        client_id: DEMO_WEB_CLIENT.clientId,
        client_secret: DEMO_WEB_CLIENT.secret,
      }),
    });
    expect(refreshed.status).toBe(200);
    const out = await call(
      demo,
      "GET",
      `/realms/master/protocol/openid-connect/logout?id_token_hint=${body.id_token}&post_logout_redirect_uri=${encodeURIComponent("http://localhost:3000/")}`,
    );
    expect(out.status).toBe(302);
  });

  it("refuses a wrong PKCE verifier and a wrong password", async () => {
    const back = await signIn("viewer", "viewer");
    const code = new URL(back.headers.get("location")!).searchParams.get("code")!;
    const r = await call(demo, "POST", "/realms/master/protocol/openid-connect/token", {
      ...form({
        grant_type: "authorization_code",
        code,
        redirect_uri: REDIRECT,
        code_verifier: "b".repeat(43),
        client_id: DEMO_WEB_CLIENT.clientId,
        client_secret: DEMO_WEB_CLIENT.secret,
      }),
    });
    expect(r).toMatchObject({
      status: 400,
      body: { error: "invalid_grant", error_description: "PKCE verification failed: Code mismatch" },
    });
    const wrong = await signIn("viewer", "nope");
    expect(wrong.status).toBe(200);
    expect(await wrong.text()).toContain("Invalid username or password.");
  });

  it("escapes what it echoes into the login page", async () => {
    const wrong = await signIn('"><script>alert(1)</script>', "x");
    const html = await wrong.text();
    expect(html).not.toContain("<script>alert(1)</script>");
    expect(html).toContain("&#60;script&#62;");
  });

  it("rejects an unregistered redirect_uri and records LOGIN_ERROR invalid_redirect_uri", async () => {
    const r = await fetch(
      `${demo.url}/realms/retail/protocol/openid-connect/auth?client_id=retail-shop&redirect_uri=${encodeURIComponent("http://shop.retail.example/callback")}&response_type=code`,
    );
    expect(r.status).toBe(400);
    expect(demo.store.allUserEvents("retail").at(-1)).toMatchObject({
      type: "LOGIN_ERROR",
      error: "invalid_redirect_uri",
      details: { redirect_uri: "http://shop.retail.example/callback" },
    });
  });
});

describe("userinfo", () => {
  it("answers 403 insufficient_scope to a token without openid, in WWW-Authenticate only, with an event that has no client or user (UserInfoEndpoint, OAuth2Error.json(false))", async () => {
    const t = await call(demo, "POST", "/realms/acme/protocol/openid-connect/token", {
      ...form({
        grant_type: "password",
        client_id: DEMO_WEB_CLIENT.clientId,
        client_secret: DEMO_WEB_CLIENT.secret,
        username: "viewer",
        password: "viewer",
        scope: "profile",
      }),
    });
    const access = (t.body as Record<string, string>).access_token!;
    const r = await call(demo, "GET", "/realms/acme/protocol/openid-connect/userinfo", { token: access });
    expect(r).toMatchObject({ status: 403, text: "" });
    expect(r.headers.get("content-type")).toBe("text/plain;charset=UTF-8");
    expect(r.headers.get("www-authenticate")).toBe(
      'Bearer realm="acme", error="insufficient_scope", error_description="Missing openid scope"',
    );
    expect(demo.store.allUserEvents("acme").at(-1)).toMatchObject({
      type: "USER_INFO_REQUEST_ERROR",
      clientId: null,
      userId: null,
      error: "access_denied",
      details: { auth_method: "validate_access_token", reason: "Missing openid scope" },
    });
  });

  it("refuses an invalid scope request with invalid_scope and the Keycloak reason", async () => {
    const r = await call(demo, "POST", "/realms/acme/protocol/openid-connect/token", {
      ...form({
        grant_type: "password",
        client_id: DEMO_WEB_CLIENT.clientId,
        client_secret: DEMO_WEB_CLIENT.secret,
        username: "viewer",
        password: "viewer",
        scope: "openid admin-everything",
      }),
    });
    expect(r).toMatchObject({ status: 400, body: { error: "invalid_scope" } });
    expect(demo.store.allUserEvents("acme").at(-1)).toMatchObject({
      type: "LOGIN_ERROR",
      error: "invalid_request",
      details: { reason: "Invalid scopes: openid admin-everything" },
    });
  });
});

describe("the token endpoint's other refusals", () => {
  it("refuses an origin the client does not allow with 403 and writes no event (26.6.3+)", async () => {
    const before = demo.store.count("acme", "user");
    const r = await call(demo, "POST", "/realms/acme/protocol/openid-connect/token", {
      headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://app.acme.example" },
      body: "grant_type=refresh_token&client_id=acme-spa&refresh_token=x",
    });
    expect(r).toMatchObject({ status: 403, body: { error: "Invalid origin" } });
    expect(demo.store.count("acme", "user")).toBe(before);
    expect(demo.accessLog().at(-1)).toMatch(
      / - acme-spa \[.*\] "POST \/realms\/acme\/protocol\/openid-connect\/token HTTP\/1\.1" 403 26 /,
    );
  });

  it("refuses client credentials for a client without service accounts", async () => {
    const r = await call(demo, "POST", "/realms/acme/protocol/openid-connect/token", {
      ...form({
        grant_type: "client_credentials",
        client_id: "acme-orders-api",
        client_secret: "acme-orders-api-secret",
      }),
    });
    expect(r).toMatchObject({
      status: 401,
      body: {
        error: "unauthorized_client",
        error_description: "Client not enabled to retrieve service account",
      },
    });
    expect(demo.store.allUserEvents("acme").at(-1)).toMatchObject({
      type: "CLIENT_LOGIN_ERROR",
      error: "invalid_client",
      details: { reason: "Client not enabled to retrieve service account" },
    });
  });
});
