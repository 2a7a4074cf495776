import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import {
  enableRecommendedEventTypes,
  eventsConfigBody,
  RECOMMENDED_EVENT_TYPES,
} from "@/lib/keycloak/events-config";
import { KeycloakError } from "@/lib/keycloak/keycloak-error";
import type { RealmEventsConfig } from "@/lib/keycloak/representations";
import { KeycloakSession } from "@/lib/keycloak/session";

/**
 * A tiny HTTP server that answers PUT /admin/realms/{realm}/events/config as Keycloak's
 * RealmAdminResource.updateRealmEventsConfig -> RealmManager.updateRealmEventsConfig does:
 * eventsEnabled and eventsExpiration are always replaced (omitted: false and 0), every other field only
 * when present, and each listener named must be installed, else 400 {"error":"Unknown event listener"}
 * (a ClientErrorException, which writes nothing). `refuseEveryPut` answers every PUT with that 400 text.
 */
function keycloakLike(stored: RealmEventsConfig, installed: string[], refuseEveryPut?: string) {
  const puts: Record<string, unknown>[] = [];
  const server = createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => {
      raw += c;
    });
    req.on("end", () => {
      const json = (status: number, body: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(body));
      };
      if (req.url?.endsWith("/protocol/openid-connect/token")) return json(200, { access_token: "t" });
      if (req.url !== "/admin/realms/acme/events/config") return json(404, { error: "HTTP 404 Not Found" });
      if (req.method === "GET") return json(200, stored);
      const rep = JSON.parse(raw) as RealmEventsConfig;
      puts.push(rep as Record<string, unknown>);
      // Stands in for any refusal Keycloak answers as a ClientErrorException (the same body shape).
      if (refuseEveryPut) return json(400, { error: refuseEveryPut });
      for (const l of rep.eventsListeners ?? [])
        if (!installed.includes(l)) return json(400, { error: "Unknown event listener" });
      stored.eventsEnabled = rep.eventsEnabled === true;
      stored.eventsExpiration = rep.eventsExpiration ?? 0;
      if (rep.eventsListeners) stored.eventsListeners = rep.eventsListeners;
      if (rep.enabledEventTypes) stored.enabledEventTypes = rep.enabledEventTypes;
      if (rep.adminEventsEnabled !== undefined) stored.adminEventsEnabled = rep.adminEventsEnabled;
      if (rep.adminEventsDetailsEnabled !== undefined)
        stored.adminEventsDetailsEnabled = rep.adminEventsDetailsEnabled;
      res.writeHead(204);
      res.end();
    });
  });
  return { server, puts };
}

let running: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (running ? running.close(() => resolve()) : resolve()));
  running = undefined;
});

async function sessionFor(server: Server): Promise<KeycloakSession> {
  running = server;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return new KeycloakSession({
    serverUrl: `http://127.0.0.1:${port}`,
    authRealm: "master",
    clientId: "realmwatch",
    clientSecret: "s",
    retries: 0,
  });
}

const realmWithGoneListener = (): RealmEventsConfig => ({
  eventsEnabled: true,
  eventsExpiration: 86_400,
  // A listener whose provider was removed from the server: a PUT naming it answers 400.
  eventsListeners: ["jboss-logging", "kafka-listener"],
  enabledEventTypes: ["LOGIN", "LOGIN_ERROR"],
  adminEventsEnabled: true,
  adminEventsDetailsEnabled: false,
});

describe("enabling the recommended event types touches only enabledEventTypes", () => {
  it("sends eventsEnabled and eventsExpiration as they were, the types, and no listeners", async () => {
    const stored = realmWithGoneListener();
    const { server, puts } = keycloakLike(stored, ["jboss-logging", "email"]);
    const added = await enableRecommendedEventTypes(await sessionFor(server), "acme");
    expect(added).toEqual([...RECOMMENDED_EVENT_TYPES]);
    expect(puts).toEqual([
      {
        eventsEnabled: true,
        eventsExpiration: 86_400,
        enabledEventTypes: ["LOGIN", "LOGIN_ERROR", ...RECOMMENDED_EVENT_TYPES],
      },
    ]);
    // Everything else is as it was, the uninstalled listener included.
    expect(stored).toMatchObject({
      eventsListeners: ["jboss-logging", "kafka-listener"],
      adminEventsEnabled: true,
      adminEventsDetailsEnabled: false,
      eventsExpiration: 86_400,
    });
  });

  it("writes nothing when every recommended type is saved already", async () => {
    const stored = { ...realmWithGoneListener(), enabledEventTypes: [...RECOMMENDED_EVENT_TYPES] };
    const { server, puts } = keycloakLike(stored, ["jboss-logging"]);
    expect(await enableRecommendedEventTypes(await sessionFor(server), "acme")).toEqual([]);
    expect(puts).toEqual([]);
  });

  it("a whole-config PUT, as realmwatch once sent, is refused for the uninstalled listener", async () => {
    const stored = realmWithGoneListener();
    const { server } = keycloakLike(stored, ["jboss-logging"]);
    const session = await sessionFor(server);
    const whole = await session
      .updateEventsConfig("acme", { ...stored, enabledEventTypes: [...RECOMMENDED_EVENT_TYPES] })
      .catch((e: unknown) => e);
    expect(whole).toBeInstanceOf(KeycloakError);
    expect((whole as KeycloakError).details).toMatchObject({
      status: 400,
      keycloakMessage: "Unknown event listener",
    });
    // The partial PUT goes through on the same realm.
    expect(await enableRecommendedEventTypes(session, "acme")).toEqual([...RECOMMENDED_EVENT_TYPES]);
  });

  it("shows Keycloak's own 400 text when Keycloak refuses the change", async () => {
    const { server } = keycloakLike(realmWithGoneListener(), ["jboss-logging"], "Unknown event listener");
    const error = await enableRecommendedEventTypes(await sessionFor(server), "acme").catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(KeycloakError);
    expect((error as KeycloakError).message).toBe(
      'Keycloak refused to change the events configuration of realm "acme" (400): Unknown event listener. Nothing was changed.',
    );
    expect((error as KeycloakError).status).toBe(502);
  });
});

describe("eventsConfigBody", () => {
  it("keeps events off when they were off, and leaves an unset expiration out", () => {
    expect(eventsConfigBody({ eventsEnabled: false }, { adminEventsEnabled: true })).toEqual({
      eventsEnabled: false,
      adminEventsEnabled: true,
    });
  });
  it("changes eventsEnabled only when asked", () => {
    expect(eventsConfigBody({ eventsExpiration: 60 }, { eventsEnabled: true })).toEqual({
      eventsEnabled: true,
      eventsExpiration: 60,
    });
  });
});
