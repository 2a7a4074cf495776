import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { importLog } from "@/lib/ingest/import/import-log";
import { classifyRow } from "@/lib/ingest/write/classify-row";
import { writeUserEvents } from "@/lib/ingest/write/write-events";
import { isRejected, toUserEventRow, type UserEventRow } from "@/lib/keycloak/event-rows";
import { testDatabaseUrl, testSql } from "../../helpers/db";

const SOURCE = "import-log-and-api-test";
const sql = (() => {
  testDatabaseUrl();
  return testSql(2);
})();
let sourceId = "";

beforeAll(async () => {
  const [row] = await sql<{ id: string }[]>`
    insert into sources (id, name, kind, updated_at) values (gen_random_uuid(), ${SOURCE}, 'api', now())
    returning id`;
  sourceId = row!.id;
});

beforeEach(async () => {
  await sql`delete from user_events where source_id = ${sourceId}`;
  await sql`delete from rollup_minute where source_id = ${sourceId}`;
});

afterAll(async () => {
  await sql`delete from sources where id = ${sourceId}`;
  await sql.end();
});

// The jboss-logging line is written after the event's transaction commits: a few milliseconds after its time.
const EVENT_TIME = Date.UTC(2025, 5, 3, 10, 0, 0, 103);
const LOG_LINE =
  '2025-06-03 10:00:00,131 WARN  [org.keycloak.events] (executor-thread-3) type="LOGIN_ERROR", realmId="4c3d9a0e-1b7f-4a52-8e61-2f0b9c7d5a13", realmName="acme", clientId="shop-frontend", userId="null", ipAddress="198.51.100.7", error="invalid_redirect_uri", redirect_uri="https://shop.example.com/cb"';

function apiRow(userId: string | null = null): UserEventRow {
  const row = toUserEventRow(
    {
      id: "0f6c2f0e-9d56-4a55-a0f3-1c1b5f6b2d11",
      time: EVENT_TIME,
      type: "LOGIN_ERROR",
      realmId: "4c3d9a0e-1b7f-4a52-8e61-2f0b9c7d5a13",
      clientId: "shop-frontend",
      userId,
      ipAddress: "198.51.100.7",
      error: "invalid_redirect_uri",
      details: { redirect_uri: "https://shop.example.com/cb" },
    },
    { sourceId, realm: "acme", origin: "api" },
  );
  if (isRejected(row)) throw new Error(row.rejected);
  classifyRow(row);
  return row;
}

async function* lines(text: string): AsyncIterable<string> {
  yield `${text}\n`;
}

/** What a user sees: the stored events and the failures the charts count. */
async function seen() {
  const rows = await sql<{ origin: string; cause: string }[]>`
    select origin, cause from user_events where source_id = ${sourceId}`;
  const [chart] = await sql<{ n: number }[]>`
    select coalesce(sum(failures), 0)::int as n from rollup_minute where source_id = ${sourceId}`;
  return { rows, charted: chart!.n };
}

describe("a log line and the same event from the API", () => {
  it("are stored once when the log is imported first: the API row replaces the log row", async () => {
    const imported = await importLog(sql, lines(LOG_LINE), { sourceId });
    expect(imported.stored).toBe(1);
    await writeUserEvents(sql, [apiRow()], { supersedeLogRows: true });
    expect(await seen()).toEqual({ rows: [{ origin: "api", cause: "redirect-uri" }], charted: 1 });
  });

  it("are stored once when the API delivered it first: the imported line is recognised and dropped", async () => {
    await writeUserEvents(sql, [apiRow()], { supersedeLogRows: true });
    const imported = await importLog(sql, lines(LOG_LINE), { sourceId });
    expect(imported).toMatchObject({ events: 1, stored: 0, alreadyStored: 1 });
    expect(await seen()).toEqual({ rows: [{ origin: "api", cause: "redirect-uri" }], charted: 1 });
  });

  it("are told apart by their user: the line of a known user is dropped, another user's kept", async () => {
    const user = "7d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6";
    await writeUserEvents(sql, [apiRow(user)], { supersedeLogRows: true });
    const sameUser = LOG_LINE.replace('userId="null"', `userId="${user}"`);
    expect(await importLog(sql, lines(sameUser), { sourceId })).toMatchObject({
      stored: 0,
      alreadyStored: 1,
    });
    const otherUser = LOG_LINE.replace('userId="null"', 'userId="00000000-0000-4000-8000-000000000abc"');
    expect(await importLog(sql, lines(otherUser), { sourceId })).toMatchObject({
      stored: 1,
      alreadyStored: 0,
    });
    expect((await seen()).rows.map((r) => r.origin).sort()).toEqual(["api", "log"]);
  });
});
