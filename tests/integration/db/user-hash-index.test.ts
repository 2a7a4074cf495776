import type postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { USER_HASH_INDEX, userIdIn, userIdIs } from "@/lib/db/user-hash";
import { isKnownUser } from "@/lib/queries/drilldown/known-entity";
import { getUserDrilldown } from "@/lib/queries/drilldown/user-drilldown";
import { eventRow, SOURCE_ID, seedUserEvents } from "@/testkit/seed-events";
import { testSql, truncateAll } from "../helpers/db";

/**
 * user_events finds a user's events through (hashtext(user_id), time) (lib/db/user-hash.ts): the queries that
 * look a user up name the hash, so the planner can use the index, and compare the id too, so two ids that share
 * a hash are never mixed up.
 */
const sql = testSql();
const NOW = Date.parse("2026-10-02T12:00:00Z");
const HOUR = 3_600_000;
/**
 * Two pairs of user ids, each pair with one hashtext, found in the database itself (hashtext is fixed: the same
 * three pairs among these 200,000 ids every time). Both of the first pair have events, one of the second.
 */
let twins: [string, string] = ["", ""];
let lone: { seen: string; unseen: string } = { seen: "", unseen: "" };

beforeAll(async () => {
  await truncateAll(sql);
  await sql`insert into sources (id, name, updated_at) values (${SOURCE_ID}, 'user-hash', now())`;
  const pairs = await sql<{ ids: string[] }[]>`
    select (array_agg(id order by id))[1:2] as ids
    from (select 'user-' || g as id from generate_series(1, 200000) g) as s
    group by hashtext(id) having count(*) > 1 order by 1 limit 2`;
  if (pairs.length < 2)
    throw new Error("fewer than two pairs of ids share a hash among 200,000: look further");
  twins = [pairs[0]!.ids[0]!, pairs[0]!.ids[1]!];
  lone = { seen: pairs[1]!.ids[0]!, unseen: pairs[1]!.ids[1]! };
  // Two days, so the queries open several partitions; the twins' events interleaved with other users'.
  const rows = [];
  for (let i = 0; i < 48; i++) {
    const time = NOW - 48 * HOUR + i * HOUR;
    rows.push(eventRow({ id: `a${i}`, time, userId: twins[0] }));
    if (i % 2 === 0)
      rows.push(eventRow({ id: `b${i}`, time: time + 1000, userId: twins[1], username: "bob" }));
    rows.push(eventRow({ id: `c${i}`, time: time + 2000, userId: `other-${i}` }));
  }
  rows.push(eventRow({ id: "lone", time: NOW - HOUR, userId: lone.seen }));
  await seedUserEvents(sql, rows);
  await sql`analyze user_events`;
});
afterAll(async () => {
  await sql.end();
});

describe("the hashed per-user index", () => {
  it("keeps two ids that share a hash apart in a user's page and in whether the user is known", async () => {
    const range = { from: NOW - 2 * 24 * HOUR, to: NOW };
    const first = await getUserDrilldown(sql, { realm: "acme", userId: twins[0], range });
    const second = await getUserDrilldown(sql, { realm: "acme", userId: twins[1], range });
    expect(first.events.map((e) => e.id).sort()).toEqual(
      Array.from({ length: 48 }, (_, i) => `a${i}`).sort(),
    );
    expect(second.events.map((e) => e.id).sort()).toEqual(
      Array.from({ length: 24 }, (_, i) => `b${2 * i}`).sort(),
    );
    expect(await isKnownUser(sql, { realm: "acme", userId: twins[1] })).toBe(true);
    // Sharing the hash of a known id does not make an id known, nor give it the other's events.
    expect(await isKnownUser(sql, { realm: "acme", userId: lone.seen })).toBe(true);
    expect(await isKnownUser(sql, { realm: "acme", userId: lone.unseen })).toBe(false);
    const unseen = await getUserDrilldown(sql, { realm: "acme", userId: lone.unseen, range });
    expect(unseen.events).toEqual([]);
  });

  /**
   * The plan of a query with sequential scans (and the joins that read a whole table) off: what an index can
   * serve, it serves; a table this small would otherwise be read whole.
   */
  const plan = (query: (tx: postgres.TransactionSql) => Promise<unknown>): Promise<string> =>
    sql.begin(async (tx) => {
      await tx`set local enable_seqscan = off`;
      await tx`set local enable_bitmapscan = off`;
      await tx`set local enable_hashjoin = off`;
      await tx`set local enable_mergejoin = off`;
      await tx`set local enable_material = off`;
      return JSON.stringify(await query(tx));
    });

  it("is what a user's newest events are read through, one index range per day, newest first", async () => {
    const text = await plan(
      (tx) => tx`explain (format json)
        select id from user_events where realm = 'acme' and ${userIdIs(tx, tx`${twins[0]}::text`)}
          and time >= ${new Date(NOW - 2 * 24 * HOUR)} and time < ${new Date(NOW)}
        order by time desc limit 10`,
    );
    expect(text).toContain(USER_HASH_INDEX.replace("user_events_", ""));
    expect(text).toMatch(/"Index Cond":"\(\(hashtext\(user_id\) = /);
    expect(text).not.toContain('"Node Type":"Sort"');
  });

  it("is what a read for each of a list of users goes through", async () => {
    // Per user of the list, as detection reads each candidate's failures (a lateral read, whose plan the
    // planner cannot turn around: each user's events through the index, by that user's hash).
    const text = await plan(
      (tx) => tx`explain (format json)
        select k.user_id, c.n from unnest(${[...twins]}::text[]) as k(user_id)
        cross join lateral (select count(*) as n from user_events ev
                            where ev.realm = 'acme' and ${userIdIs(tx, tx`k.user_id`, "ev")}) as c`,
    );
    expect(text).toContain(USER_HASH_INDEX.replace("user_events_", ""));
    expect(text).toMatch(/"Index Cond":"\(hashtext\((ev_\d+\.)?user_id\) = hashtext\(k\.user_id\)\)"/);
  });

  it("is what a filter by several users reads through, and finds exactly their events", async () => {
    const text = await plan(
      (tx) =>
        tx`explain (format json) select id from user_events where ${userIdIn(tx, [twins[1], "other-3"])}`,
    );
    expect(text).toContain(USER_HASH_INDEX.replace("user_events_", ""));
    const rows = await sql<{ id: string }[]>`
      select id from user_events where ${userIdIn(sql, [twins[1], "other-3"])} order by id`;
    expect(rows.map((r) => r.id)).toEqual(
      [...Array.from({ length: 24 }, (_, i) => `b${2 * i}`), "c3"].sort(),
    );
  });
});
