import { KeycloakSession } from "@/lib/keycloak/session";
import { type DemoKeycloak, startDemoKeycloak } from "@/packages/demo-keycloak/src";

export const READ_ROLES = ["view-realm", "view-clients", "view-users", "view-events"];
export const WRITE_ROLES = ["manage-realm", "manage-clients", "manage-users", "manage-events"];

/** A demo Keycloak (no traffic: only the planted realm configuration) and a service account of master. */
export async function startDemo(roles: string[]) {
  const account = { clientId: "realmwatch-test", secret: "realmwatch-test-secret", roles };
  const kc = await startDemoKeycloak({ port: 0, traffic: false, serviceAccount: account });
  const getToken = async () => {
    const res = await fetch(`${kc.url}/realms/master/protocol/openid-connect/token`, {
      method: "POST",
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_id: account.clientId,
        client_secret: account.secret,
      }),
    });
    if (!res.ok) throw new Error(`token request failed: ${res.status}`);
    return ((await res.json()) as { access_token: string }).access_token;
  };
  const api = new KeycloakSession({
    serverUrl: kc.url,
    authRealm: "master",
    clientId: account.clientId,
    clientSecret: account.secret,
    timeoutMs: 15_000,
    retries: 0,
  });
  return { kc, account, getToken, api };
}

/** Admin REST calls that apply a fix, as an administrator would with curl. */
export function adminRest(kc: DemoKeycloak, getToken: () => Promise<string>) {
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${kc.url}/admin/realms${path}`, {
      method,
      headers: { authorization: `Bearer ${await getToken()}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${await res.text()}`);
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  };
  const clientUuid = async (realm: string, clientId: string) =>
    (await call<{ id: string }[]>("GET", `/${realm}/clients?clientId=${encodeURIComponent(clientId)}`))[0]!
      .id;
  const userId = async (realm: string, username: string) =>
    (
      await call<{ id: string }[]>(
        "GET",
        `/${realm}/users?username=${encodeURIComponent(username)}&exact=true`,
      )
    )[0]!.id;
  return { call, clientUuid, userId };
}

export type Demo = Awaited<ReturnType<typeof startDemo>>;
