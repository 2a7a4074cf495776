import { describe, expect, it } from "vitest";
import {
  isRejected,
  LIMITS,
  toAdminEventRow,
  toUserEventRow,
  userEventFingerprint,
} from "@/lib/keycloak/event-rows";

const ctx = { sourceId: "00000000-0000-4000-8000-000000000001", realm: "acme", origin: "api" as const };
const T = Date.UTC(2026, 10, 1, 12, 0, 0, 123);

describe("user events become rows", () => {
  it("keeps Keycloak's fields, marks failures and reads the username from details", () => {
    const row = toUserEventRow(
      {
        id: "8d1c0c70-4a5e-4a43-9d6e-3f3f5f3c1a11",
        time: T,
        type: "LOGIN_ERROR",
        realmId: "5b1c",
        clientId: "spa",
        userId: "u-1",
        ipAddress: "10.0.0.1",
        error: "invalid_user_credentials",
        details: { username: "alice", auth_method: "openid-connect" },
      },
      ctx,
    );
    if (isRejected(row)) throw new Error(row.rejected);
    expect(row).toMatchObject({
      id: "8d1c0c70-4a5e-4a43-9d6e-3f3f5f3c1a11",
      isFailure: true,
      username: "alice",
      time: T,
    });
  });

  it("fingerprints events without an id (Keycloak before 26.2): same content, same key; any field changes it", () => {
    const e = { time: T, type: "LOGIN", clientId: "spa", userId: "u-1", details: { b: "2", a: "1" } };
    const a = toUserEventRow(e, ctx);
    const b = toUserEventRow({ ...e, details: { a: "1", b: "2" } }, ctx);
    const c = toUserEventRow({ ...e, ipAddress: "10.0.0.2" }, ctx);
    if (isRejected(a) || isRejected(b) || isRejected(c)) throw new Error("rejected");
    expect(a.id).toMatch(/^fp:/);
    expect(a.id).toBe(b.id);
    expect(c.id).not.toBe(a.id);
    expect(userEventFingerprint({ ...a })).toBe(a.id);
  });

  it("replaces NUL bytes, which PostgreSQL text and jsonb cannot hold, instead of dropping the event", () => {
    const row = toUserEventRow(
      { time: T, type: "LOGIN_ERROR", userId: "a\u0000b", details: { username: "x\u0000y" } },
      ctx,
    );
    if (isRejected(row)) throw new Error(row.rejected);
    expect(row.userId).toBe("a\uFFFDb");
    expect(row.details?.username).toBe("x\uFFFDy");
  });

  it("replaces lone surrogates, which jsonb rejects, so the row can still be stored", () => {
    const row = toUserEventRow(
      { time: T, type: "LOGIN_ERROR", details: { username: "a\uD800b", ok: "\uD83D\uDE00" } },
      ctx,
    );
    if (isRejected(row)) throw new Error(row.rejected);
    expect(row.details?.username).toBe("a\uFFFDb");
    expect(row.details?.ok).toBe("\uD83D\uDE00");
    expect(() => JSON.parse(JSON.stringify(row.details))).not.toThrow();
  });

  it("caps huge details and says so", () => {
    const huge = "A".repeat(2_000_000);
    const row = toUserEventRow({ time: T, type: "LOGIN_ERROR", details: { reason: huge, other: "ok" } }, ctx);
    if (isRejected(row)) throw new Error(row.rejected);
    expect(row.details?.reason?.length).toBe(LIMITS.detailValue);
    expect(row.details?._truncated).toMatch(/shortened/);
    expect(JSON.stringify(row.details).length).toBeLessThan(LIMITS.detailsTotal + 1000);
  });

  it("keeps HTML in usernames as data (escaping is the renderer's job)", () => {
    const row = toUserEventRow(
      { time: T, type: "LOGIN", details: { username: "<img src=x onerror=alert(1)>" } },
      ctx,
    );
    if (isRejected(row)) throw new Error(row.rejected);
    expect(row.username).toBe("<img src=x onerror=alert(1)>");
  });

  it("keeps unknown event types from newer Keycloak versions; an _ERROR suffix still marks a failure", () => {
    const row = toUserEventRow(
      { time: T, type: "VERIFIABLE_CREDENTIAL_FUTURE_THING_ERROR", error: "brand_new" },
      ctx,
    );
    if (isRejected(row)) throw new Error(row.rejected);
    expect(row.type).toBe("VERIFIABLE_CREDENTIAL_FUTURE_THING_ERROR");
    expect(row.isFailure).toBe(true);
  });

  it("rejects what cannot be an event, with a reason", () => {
    expect(toUserEventRow({ type: "LOGIN" }, ctx)).toEqual({ rejected: "unusable time null" });
    expect(toUserEventRow({ time: "yesterday", type: "LOGIN" }, ctx)).toMatchObject({
      rejected: expect.stringMatching(/unusable time/),
    });
    expect(toUserEventRow({ time: T }, ctx)).toEqual({ rejected: "missing type" });
    expect(toUserEventRow(null as never, ctx)).toEqual({ rejected: "not an object" });
    expect(toUserEventRow({ time: 12, type: "LOGIN" }, ctx)).toMatchObject({
      rejected: expect.stringMatching(/unusable time/),
    });
  });

  it("treats jboss-logging's literal null as absent and non-string values as text", () => {
    const row = toUserEventRow(
      { time: String(T), type: "LOGIN", userId: "null", details: { n: 5 as never } },
      ctx,
    );
    if (isRejected(row)) throw new Error(row.rejected);
    expect(row.userId).toBeNull();
    expect(row.details?.n).toBe("5");
    expect(row.time).toBe(T);
  });
});

describe("admin events become rows", () => {
  it("keeps authDetails (the client UUID) and the resource path", () => {
    const row = toAdminEventRow(
      {
        time: T,
        realmId: "r",
        authDetails: { realmId: "m", clientId: "c-uuid", userId: "admin", ipAddress: "10.0.0.9" },
        operationType: "DELETE",
        resourceType: "CLIENT_ROLE_MAPPING",
        resourcePath: "users/u-1/role-mappings/clients/c-uuid",
      },
      ctx,
    );
    if (isRejected(row)) throw new Error(row.rejected);
    expect(row).toMatchObject({
      authClientId: "c-uuid",
      operationType: "DELETE",
      id: expect.stringMatching(/^fp:/),
    });
  });

  it("rejects an admin event without an operation type", () => {
    expect(toAdminEventRow({ time: T }, ctx)).toEqual({ rejected: "missing operationType" });
  });
});
