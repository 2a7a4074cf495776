import { describe, expect, it } from "vitest";
import { userEventsJson } from "../src/event-json";
import { ColumnarEventStore } from "../src/event-store";

const ACME = "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa";

function makeStore(now = { t: 1_000_000 }) {
  return new ColumnarEventStore(new Map([["acme", ACME]]), () => now.t, 3);
}

describe("the columnar event store", () => {
  it("keeps events sorted by time with ties in insertion order, also for late inserts", () => {
    const store = makeStore();
    store.addUserEvents("acme", [
      { id: "a", time: 10, type: "LOGIN" },
      { id: "b", time: 30, type: "LOGIN" },
    ]);
    store.addUserEvents("acme", [
      { id: "c", time: 20, type: "LOGIN" },
      { id: "d", time: 10, type: "LOGOUT" },
      { id: "e", time: 30, type: "LOGOUT" },
    ]);
    expect(store.allUserEvents("acme").map((e) => e.id)).toEqual(["a", "d", "c", "b", "e"]);
  });

  it("round-trips every field of an event, and keeps its UUID id", () => {
    const store = makeStore();
    const event = {
      id: "0b0a4c1e-5e6d-4f7a-9b8c-1d2e3f405162",
      time: 1_700_000_000_123,
      type: "LOGIN_ERROR",
      clientId: "acme-spa",
      userId: "u-1",
      sessionId: "s-1",
      ipAddress: "203.0.113.9",
      error: "invalid_user_credentials",
      details: { username: "<img src=x onerror=alert(1)>", reason: 'quote " and \\ backslash' },
    };
    store.addUserEvents("acme", [event]);
    expect(store.allUserEvents("acme")).toEqual([{ ...event, realmId: ACME }]);
  });

  it("serialises Keycloak's field order and leaves null fields out", () => {
    const store = makeStore();
    store.addUserEvents("acme", [
      {
        id: "0b0a4c1e-5e6d-4f7a-9b8c-1d2e3f405162",
        time: 5,
        type: "LOGIN",
        clientId: "c",
        details: { a: "1", empty: "" },
      },
    ]);
    const cols = store.columns("acme", "user");
    expect(userEventsJson(cols, [0], ACME, true)).toBe(
      `[{"id":"0b0a4c1e-5e6d-4f7a-9b8c-1d2e3f405162","time":5,"type":"LOGIN","realmId":"${ACME}","clientId":"c","details":{"a":"1"}}]`,
    );
    expect(JSON.parse(userEventsJson(cols, [0], ACME, false))[0]).not.toHaveProperty("id");
  });

  it("hides events until their visibleAt, then serves them in time order", () => {
    const clock = { t: 1_000 };
    const store = makeStore(clock);
    store.addUserEvents("acme", [{ id: "later-committed", time: 500, type: "CODE_TO_TOKEN" }], {
      visibleAt: 2_000,
    });
    store.addUserEvents("acme", [{ id: "seen", time: 900, type: "LOGIN" }]);
    expect(store.columns("acme", "user").length).toBe(1);
    expect(store.allUserEvents("acme").map((e) => e.id)).toEqual(["later-committed", "seen"]);
    expect(store.count("acme", "user")).toBe(2);
    clock.t = 2_000;
    expect(store.columns("acme", "user").length).toBe(2);
  });

  it("expires events older than a time, as an eventsExpiration purge does", () => {
    const store = makeStore();
    store.addUserEvents(
      "acme",
      [10, 20, 30].map((time) => ({ time, type: "LOGIN" })),
    );
    expect(store.expireBefore(25)).toBe(2);
    expect(store.allUserEvents("acme").map((e) => e.time)).toEqual([30]);
    store.clear("acme");
    expect(store.count()).toBe(0);
  });

  it("generates bulk events sorted, with unique ids and the requested same-millisecond ties", () => {
    const store = makeStore();
    store.addUserEvents("acme", [{ id: "existing", time: 5_000, type: "LOGIN" }]);
    store.generateBulk("acme", 50_000, { startTime: 0, endTime: 10_000_000, seed: 9, tiesEvery: 10 });
    const cols = store.columns("acme", "user");
    expect(cols.length).toBe(50_001);
    let sorted = true;
    let ties = 0;
    for (let i = 1; i < cols.length; i++) {
      if (cols.time[i]! < cols.time[i - 1]!) sorted = false;
      if (cols.time[i] === cols.time[i - 1]) ties++;
    }
    expect(sorted).toBe(true);
    expect(ties).toBeGreaterThanOrEqual(4_999);
    const all = store.allUserEvents("acme");
    expect(new Set(all.map((e) => e.id)).size).toBe(50_001);
  });

  it("generates the same events from the same seed", () => {
    const a = makeStore();
    const b = makeStore();
    a.generateBulk("acme", 1_000, { startTime: 0, endTime: 1_000_000, seed: 4 });
    b.generateBulk("acme", 1_000, { startTime: 0, endTime: 1_000_000, seed: 4 });
    expect(a.allUserEvents("acme")).toEqual(b.allUserEvents("acme"));
  });

  it("streams batches of new events among the same users when each batch has its own event seed", () => {
    const store = makeStore();
    for (let tick = 0; tick < 3; tick++)
      store.generateBulk("acme", 2_000, {
        startTime: tick * 1_000,
        endTime: tick * 1_000 + 999,
        seed: 4,
        eventSeed: 100 + tick,
      });
    const all = store.allUserEvents("acme");
    expect(new Set(all.map((e) => e.id)).size).toBe(6_000);
    const usersOf = (from: number) =>
      new Set(all.filter((e) => e.time >= from && e.time < from + 1_000).map((e) => e.userId));
    const first = usersOf(0);
    // The pool is 2,000 users: later batches draw from the same people, not 2,000 new ones each.
    expect([...usersOf(2_000)].filter((u) => first.has(u)).length).toBeGreaterThan(500);
    expect(new Set(all.map((e) => e.userId)).size).toBeLessThanOrEqual(2_000);
  });

  it("refuses an unknown realm and a non-finite time", () => {
    const store = makeStore();
    expect(() => store.addUserEvents("nope", [])).toThrow(/unknown realm/);
    expect(() => store.addUserEvents("acme", [{ time: Number.NaN, type: "LOGIN" }])).toThrow(/finite/);
  });
});
