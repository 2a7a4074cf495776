import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isKnownClient, isKnownRealm, isKnownUser } from "@/lib/queries/drilldown/known-entity";
import { loadClientPage } from "@/lib/screens/drilldown/load-client-page";
import { loadUserPage } from "@/lib/screens/drilldown/load-user-page";
import { eventRow, SOURCE_ID, seedAdminEvents, seedUserEvents } from "@/testkit/seed-events";
import { testSql, truncateAll } from "../../helpers/db";

const sql = testSql();
const NOW = Date.parse("2026-10-02T12:00:00Z");
const DAY = 86_400_000;

beforeAll(async () => {
  await truncateAll(sql);
  await sql`insert into sources (id, name, updated_at) values (${SOURCE_ID}, 'known', now())`;
  // The event is 40 days old: known, though outside every page's default range.
  await seedUserEvents(sql, [
    eventRow({ id: "k1", time: NOW - 40 * DAY, userId: "u-seen", clientId: "shop" }),
  ]);
  await seedAdminEvents(sql, [
    {
      sourceId: SOURCE_ID,
      realm: "acme",
      id: "a1",
      time: NOW - DAY,
      realmId: null,
      authRealmId: null,
      authClientId: null,
      authUserId: null,
      authIpAddress: null,
      operationType: "CREATE",
      resourceType: "USER",
      resourcePath: "users/u-created",
      representation: null,
      error: null,
      details: null,
      origin: "api",
    },
  ]);
});
afterAll(async () => {
  await sql.end();
});

describe("whether a realm, user or client was ever seen", () => {
  it("knows a realm with rolled-up events and no other", async () => {
    expect(await isKnownRealm(sql, "acme")).toBe(true);
    expect(await isKnownRealm(sql, "acme2")).toBe(false);
  });

  it("knows a user by an old event or an admin change only, and not a lookalike id", async () => {
    expect(await isKnownUser(sql, { realm: "acme", userId: "u-seen" })).toBe(true);
    expect(await isKnownUser(sql, { realm: "acme", userId: "u-created" })).toBe(true);
    expect(await isKnownUser(sql, { realm: "other", userId: "u-seen" })).toBe(false);
    expect(await isKnownUser(sql, { realm: "acme", userId: "u-nobody" })).toBe(false);
    // A like wildcard in an id matches only itself.
    expect(await isKnownUser(sql, { realm: "acme", userId: "u-%" })).toBe(false);
  });

  it("knows a user whose only events retention summarized in user days", async () => {
    expect(await isKnownUser(sql, { realm: "acme", userId: "u-summarized" })).toBe(false);
    await sql`
      insert into user_days (realm, user_id, day, source_id, successes, success_hours)
      values ('acme', 'u-summarized', '2026-09-20', ${SOURCE_ID}, 3, '{"9": 3}')`;
    expect(await isKnownUser(sql, { realm: "acme", userId: "u-summarized" })).toBe(true);
    expect(await isKnownUser(sql, { realm: "other", userId: "u-summarized" })).toBe(false);
  });

  it("knows a client by its failures, not an unknown id", async () => {
    expect(await isKnownClient(sql, { realm: "acme", clientId: "shop" })).toBe(true);
    expect(await isKnownClient(sql, { realm: "acme", clientId: "shop2" })).toBe(false);
  });

  it("turns an unknown user or client into a not-found error on their pages", async () => {
    const user = loadUserPage(sql, "admin", { realm: "acme", userId: "u-nobody" }, {}, NOW);
    await expect(user).rejects.toMatchObject({ code: "not_found" });
    const client = loadClientPage(sql, "admin", { realm: "acme", clientId: "shop2" }, {}, NOW);
    await expect(client).rejects.toMatchObject({ code: "not_found" });
    const known = await loadUserPage(sql, "admin", { realm: "acme", userId: "u-seen" }, {}, NOW);
    expect(known.drilldown.userId).toBe("u-seen");
  });
});
