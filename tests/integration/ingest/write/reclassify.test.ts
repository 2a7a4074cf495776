import type postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CATALOGUE_VERSION } from "@/lib/classify/catalogue";
import { reclassifyBatch } from "@/lib/ingest/write/reclassify";
import { writeUserEvents } from "@/lib/ingest/write/write-events";
import { isRejected, toUserEventRow, type UserEventRow } from "@/lib/keycloak/event-rows";
import { testSql, truncateAll } from "../../helpers/db";

let sql: postgres.Sql;
const sourceId = "00000000-0000-4000-8000-00000000c1a5";

beforeAll(async () => {
  sql = testSql();
  await truncateAll(sql);
  // An import-only source: it must not look like a Keycloak source to other tests.
  await sql`insert into sources (id, name, kind, updated_at) values (${sourceId}, 'reclassify', 'import', now())`;
});
afterAll(async () => {
  await truncateAll(sql);
  await sql.end();
});

function userinfoWithoutOpenid(i: number): UserEventRow {
  const row = toUserEventRow(
    {
      id: `ev-${i}`,
      time: Date.UTC(2026, 10, 1, 10, 0, i),
      type: "USER_INFO_REQUEST_ERROR",
      error: "access_denied",
      details: { reason: "Missing openid scope", auth_method: "validate_access_token" },
    },
    { sourceId, realm: "acme", origin: "api" },
  );
  if (isRejected(row)) throw new Error(row.rejected);
  // As an older catalogue stored it: no verdict yet.
  row.cause = "unknown";
  row.ruleId = "unknown";
  row.catalogueVersion = 0;
  return row;
}

describe("re-classification after a catalogue change", () => {
  it("re-classifies stored failures in resumable batches and moves their rollup counts to the new cause", async () => {
    await writeUserEvents(
      sql,
      Array.from({ length: 25 }, (_, i) => userinfoWithoutOpenid(i)),
      {},
    );
    const byCause = async () =>
      Object.fromEntries(
        (
          await sql<{ cause: string; n: number }[]>`
          select cause, sum(failures)::int as n from rollup_hour where realm = 'acme' group by cause`
        ).map((r) => [r.cause, r.n]),
      );
    expect(await byCause()).toEqual({ unknown: 25 });

    const first = await reclassifyBatch(sql, 10);
    expect(first).toMatchObject({ examined: 10, changed: 10, done: false });
    // A second worker (or a restart) continues from the recorded position.
    const second = await reclassifyBatch(sql, 10);
    const third = await reclassifyBatch(sql, 10);
    expect(second.examined + third.examined).toBe(15);
    expect(third.done).toBe(true);
    expect((await reclassifyBatch(sql, 10)).examined).toBe(0);

    const rows = await sql<{ cause: string; catalogue_version: number }[]>`
      select distinct cause, catalogue_version from user_events where realm = 'acme'`;
    expect(rows).toEqual([{ cause: "missing-scope", catalogue_version: CATALOGUE_VERSION }]);
    expect(await byCause()).toEqual({ "missing-scope": 25, unknown: 0 });
  });
});
