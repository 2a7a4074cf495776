import { describe, expect, it } from "vitest";
import { KeycloakSession } from "@/lib/keycloak/session";

/** A Keycloak URL that names an internal service: whatever it answers must not come back in realmwatch's errors. */
function sessionAnswering(status: number, body: string, type = "text/html") {
  const fetchFn = (async (input: RequestInfo | URL) => {
    if (String(input).endsWith("/protocol/openid-connect/token")) return Response.json({ access_token: "t" });
    return new Response(body, { status, headers: { "content-type": type } });
  }) as typeof fetch;
  return new KeycloakSession({
    serverUrl: "https://kc.example.com",
    authRealm: "master",
    clientId: "realmwatch",
    clientSecret: "s",
    retries: 0,
    fetch: fetchFn,
  });
}

describe("errors never reflect an answer's body (SSRF)", () => {
  it("says the status, not the text of a page that is not Keycloak's", async () => {
    const err = await sessionAnswering(418, "<html>db-password=hunter2 internal admin panel</html>")
      .getRealm("acme")
      .catch((e: Error) => e);
    expect(String((err as Error).message)).toMatch(/Keycloak answered 418/);
    expect(String((err as Error).message)).not.toMatch(/hunter2|internal admin/);
  });

  it("keeps Keycloak's own error sentence from its JSON, on one line", async () => {
    const err = await sessionAnswering(
      400,
      JSON.stringify({ errorMessage: "Unknown event\nlistener" }),
      "application/json",
    )
      .getRealm("acme")
      .catch((e: Error) => e);
    expect(String((err as Error).message)).toContain("Unknown event listener");
  });
});
