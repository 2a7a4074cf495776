import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveClientIds } from "@/lib/queries/names/resolve-client-ids";
import { loadUserEventsPage } from "@/lib/screens/events/load-events-page";
import { eventRow, SOURCE_ID, seedUserEvents } from "@/testkit/seed-events";
import { testSql, truncateAll } from "../../helpers/db";

const sql = testSql();
const NOW = Date.parse("2026-10-02T12:00:00Z");

beforeAll(async () => {
  await truncateAll(sql);
  await sql`insert into sources (id, name, updated_at) values (${SOURCE_ID}, 'clients', now())`;
  await sql`insert into realms (source_id, name, client_ids)
            values (${SOURCE_ID}, 'acme', ${sql.json(["shop", "shop-admin", "Orders-API", "acme-orders-ui"])})`;
  await sql`insert into entity_names (source_id, realm, kind, id, name, seen_at)
            values (${SOURCE_ID}, 'acme', 'client', 'c-uuid-1', 'billing-portal', now())`;
  await seedUserEvents(sql, [
    eventRow({ id: "e1", time: NOW - 60_000, clientId: "shop" }),
    eventRow({ id: "e2", time: NOW - 50_000, clientId: "shop-admin" }),
    eventRow({ id: "e3", time: NOW - 40_000, clientId: "Orders-API" }),
    eventRow({ id: "e4", time: NOW - 30_000, clientId: "acme-orders-ui" }),
  ]);
});
afterAll(async () => {
  await sql.end();
});

const found = async (terms: string[]) =>
  (await resolveClientIds(sql, terms, { realm: "acme" })).filter((c) => !terms.includes(c)).sort();

describe("client search", () => {
  it("finds client ids by start or part, in any case, from the names tables", async () => {
    expect(await found(["orders"])).toEqual(["Orders-API", "acme-orders-ui"]);
    expect(await found(["bill"])).toEqual(["billing-portal"]);
    expect(await found(["sh"])).toEqual(["shop", "shop-admin"]);
  });

  it("takes a whole client id as that client only, and several terms at once", async () => {
    expect(await resolveClientIds(sql, ["shop"], { realm: "acme" })).toEqual(["shop"]);
    expect(await found(["shop", "admin"])).toEqual(["shop-admin"]);
  });

  it("filters the explorer by several clients and by parts of them", async () => {
    const page = await loadUserEventsPage(sql, "viewer", { client: "orders, shop", range: "24h" }, NOW);
    expect(page.events.map((e) => e.id).sort()).toEqual(["e1", "e3", "e4"]);
  });
});
