import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enableRecommendedEventTypes, RECOMMENDED_EVENT_TYPES } from "@/lib/keycloak/events-config";
import { KeycloakSession } from "@/lib/keycloak/session";
import { type DemoKeycloak, startDemoKeycloak } from "@/packages/demo-keycloak/src";

let demo: DemoKeycloak;
beforeAll(async () => {
  demo = await startDemoKeycloak({ port: 0, traffic: false, realms: ["internal"] });
}, 60_000);
afterAll(async () => {
  await demo?.close();
});

describe("enabling the recommended event types on the demo Keycloak", () => {
  it("PUTs only eventsEnabled, eventsExpiration and enabledEventTypes, and the rest stays", async () => {
    const bodies: Record<string, unknown>[] = [];
    const recording: typeof fetch = async (input, init) => {
      if (init?.method === "PUT" && typeof init.body === "string") bodies.push(JSON.parse(init.body));
      return fetch(input, init);
    };
    const session = new KeycloakSession({
      serverUrl: demo.url,
      authRealm: "master",
      clientId: "realmwatch",
      clientSecret: "realmwatch-demo-secret",
      retries: 0,
      fetch: recording,
    });
    const before = await session.getEventsConfig("internal");
    expect(await enableRecommendedEventTypes(session, "internal")).toEqual([...RECOMMENDED_EVENT_TYPES]);
    expect(bodies).toHaveLength(1);
    const allowed = ["eventsEnabled", "eventsExpiration", "enabledEventTypes"];
    expect(Object.keys(bodies[0]!).filter((k) => !allowed.includes(k))).toEqual([]);
    expect(bodies[0]!.eventsEnabled).toBe(before.eventsEnabled === true);
    const after = await session.getEventsConfig("internal");
    expect(after.eventsListeners).toEqual(before.eventsListeners);
    expect(after.adminEventsEnabled).toBe(before.adminEventsEnabled);
    expect(after.eventsEnabled).toBe(before.eventsEnabled);
    for (const t of [...(before.enabledEventTypes ?? []), ...RECOMMENDED_EVENT_TYPES])
      expect(after.enabledEventTypes).toContain(t);
  });
});
