import { describe, expect, it } from "vitest";
import { AdminApiError } from "@/lib/diagnose/admin-api";
import { createFetchAdminApi } from "@/lib/diagnose/fetch-admin-api";

interface Seen {
  url: string;
  auth: string | null;
}

/** A fetch stand-in: answers from a table by path, records what was asked. */
function fakeFetch(answers: Record<string, { status?: number; body?: unknown } | "network-error">) {
  const seen: Seen[] = [];
  const fn = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
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
  createFetchAdminApi({
    baseUrl: "https://kc.example.com/",
    getToken: async () => "tok-123",
    fetch: fetchFn,
  });

describe("createFetchAdminApi", () => {
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
  ])("turns %s into an AdminApiError naming the call", async (_label, answer, status) => {
    const { fn } = fakeFetch({ "/admin/realms/acme/events/config": answer });
    const call = api(fn).getEventsConfig("acme");
    await expect(call).rejects.toBeInstanceOf(AdminApiError);
    await expect(call).rejects.toMatchObject({ call: "getEventsConfig", status });
  });
});
