import { describe, expect, it } from "vitest";
import {
  capitalized,
  idsInPath,
  isUuid,
  namePath,
  nameText,
  partsDisplayText,
  partsText,
  shortId,
} from "@/lib/screens/names/named-parts";
import { parsePatternListFilter } from "@/lib/screens/patterns/pattern-list-filter";

const USER = "2313597c-2b25-4351-b61d-9f4b5d146bba";
const CLIENT = "a03fa997-31d1-427f-87ea-45cdc10ce5dd";
const MAPPER = "ddbae2b7-6c97-4970-a202-4fa6a4a7e950";
const POLICY = "7f9c1b2a-0000-4000-8000-00000000abcd";

describe("ids in admin resource paths", () => {
  it("types each id by the collection it follows", () => {
    expect(idsInPath(`users/${USER}/role-mappings/clients/${CLIENT}`)).toEqual([
      { kind: "user", id: USER },
      { kind: "client", id: CLIENT },
    ]);
    expect(idsInPath(`clients/${CLIENT}/protocol-mappers/models/${MAPPER}`)).toEqual([
      { kind: "client", id: CLIENT },
      { kind: "mapper", id: MAPPER },
    ]);
    expect(idsInPath("attack-detection/brute-force/users/u-1")).toEqual([{ kind: "user", id: "u-1" }]);
    expect(idsInPath("client-scopes/s-1")).toEqual([{ kind: "client-scope", id: "s-1" }]);
    // A UUID after a collection of no known kind (an authorization policy) is an id, but not one to look up.
    expect(idsInPath(`clients/${CLIENT}/authz/resource-server/policy/${POLICY}`)).toEqual([
      { kind: "client", id: CLIENT },
    ]);
    expect(idsInPath(null)).toEqual([]);
    expect(idsInPath("roles/orders-admin")).toEqual([]);
  });

  it("reads a path with names, unknown ids kept as ids", () => {
    const names: Record<string, string> = { [USER]: "marco.rossi", [CLIENT]: "acme-orders-api" };
    const parts = namePath(`users/${USER}/role-mappings/clients/${CLIENT}`, (_kind, id) => names[id] ?? null);
    expect(partsText(parts)).toBe("users/marco.rossi/role-mappings/clients/acme-orders-api");
    expect(parts[1]).toEqual({ id: USER, kind: "user", name: "marco.rossi" });

    const policy = namePath(
      `clients/${CLIENT}/authz/resource-server/policy/${POLICY}`,
      (_k, id) => names[id] ?? null,
    );
    expect(partsText(policy)).toBe(`clients/acme-orders-api/authz/resource-server/policy/${POLICY}`);
    expect(partsDisplayText(policy)).toBe("clients/acme-orders-api/authz/resource-server/policy/7f9c1b2a…");
  });
});

describe("ids and names in free text", () => {
  it("names the UUIDs a reason spells out and marks usernames it spells out, whole words only", () => {
    const parts = nameText(
      `A protocol mapper of client ${CLIENT} deleted; role mapping removed from user marco.rossi, not marco.rossini.`,
      (id) => (id === CLIENT ? { kind: "client", name: "acme-orders-api" } : { kind: null, name: null }),
      [{ text: "marco.rossi", id: USER, kind: "user", name: "m•••" }],
    );
    expect(partsText(parts)).toBe(
      "A protocol mapper of client acme-orders-api deleted; role mapping removed from user m•••, not marco.rossini.",
    );
    expect(parts.filter((p) => !("text" in p))).toEqual([
      { id: CLIENT, kind: "client", name: "acme-orders-api" },
      { id: USER, kind: "user", name: "m•••" },
    ]);
  });

  it("shortens what it cannot name and leaves text without ids alone", () => {
    expect(partsDisplayText(nameText(`by ${USER}`, () => ({ kind: null, name: null })))).toBe("by 2313597c…");
    expect(nameText("Realm settings updated", () => ({ kind: null, name: null }))).toEqual([
      { text: "Realm settings updated" },
    ]);
    expect(nameText(null, () => ({ kind: null, name: null }))).toEqual([]);
    expect(
      capitalized([{ text: "a protocol mapper of " }, { id: CLIENT, kind: "client", name: "x" }])[0],
    ).toEqual({
      text: "A protocol mapper of ",
    });
  });

  it("tells ids from names", () => {
    expect(isUuid(USER)).toBe(true);
    expect(isUuid("admin")).toBe(false);
    expect(shortId(USER)).toBe("2313597c…");
    expect(shortId("u-1")).toBe("u-1");
  });
});

describe("the Patterns page's URL", () => {
  it("takes realm, causes, statuses (repeated or comma-separated) and a sort from a closed set", () => {
    const f = parsePatternListFilter(
      new URLSearchParams("realm=acme&cause=missing-role&cause=cors&status=open,ongoing&sort=failures"),
    );
    expect(f).toMatchObject({
      realm: "acme",
      causes: ["missing-role", "cors"],
      statuses: ["open", "ongoing"],
      sort: "failures",
    });
    expect(parsePatternListFilter({}).sort).toBeNull();
    expect(() => parsePatternListFilter({ sort: "first_seen; drop table patterns" })).toThrow();
    expect(() => parsePatternListFilter({ cause: "x' or '1'='1" })).toThrow();
    expect(() => parsePatternListFilter({ status: "closed" })).toThrow();
  });
});
