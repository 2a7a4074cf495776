import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { detectSyncMode } from "@/lib/ingest/sync/detect-mode";
import { KeycloakSession } from "@/lib/keycloak/session";
import { DEMO_SERVICE_ACCOUNT, type DemoKeycloak, startDemoKeycloak } from "@/packages/demo-keycloak/src";

/**
 * How realmwatch learns which events API a server has, against a demo Keycloak that answers serverinfo as
 * Keycloak does (ServerInfoAdminResource): the version for an account of the master realm; since 26.4 nothing
 * for an account of another realm (PR #42859), which must then be probed.
 */
let modern: DemoKeycloak;
beforeAll(async () => {
  modern = await startDemoKeycloak({ seed: 21, traffic: false, realms: ["acme"], realmAccounts: true });
}, 60_000);
afterAll(async () => {
  await modern?.close();
});

const session = (kc: DemoKeycloak, authRealm: string) =>
  new KeycloakSession({
    serverUrl: kc.url,
    authRealm,
    clientId: DEMO_SERVICE_ACCOUNT.clientId,
    clientSecret: DEMO_SERVICE_ACCOUNT.secret,
    retries: 0,
  });

describe("detectSyncMode", () => {
  it("reads the version when the account belongs to the master realm", async () => {
    expect(await detectSyncMode(session(modern, "master"), "acme")).toEqual({
      mode: "ranged",
      version: "26.6.3",
      how: "server version 26.6.3",
    });
  });

  it("probes when a realm-scoped account is told no version: an epoch dateFrom accepted means ranged", async () => {
    const s = session(modern, "acme");
    expect((await s.getServerInfo("acme")).systemInfo).toBeUndefined();
    expect(await detectSyncMode(s, "acme")).toEqual({
      mode: "ranged",
      version: null,
      how: "probe: epoch dateFrom accepted",
    });
  });
});
