import { describe, expect, it } from "vitest";
import { parseEventJson, parseEventJsonDocument } from "@/lib/logs/parse-event-json";

const USER_EVENT = {
  id: "0b0e8a52-54a3-4f0c-9d6c-1e1f0c7a7f55",
  time: 1735725600123,
  type: "LOGIN_ERROR",
  realmId: "4c3d9a0e-1b7f-4a52-8e61-2f0b9c7d5a13",
  clientId: "shop",
  userId: null,
  ipAddress: "203.0.113.24",
  error: "user_not_found",
  details: { username: "alcie", auth_method: "openid-connect" },
};

const ADMIN_EVENT = {
  id: "9c1d",
  time: 1735725600999,
  realmId: "4c3d9a0e",
  authDetails: { realmId: "m1", clientId: "9b1f-uuid", userId: "admin-uuid", ipAddress: "10.0.0.7" },
  operationType: "ACTION",
  resourceType: "USER_PROFILE",
  resourcePath: "users/profile",
  representation: '{"attributes":[]}',
  error: null,
  details: { source: "admin-console" },
};

describe("parseEventJson", () => {
  it("reads one EventRepresentation", () => {
    expect(parseEventJson(JSON.stringify(USER_EVENT))).toEqual([
      {
        ok: true,
        kind: "user",
        event: { ...USER_EVENT, realmName: null, sessionId: null },
      },
    ]);
  });

  it("reads one AdminEventRepresentation, keeping a newer resource type as a string", () => {
    const [result] = parseEventJson(JSON.stringify(ADMIN_EVENT)) ?? [];
    expect(result).toEqual({ ok: true, kind: "admin", event: ADMIN_EVENT });
  });

  it("reads an array and reports its bad elements one by one", () => {
    const results = parseEventJson(JSON.stringify([USER_EVENT, { type: "LOGIN" }, 42, ADMIN_EVENT]));
    expect(results?.map((r) => (r.ok ? r.kind : r.error))).toEqual([
      "user",
      expect.stringContaining("time"),
      "not an event object",
      "admin",
    ]);
  });

  it("keeps unknown event types and errors from newer servers", () => {
    const [result] =
      parseEventJson(
        JSON.stringify({ ...USER_EVENT, type: "PASSKEY_LOGIN_ERROR", error: "passkey_rejected" }),
      ) ?? [];
    expect(result).toMatchObject({
      ok: true,
      event: { type: "PASSKEY_LOGIN_ERROR", error: "passkey_rejected" },
    });
  });

  it("normalises epoch strings, pre-26.2 events without id, and non-string detail values", () => {
    const { id: _id, ...withoutId } = USER_EVENT;
    const [result] =
      parseEventJson(
        JSON.stringify({
          ...withoutId,
          time: "1735725600123",
          details: { attempts: 3, empty: "", none: null, flag: true },
        }),
      ) ?? [];
    expect(result).toMatchObject({
      ok: true,
      event: { id: null, time: 1735725600123, details: { attempts: "3", flag: "true" } },
    });
  });

  it("returns null for lines that are not JSON", () => {
    expect(parseEventJson("2024-01-01 INFO started")).toBeNull();
    expect(parseEventJson("{ not json")).toBeNull();
  });

  it("rejects events with an unusable time", () => {
    const [result] = parseEventJson(JSON.stringify({ ...USER_EVENT, time: -5 })) ?? [];
    expect(result?.ok).toBe(false);
  });
});

describe("parseEventJsonDocument", () => {
  it("reads a pretty-printed array as curl saves it", () => {
    const results = parseEventJsonDocument(JSON.stringify([USER_EVENT, USER_EVENT], null, 2));
    expect(results.filter((r) => r.ok)).toHaveLength(2);
  });

  it("reads pretty-printed objects pasted one after another, and JSON lines", () => {
    const pretty = `${JSON.stringify(USER_EVENT, null, 4)}\n${JSON.stringify(ADMIN_EVENT, null, 4)}`;
    expect(parseEventJsonDocument(pretty).map((r) => r.ok && r.kind)).toEqual(["user", "admin"]);
    const lines = [USER_EVENT, USER_EVENT, ADMIN_EVENT].map((e) => JSON.stringify(e)).join("\n");
    expect(parseEventJsonDocument(lines).map((r) => r.ok && r.kind)).toEqual(["user", "user", "admin"]);
  });

  it("reports text between the objects without losing the events around it", () => {
    const doc = `${JSON.stringify(USER_EVENT)}\n-- page 2 --\n${JSON.stringify(USER_EVENT)}`;
    const results = parseEventJsonDocument(doc);
    expect(results.filter((r) => r.ok)).toHaveLength(2);
    expect(results.filter((r) => !r.ok)).toHaveLength(1);
  });
});
