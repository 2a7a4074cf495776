import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KeycloakAdminEvent, KeycloakUserEvent } from "@/lib/keycloak/types";
import { type DemoKeycloak, startDemoKeycloak } from "../src";
import { call, manualClock, serviceToken } from "./http-helpers";

// Server in New York: 2026-03-10 local is 05:00 UTC on the 10th to 04:00 UTC on the 11th (EDT from the 8th).
const DAY_START = Date.UTC(2026, 2, 10, 4);
const clock = manualClock(Date.UTC(2026, 2, 12));
let demo: DemoKeycloak;
let token: string;

beforeAll(async () => {
  demo = await startDemoKeycloak({
    mode: "legacy",
    serverTimeZone: "America/New_York",
    seed: 3,
    traffic: { days: 0, live: false, now: clock.now },
  });
  demo.store.addUserEvents("acme", [
    { time: DAY_START - 1, type: "LOGIN" },
    { time: DAY_START, type: "LOGIN" },
    { time: DAY_START + 86_399_999, type: "LOGOUT" },
    { time: DAY_START + 86_400_000, type: "LOGIN" },
  ]);
  demo.store.addAdminEvents("acme", [
    { time: DAY_START - 1, operationType: "UPDATE", resourcePath: "users/a" },
    { time: DAY_START + 3_600_000, operationType: "UPDATE", resourcePath: "users/b" },
  ]);
  token = await serviceToken(demo);
});
afterAll(() => demo.close());

describe("a pre-26.2 server", () => {
  it("reports its version and leaves id out of the representations", async () => {
    expect((await call(demo, "GET", "/admin/serverinfo", { token })).body).toMatchObject({
      systemInfo: { version: "26.1.3" },
    });
    const events = (await call(demo, "GET", "/admin/realms/acme/events", { token }))
      .body as KeycloakUserEvent[];
    expect(events[0]).not.toHaveProperty("id");
  });

  it("reads a day in the server's zone, inclusive to 23:59:59.999, newest first whatever direction says", async () => {
    const r = await call(
      demo,
      "GET",
      "/admin/realms/acme/events?dateFrom=2026-03-10&dateTo=2026-03-10&direction=asc",
      { token },
    );
    expect((r.body as KeycloakUserEvent[]).map((e) => e.time)).toEqual([DAY_START + 86_399_999, DAY_START]);
  });

  it("answers an epoch dateFrom with the old 400 text", async () => {
    expect(
      await call(demo, "GET", `/admin/realms/acme/events?dateFrom=${DAY_START}`, { token }),
    ).toMatchObject({
      status: 400,
      body: { error: "Invalid value for 'Date(From)', expected format is yyyy-MM-dd" },
    });
  });

  it("makes admin-events dateTo the start of that day, excluding the day it names", async () => {
    const sameDay = (await call(demo, "GET", "/admin/realms/acme/admin-events?dateTo=2026-03-10", { token }))
      .body as KeycloakAdminEvent[];
    expect(sameDay.map((e) => e.resourcePath)).toEqual(["users/a"]);
    const nextDay = (await call(demo, "GET", "/admin/realms/acme/admin-events?dateTo=2026-03-11", { token }))
      .body as KeycloakAdminEvent[];
    expect(nextDay.map((e) => e.resourcePath)).toEqual(["users/b", "users/a"]);
  });
});
