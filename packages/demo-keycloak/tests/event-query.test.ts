import { describe, expect, it } from "vitest";
import {
  parseAdminEventQuery,
  parsePaging,
  parseUserEventQuery,
  type QueryContext,
} from "../src/event-query";
import { isHttpError } from "../src/keycloak-errors";

const modern: QueryContext = { mode: "modern", serverTimeZone: "UTC" };
const legacyBerlin: QueryContext = { mode: "legacy", serverTimeZone: "Europe/Berlin" };
const paging = { first: 0, max: 100 };
const q = (s: string) => new URLSearchParams(s);

function user(query: string, ctx = modern) {
  return parseUserEventQuery(q(query), paging, ctx);
}

describe("dateFrom / dateTo (26.2+)", () => {
  it("reads a day as the whole UTC day, both ends inclusive", () => {
    const spec = user("dateFrom=2026-03-01&dateTo=2026-03-01");
    expect(spec).toMatchObject({ from: Date.UTC(2026, 2, 1), to: Date.UTC(2026, 2, 2) - 1 });
  });

  it("reads a value without '-' as epoch milliseconds", () => {
    expect(user("dateFrom=1700000000123&dateTo=1700000000999")).toMatchObject({
      from: 1700000000123,
      to: 1700000000999,
    });
  });

  const bad: Array<[string, string]> = [
    [
      "dateFrom=2026-1-1",
      "Invalid value for 'dateFrom', expected format is yyyy-MM-dd or an Epoch timestamp",
    ],
    [
      "dateFrom=2026-02-30",
      "Invalid value for 'dateFrom', expected format is yyyy-MM-dd or an Epoch timestamp",
    ],
    [
      "dateFrom=yesterday",
      "Invalid value for 'dateFrom', expected format is yyyy-MM-dd or an Epoch timestamp",
    ],
    ["dateFrom=-5", "Invalid value for 'dateFrom', expected format is yyyy-MM-dd or an Epoch timestamp"],
    [
      "dateTo=Sun Nov 22 2026 10:00:00 GMT+0000",
      "Invalid value for 'dateTo', expected format is yyyy-MM-dd or an Epoch timestamp",
    ],
    [
      "dateFrom=x&dateTo=y",
      "Invalid value for 'dateFrom', expected format is yyyy-MM-dd or an Epoch timestamp",
    ],
    ["direction=DESC", "Invalid value for sortDirection, expected value is asc or desc"],
  ];
  it.each(bad)("answers 400 to %s with Keycloak's text", (query, text) => {
    expect(user(query)).toEqual({ status: 400, body: { error: text } });
  });

  it("checks the dates before the direction, and an unknown type before both (a 500, as EventType.valueOf throws)", () => {
    expect(user("dateFrom=x&direction=y")).toMatchObject({
      status: 400,
      body: { error: expect.stringContaining("dateFrom") },
    });
    expect(user("type=NOPE&dateFrom=x")).toEqual({
      status: 500,
      body: { error: "unknown_error", error_description: "For more on this error consult the server log." },
    });
  });

  it("defaults to newest first and accepts asc", () => {
    expect(user("")).toMatchObject({ order: "desc" });
    expect(user("direction=asc")).toMatchObject({ order: "asc" });
  });

  it("keeps repeated type values and exact filters", () => {
    const spec = user("type=LOGIN_ERROR&type=CODE_TO_TOKEN_ERROR&client=acme-spa&user=u1&ipAddress=10.0.0.1");
    expect(spec).toMatchObject({
      anyOf: [{ column: "type", values: ["LOGIN_ERROR", "CODE_TO_TOKEN_ERROR"] }],
      equals: [
        { column: "clientId", value: "acme-spa" },
        { column: "userId", value: "u1" },
        { column: "ipAddress", value: "10.0.0.1" },
      ],
    });
  });
});

describe("before 26.2 (legacy)", () => {
  it("reads days in the server's time zone and ends a user-events day at 23:59:59.999 local", () => {
    // Berlin is UTC+1 in January: local midnight is 23:00 UTC the day before.
    expect(user("dateFrom=2026-01-10&dateTo=2026-01-10", legacyBerlin)).toMatchObject({
      from: Date.UTC(2026, 0, 9, 23),
      to: Date.UTC(2026, 0, 10, 22, 59, 59, 999),
    });
  });

  it("makes an admin-events dateTo the start of that day, so the day itself is excluded", () => {
    const spec = parseAdminEventQuery(q("dateTo=2026-07-10"), paging, legacyBerlin);
    // Berlin is UTC+2 in July.
    expect(spec).toMatchObject({ to: Date.UTC(2026, 6, 9, 22) });
  });

  it("rejects an epoch value with the old message and ignores direction (always newest first)", () => {
    expect(user("dateFrom=1700000000000", legacyBerlin)).toEqual({
      status: 400,
      body: { error: "Invalid value for 'Date(From)', expected format is yyyy-MM-dd" },
    });
    expect(user("direction=asc", legacyBerlin)).toMatchObject({ order: "desc" });
    expect(user("direction=sideways", legacyBerlin)).toMatchObject({ order: "desc" });
  });

  it("is lenient like SimpleDateFormat: a 30th of February rolls over into March", () => {
    expect(user("dateFrom=2026-02-30", { mode: "legacy", serverTimeZone: "UTC" })).toMatchObject({
      from: Date.UTC(2026, 2, 2),
    });
  });
});

describe("paging parameters", () => {
  it("defaults max to 100 with no upper cap; negative first is ignored", () => {
    expect(parsePaging(q(""))).toEqual({ first: 0, max: 100 });
    expect(parsePaging(q("first=-3&max=50000"))).toEqual({ first: 0, max: 50000 });
    expect(parsePaging(q("max=-1"))).toEqual({ first: 0, max: -1 });
  });

  it("answers JAX-RS's generic 404 to a non-integer", () => {
    for (const bad of ["first=abc", "max=1.5", "max=99999999999"]) {
      const r = parsePaging(q(bad));
      expect(isHttpError(r) && r).toEqual({ status: 404, body: { error: "HTTP 404 Not Found" } });
    }
  });
});

describe("admin-events filters", () => {
  it("turns * in resourcePath into a LIKE wildcard and validates enum values", () => {
    expect(
      parseAdminEventQuery(
        q("resourcePath=users/*&operationTypes=DELETE&resourceTypes=USER"),
        paging,
        modern,
      ),
    ).toMatchObject({
      like: [{ column: "resourcePath", pattern: "users/%" }],
      anyOf: [
        { column: "operationType", values: ["DELETE"] },
        { column: "resourceType", values: ["USER"] },
      ],
    });
    expect(parseAdminEventQuery(q("operationTypes=DESTROY"), paging, modern)).toMatchObject({ status: 500 });
  });
});
