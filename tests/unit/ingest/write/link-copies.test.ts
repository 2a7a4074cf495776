import { describe, expect, it } from "vitest";
import { COPY_FITS, isCopiedType, typesFitting } from "@/lib/ingest/write/copy-fits";
import {
  assignCopies,
  COPY_MATCH_WINDOW_MS,
  type CopyPair,
  copyProbe,
  mergeWindows,
  pairLines,
  withoutStored,
} from "@/lib/ingest/write/link-copies";
import type { UserEventRow } from "@/lib/keycloak/event-rows";

const T = Date.UTC(2025, 5, 3, 10, 0, 0);

describe("which events a request can repeat", () => {
  it.each([
    ["POST", "/realms/acme/protocol/openid-connect/token", 401, "CLIENT_LOGIN_ERROR"],
    ["POST", "/realms/acme/protocol/openid-connect/token", 400, "REFRESH_TOKEN_ERROR"],
    ["POST", "/auth/realms/acme/protocol/openid-connect/token", 400, "CODE_TO_TOKEN_ERROR"],
    ["POST", "/realms/acme/protocol/openid-connect/token", 403, "PERMISSION_TOKEN_ERROR"],
    ["GET", "/realms/acme/protocol/openid-connect/userinfo", 403, "USER_INFO_REQUEST_ERROR"],
    ["POST", "/realms/acme/protocol/openid-connect/token/introspect", 401, "INTROSPECT_TOKEN_ERROR"],
    ["POST", "/realms/acme/login-actions/authenticate", 200, "LOGIN_ERROR"],
    ["GET", "/realms/acme/protocol/openid-connect/auth", 400, "LOGIN_ERROR"],
    ["GET", "/realms/acme/protocol/openid-connect/logout", 400, "LOGOUT_ERROR"],
  ])("%s %s answered %d can repeat a %s", (_method, path, status, type) => {
    expect(typesFitting(path, status)).toContain(type);
  });

  it.each([
    ["/realms/acme/protocol/openid-connect/token", 200],
    ["/realms/acme/protocol/openid-connect/userinfo", 400],
    ["/admin/realms/acme/users", 403],
    ["/api/orders", 401],
    ["/realms/acme/protocol/openid-connect/token/introspect", 200],
  ])("%s answered %d repeats no event", (path, status) => {
    expect(typesFitting(path, status)).toEqual([]);
  });

  it("names only event types that are failures, and knows each of them", () => {
    for (const fit of COPY_FITS) for (const type of fit.types) expect(type.endsWith("_ERROR")).toBe(true);
    expect(isCopiedType("CLIENT_LOGIN_ERROR")).toBe(true);
    expect(isCopiedType("LOGIN")).toBe(false);
    expect(typesFitting(null, 401)).toEqual([]);
  });
});

function row(over: Partial<UserEventRow>): UserEventRow {
  return {
    sourceId: "s",
    realm: "acme",
    id: "x",
    time: T,
    type: "HTTP_DENIAL",
    realmId: null,
    clientId: null,
    userId: null,
    sessionId: null,
    ipAddress: null,
    error: null,
    details: null,
    isFailure: true,
    username: null,
    cause: null,
    ruleId: null,
    confidence: null,
    evidence: null,
    catalogueVersion: null,
    origin: "api",
    httpMethod: null,
    httpPath: null,
    httpStatus: null,
    ...over,
  };
}

describe("what a batch gives the linker", () => {
  it("keeps the lines and reports that may be copies and the times of the events they may repeat", () => {
    const probe = copyProbe([
      row({
        id: "line",
        origin: "access-log",
        httpPath: "/realms/acme/protocol/openid-connect/token",
        httpStatus: 401,
      }),
      row({ id: "admin", origin: "access-log", httpPath: "/admin/realms/acme/users", httpStatus: 403 }),
      row({ id: "ev", time: T + 5, type: "CLIENT_LOGIN_ERROR", error: "invalid_client_credentials" }),
      row({ id: "ok", time: T + 6, type: "LOGIN", isFailure: false }),
      row({ id: "admin-event", time: T + 7, type: "UPDATE_PASSWORD_ERROR", origin: "log" }),
    ]);
    expect(probe).toEqual({ candidates: [{ id: "line", time: T }], eventTimes: [T + 5] });
    expect(withoutStored(probe!, new Set(["line"]))).toEqual({ candidates: [], eventTimes: [T + 5] });
    expect(copyProbe([row({ type: "LOGIN", isFailure: false })])).toBeNull();
  });

  it("merges overlapping windows", () => {
    expect(mergeWindows([T + 10_000, T, T + 3_000], 2_000)).toEqual({
      from: [T - 2_000, T + 8_000],
      to: [T + 5_000, T + 12_000],
    });
  });
});

const at = (ms: number) => new Date(T + ms);
const request = { method: "POST", path: "/realms/acme/protocol/openid-connect/token", status: 401 };
const none = { originHeader: null, referer: null, userAgent: null };

describe("pairing lines with events", () => {
  const line = (id: string, ms: number, over: Record<string, unknown> = {}) => ({
    time: at(ms),
    id,
    ipAddress: "198.51.100.7",
    clientId: null,
    userId: null,
    ...request,
    ...none,
    ...over,
  });
  const event = (id: string, ms: number, over: Record<string, unknown> = {}) => ({
    time: at(ms),
    id,
    type: "CLIENT_LOGIN_ERROR",
    ipAddress: "198.51.100.7",
    clientId: "billing",
    userId: null,
    ...over,
  });

  it("pairs by address, window, fitting type, client and user", () => {
    const pairs = pairLines(
      [line("l1", 0), line("l2", 0, { clientId: "other" }), line("l3", 0, { ipAddress: "203.0.113.1" })],
      [
        event("near", 400),
        event("far", COPY_MATCH_WINDOW_MS + 1),
        event("wrong-type", 10, { type: "USER_INFO_REQUEST_ERROR" }),
      ],
    );
    expect(pairs.map((p) => [p.copyId, p.eventId, p.distance])).toEqual([["l1", "near", 400]]);
  });

  it("pairs a report, which has no address, by its client", () => {
    const report = line("r", 0, { ipAddress: null, clientId: "billing" });
    expect(pairLines([report], [event("e", -300)]).map((p) => p.eventId)).toEqual(["e"]);
    expect(pairLines([{ ...report, clientId: null }], [event("e", -300)])).toEqual([]);
  });
});

describe("assigning copies", () => {
  const EVENT_MS = { e1: 1000, e2: 2000 };
  const pair = (copyId: string, copyMs: number, eventId: keyof typeof EVENT_MS): CopyPair => ({
    copyTime: at(copyMs),
    copyId,
    eventTime: at(EVENT_MS[eventId]),
    eventId,
    distance: Math.abs(EVENT_MS[eventId] - copyMs),
  });

  it("gives each line its nearest event no other line took", () => {
    // a is 100 ms from e1 and 900 ms from e2; b is 50 ms from e1: a takes e2.
    const links = assignCopies([
      pair("a", 1100, "e1"),
      pair("a", 1100, "e2"),
      pair("b", 950, "e1"),
      pair("b", 950, "e2"),
    ]);
    expect(links.map((l) => [l.copyId, l.eventId]).sort()).toEqual([
      ["a", "e2"],
      ["b", "e1"],
    ]);
  });

  it("gives a line whose events are all taken the nearest one anyway", () => {
    const links = assignCopies([pair("a", 1100, "e1"), pair("b", 1300, "e1")]);
    expect(links.map((l) => [l.copyId, l.eventId]).sort()).toEqual([
      ["a", "e1"],
      ["b", "e1"],
    ]);
  });
});
