import { describe, expect, it } from "vitest";
import { ZodError } from "zod";
import {
  adminEventFilterParams,
  parseAdminEventFilter,
  resourcePathPattern,
} from "@/lib/queries/events/admin-event-filter";
import { parseUserEventFilter, userEventFilterParams } from "@/lib/queries/events/user-event-filter";

const NOW = Date.parse("2026-03-10T12:00:00.000Z");

describe("user-event filters from a URL", () => {
  it("takes several types, users and origins, as repeated keys or comma lists, and drops duplicates", () => {
    const f = parseUserEventFilter(
      new URLSearchParams(
        "type=LOGIN_ERROR&type=CLIENT_LOGIN_ERROR,LOGIN_ERROR&user=alice, bob@example.com&origin=api&origin=access-log",
      ),
      NOW,
    );
    expect(f.types).toEqual(["LOGIN_ERROR", "CLIENT_LOGIN_ERROR"]);
    expect(f.users).toEqual(["alice", "bob@example.com"]);
    expect(f.origins).toEqual(["api", "access-log"]);
  });

  it("treats empty form fields as 'any' and defaults to all events of the last 24 hours in UTC", () => {
    const f = parseUserEventFilter({ realm: "", client: "  ", type: "", tz: undefined }, NOW);
    expect(f).toMatchObject({ realm: null, clients: [], types: [], outcome: "all", timeZone: "UTC" });
    expect(f.range).toMatchObject({ from: NOW - 86_400_000, to: NOW, preset: "24h" });
  });

  it("keeps the first value of a single-valued key given twice", () => {
    expect(parseUserEventFilter({ realm: ["acme", "retail"] }, NOW).realm).toBe("acme");
  });

  it.each([
    ["type", "login error", /event type/],
    ["cause", "not-a-cause", /cause/],
    ["origin", "carrier-pigeon", /origin/],
    ["tz", "Mars/Olympus", /IANA time zone/],
    ["source", "not-a-uuid", /source id/],
    ["outcome", "some", /outcome/],
  ])("rejects %s=%s with a message naming the field", (key, value, message) => {
    let error: unknown;
    try {
      parseUserEventFilter({ [key]: value }, NOW);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ZodError);
    expect(JSON.stringify((error as ZodError).issues)).toMatch(message);
    expect((error as ZodError).issues[0]?.path[0]).toBe(key);
  });

  it("rebuilds URL parameters that parse back to the same filter (paging and export links)", () => {
    const input = new URLSearchParams(
      "realm=acme&type=LOGIN_ERROR&type=USER_INFO_REQUEST_ERROR&error=access_denied&cause=missing-scope&client=spa&user=alice&ip=10.0.0.1&origin=log&outcome=failures&tz=Europe/Berlin&from=2026-03-01&to=2026-03-02",
    );
    const f = parseUserEventFilter(input, NOW);
    expect(parseUserEventFilter(userEventFilterParams(f), NOW)).toEqual(f);
  });
});

describe("admin-event filters", () => {
  it("parses operations, resource types and a wildcard path, and round-trips", () => {
    const f = parseAdminEventFilter(
      "operation=DELETE&operation=UPDATE&resourceType=REALM_ROLE_MAPPING,CLIENT&resourcePath=users/1b2c*&range=7d"
        .split("&")
        .reduce((p, kv) => {
          const [k, v] = kv.split("=");
          p.append(k!, v!);
          return p;
        }, new URLSearchParams()),
      NOW,
    );
    expect(f).toMatchObject({
      operations: ["DELETE", "UPDATE"],
      resourceTypes: ["REALM_ROLE_MAPPING", "CLIENT"],
      resourcePath: "users/1b2c*",
    });
    expect(parseAdminEventFilter(adminEventFilterParams(f), NOW)).toEqual(f);
  });

  it.each([
    ["users/*", "users/%"],
    ["users/abc", "users/abc"],
    ["clients/*/roles/*", "clients/%/roles/%"],
    ["50%_off", "50\\%\\_off"],
    ["back\\slash*", "back\\\\slash%"],
  ])("reads the resource path %s as Keycloak does: LIKE %s", (path, pattern) => {
    expect(resourcePathPattern(path)).toBe(pattern);
  });
});
