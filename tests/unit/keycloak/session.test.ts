import { describe, expect, it } from "vitest";
import { KeycloakError } from "@/lib/keycloak/keycloak-error";
import { KeycloakSession } from "@/lib/keycloak/session";

interface Seen {
  url: string;
  auth: string | null;
}

const TOKEN_PATH = "/realms/master/protocol/openid-connect/token";

/** A fetch stand-in: answers from a table by path, records what was asked (the token request aside). */
function fakeFetch(answers: Record<string, { status?: number; body?: unknown } | "network-error">) {
  const seen: Seen[] = [];
  const fn = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    if (url.endsWith(TOKEN_PATH)) return Response.json({ access_token: "tok-123", expires_in: 300 });
    const headers = new Headers(init?.headers);
    seen.push({ url, auth: headers.get("authorization") });
    const key = url.replace("https://kc.example.com", "");
    const answer = answers[key];
    if (answer === "network-error") throw new TypeError("fetch failed");
    if (!answer) return new Response("not found", { status: 404 });
    return new Response(JSON.stringify(answer.body ?? null), { status: answer.status ?? 200 });
  }) as typeof fetch;
  return { fn, seen };
}

const api = (fetchFn: typeof fetch) =>
  new KeycloakSession({
    serverUrl: "https://kc.example.com/",
    authRealm: "master",
    clientId: "realmwatch",
    clientSecret: "s3cret",
    retries: 0,
    fetch: fetchFn,
  });

describe("KeycloakSession: the live checks' reads", () => {
  it("sends the bearer token and percent-encodes names in paths and queries", async () => {
    const { fn, seen } = fakeFetch({
      "/admin/realms/my%20realm/clients?clientId=a%2Fb%26c": { body: [{ id: "c1", clientId: "a/b&c" }] },
    });
    const client = await api(fn).getClientByClientId("my realm", "a/b&c");
    expect(client).toMatchObject({ id: "c1", clientId: "a/b&c" });
    expect(seen[0]).toEqual({
      url: "https://kc.example.com/admin/realms/my%20realm/clients?clientId=a%2Fb%26c",
      auth: "Bearer tok-123",
    });
  });

  it("returns null when Keycloak lists no such client or user", async () => {
    const { fn } = fakeFetch({
      "/admin/realms/acme/clients?clientId=spa": { body: [] },
      "/admin/realms/acme/users?username=alice&exact=true": { body: [] },
    });
    expect(await api(fn).getClientByClientId("acme", "spa")).toBeNull();
    expect(await api(fn).findUserByUsername("acme", "alice")).toBeNull();
  });

  it("reads the effective (composite) role mappings on request", async () => {
    const { fn, seen } = fakeFetch({
      "/admin/realms/acme/users/u1/role-mappings/clients/c9/composite": {
        body: [{ id: "r1", name: "view-users" }],
      },
    });
    const roles = await api(fn).listUserClientRoles("acme", "u1", "c9", true);
    expect(roles.map((r) => r.name)).toEqual(["view-users"]);
    expect(seen[0]?.url).toContain("/role-mappings/clients/c9/composite");
  });

  it("asks for an example token with scope and user", async () => {
    const { fn, seen } = fakeFetch({
      "/admin/realms/acme/clients/c1/evaluate-scopes/generate-example-access-token?scope=openid+profile&userId=u1":
        {
          body: { aud: "account", scope: "openid profile" },
        },
    });
    const token = await api(fn).generateExampleAccessToken("acme", "c1", {
      userId: "u1",
      scope: "openid profile",
    });
    expect(token.aud).toBe("account");
    expect(seen).toHaveLength(1);
  });

  it("reads the advertised issuer without a token", async () => {
    const { fn, seen } = fakeFetch({
      "/realms/acme/.well-known/openid-configuration": {
        body: { issuer: "https://kc.example.com/realms/acme" },
      },
    });
    expect(await api(fn).getAdvertisedIssuer("acme")).toBe("https://kc.example.com/realms/acme");
    expect(seen[0]?.auth).toBeNull();
  });

  it.each([
    ["a 403", { status: 403, body: { error: "unknown_error" } }, 403],
    ["a network failure", "network-error" as const, null],
    ["an answer that is not an object", { body: "<html>proxy error</html>" }, null],
  ])("turns %s into a KeycloakError naming the call", async (_label, answer, status) => {
    const { fn } = fakeFetch({ "/admin/realms/acme/events/config": answer });
    const call = api(fn).getEventsConfig("acme");
    await expect(call).rejects.toBeInstanceOf(KeycloakError);
    await expect(call).rejects.toMatchObject({ call: "getEventsConfig", keycloakStatus: status });
  });
});

describe("KeycloakSession: tokens, retries and errors", () => {
  /** A scripted Keycloak: each path answers from its queue (the last answer repeats); counts requests. */
  function scripted(script: Record<string, ({ status: number; body?: unknown } | "hang")[]>) {
    const counts: Record<string, number> = {};
    const fn = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const path = new URL(String(input)).pathname;
      const n = counts[path] ?? 0;
      counts[path] = n + 1;
      const queue = script[path] ?? [{ status: 404 }];
      const answer = queue[Math.min(n, queue.length - 1)]!;
      if (answer === "hang") {
        return new Promise<Response>((_, reject) =>
          init?.signal?.addEventListener("abort", () => reject(init.signal?.reason)),
        );
      }
      return Response.json(answer.body ?? null, { status: answer.status });
    }) as typeof fetch;
    return { fn, counts };
  }
  const session = (fn: typeof fetch, authRealm = "master") =>
    new KeycloakSession({
      serverUrl: "https://kc.example.com",
      authRealm,
      clientId: "realmwatch",
      clientSecret: "s3cret",
      retries: 2,
      backoffBaseMs: 1,
      backoffMaxMs: 2,
      timeoutMs: 200,
      fetch: fn,
    });
  const token = { status: 200, body: { access_token: "tok" } };
  const CONFIG = "/admin/realms/acme/events/config";

  it("retries 5xx answers and gives up after the configured retries", async () => {
    const { fn, counts } = scripted({
      [TOKEN_PATH]: [token],
      [CONFIG]: [{ status: 503 }, { status: 200, body: {} }],
    });
    await expect(session(fn).getEventsConfig("acme")).resolves.toEqual({});
    expect(counts[CONFIG]).toBe(2);
    const failing = scripted({ [TOKEN_PATH]: [token], [CONFIG]: [{ status: 502, body: "bad gateway" }] });
    await expect(session(failing.fn).getEventsConfig("acme")).rejects.toMatchObject({
      code: "keycloak_error",
      keycloakStatus: 502,
    });
    expect(failing.counts[CONFIG]).toBe(3);
  });

  it("authenticates again once on a 401, then reports a token the admin API does not accept", async () => {
    const { fn, counts } = scripted({
      [TOKEN_PATH]: [token],
      [CONFIG]: [{ status: 401 }, { status: 200, body: {} }],
    });
    await expect(session(fn).getEventsConfig("acme")).resolves.toEqual({});
    expect(counts[TOKEN_PATH]).toBe(2);
    const refused = scripted({ [TOKEN_PATH]: [token], [CONFIG]: [{ status: 401 }] });
    const err = await session(refused.fn)
      .getEventsConfig("acme")
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "keycloak_auth_failed", keycloakStatus: 401 });
    expect(refused.counts[CONFIG]).toBe(2);
  });

  it("names the missing role, where it lives, and how to assign it on a 403", async () => {
    const { fn } = scripted({ [TOKEN_PATH]: [token], "/admin/realms/acme/events/config": [{ status: 403 }] });
    const err = (await session(fn)
      .updateEventsConfig("acme", { eventsEnabled: true })
      .catch((e: unknown) => e)) as KeycloakError;
    expect(err).toBeInstanceOf(KeycloakError);
    expect(err).toMatchObject({ code: "keycloak_forbidden", role: "manage-events", status: 502 });
    expect(err.message).toContain('lacks the "manage-events" role of the "acme-realm" client in master');
    expect(err.message).toContain("service-account-realmwatch");
  });

  it("says why the token request was refused, and never shows the secret", async () => {
    const { fn } = scripted({
      [TOKEN_PATH]: [
        { status: 401, body: { error: "unauthorized_client", error_description: "Invalid client secret" } },
      ],
    });
    const err = (await session(fn)
      .accessToken()
      .catch((e: unknown) => e)) as KeycloakError;
    expect(err).toMatchObject({ code: "keycloak_auth_failed", call: "authenticate" });
    expect(err.message).toContain('rejected the service account "realmwatch"');
    expect(err.message).toContain("Invalid client secret");
    expect(err.message).not.toContain("s3cret");
  });

  it("times out a hanging request, retries it, and reports Keycloak unreachable", async () => {
    const { fn, counts } = scripted({ [TOKEN_PATH]: [token], [CONFIG]: ["hang"] });
    const err = (await session(fn)
      .getEventsConfig("acme")
      .catch((e: unknown) => e)) as KeycloakError;
    expect(err).toMatchObject({ code: "keycloak_unreachable", keycloakStatus: null });
    expect(err.message).toContain("the request timed out");
    expect(counts[CONFIG]).toBe(3);
  });
});

describe("KeycloakSession: Keycloak's clock", () => {
  /** Answers every request with a `Date` header `skewMs` away from the test's clock. */
  const dated = (clock: () => number, skewMs: number, date = true) =>
    (async (input: RequestInfo | URL) => {
      const headers = date ? { date: new Date(clock() + skewMs).toUTCString() } : undefined;
      const url = String(input);
      if (url.endsWith(TOKEN_PATH)) {
        // exp on Keycloak's clock: 300 s from its now.
        const exp = Math.floor((clock() + skewMs) / 1000) + 300;
        const payload = Buffer.from(JSON.stringify({ exp })).toString("base64url");
        return Response.json({ access_token: `e30.${payload}.sig` }, { headers });
      }
      return Response.json([], { headers });
    }) as typeof fetch;

  it("reads the skew from the Date header and never overstates Keycloak's now", async () => {
    let now = Date.UTC(2026, 11, 1, 12, 0, 0, 400);
    const clock = () => now;
    const session = new KeycloakSession({
      serverUrl: "https://kc.example.com",
      authRealm: "master",
      clientId: "realmwatch",
      clientSecret: "s3cret",
      retries: 0,
      now: clock,
      fetch: dated(clock, -600_000),
    });
    expect(session.serverClock).toBeNull();
    expect(session.serverNow()).toBeNull();
    await session.listEvents("acme", "user", { max: 10 });
    const reading = session.serverClock!;
    // The header drops the 400 ms: the estimate is within a second, the lower bound below the truth.
    expect(Math.abs(reading.skewMs + 600_000)).toBeLessThan(1_000);
    now += 5_000;
    expect(session.serverNow()!).toBeLessThanOrEqual(now - 600_000);
    expect(session.serverNow()!).toBeGreaterThan(now - 600_000 - 1_000);
  });

  it("measures a token's lifetime on Keycloak's clock: a clock 10 min behind does not expire it at once", async () => {
    let now = Date.UTC(2026, 11, 1, 12, 0, 0);
    const clock = () => now;
    let tokens = 0;
    const inner = dated(clock, -600_000);
    const session = new KeycloakSession({
      serverUrl: "https://kc.example.com",
      authRealm: "master",
      clientId: "realmwatch",
      clientSecret: "s3cret",
      retries: 0,
      now: clock,
      fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
        if (String(input).endsWith(TOKEN_PATH)) tokens++;
        return inner(input, init);
      }) as typeof fetch,
    });
    await session.listEvents("acme", "user", { max: 10 });
    now += 60_000;
    await session.listEvents("acme", "user", { max: 10 });
    expect(tokens).toBe(1);
  });

  it("has no reading when Keycloak's answers carry no Date header", async () => {
    const clock = () => Date.UTC(2026, 11, 1, 12, 0, 0);
    const session = new KeycloakSession({
      serverUrl: "https://kc.example.com",
      authRealm: "master",
      clientId: "realmwatch",
      clientSecret: "s3cret",
      retries: 0,
      now: clock,
      fetch: dated(clock, 0, false),
    });
    await session.listEvents("acme", "user", { max: 10 });
    expect(session.serverClock).toBeNull();
  });
});
