import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importLog } from "@/lib/ingest/import/import-log";
import { testDatabaseUrl, testSql } from "../../helpers/db";

const SOURCE = "import-hostile-test";
const sql = (() => {
  testDatabaseUrl();
  return testSql(2);
})();
let sourceId = "";

beforeAll(async () => {
  const [row] = await sql<{ id: string }[]>`
    insert into sources (id, name, kind, updated_at) values (gen_random_uuid(), ${SOURCE}, 'import', now())
    returning id`;
  sourceId = row!.id;
});

afterAll(async () => {
  await sql`drop trigger if exists import_test_poison on rollup_minute`;
  await sql`drop function if exists import_test_poison()`;
  await sql`delete from sources where id = ${sourceId}`;
  await sql.end();
});

async function reset(): Promise<void> {
  await sql`delete from user_events where source_id = ${sourceId}`;
  await sql`delete from rollup_minute where source_id = ${sourceId}`;
}

/** A dated jboss-logging line of a failed login, one per second from 10:00:00. */
function eventLine(i: number, clientId = "shop-frontend"): string {
  const t = new Date(Date.UTC(2025, 5, 3, 10, 0, i))
    .toISOString()
    .replace("T", " ")
    .replace("Z", "")
    .replace(".", ",");
  return `${t} WARN  [org.keycloak.events] (executor-thread-${i % 9}) type="LOGIN_ERROR", realmId="4c3d9a0e-1b7f-4a52-8e61-2f0b9c7d5a13", realmName="acme", clientId="${clientId}", userId="null", ipAddress="198.51.100.${i % 250}", error="user_not_found", auth_method="openid-connect", username="user${i}"`;
}

const text = (s: string) => Buffer.from(s, "utf8");
async function* chunks(...parts: Buffer[]): AsyncIterable<Buffer> {
  yield* parts;
}
const storedCount = async () =>
  (await sql<{ n: number }[]>`select count(*)::int as n from user_events where source_id = ${sourceId}`)[0]!
    .n;

describe("importLog with hostile lines", () => {
  it("skips each unreadable line with its number and reason, and keeps the valid lines around them", async () => {
    await reset();
    const report = await importLog(
      sql,
      chunks(
        text(`${eventLine(1)}\n`),
        Buffer.from([0x01, 0x02, 0x03, 0x20, 0x67, 0x61, 0x72, 0x62, 0x61, 0x67, 0x65, 0x0a]),
        text(`${eventLine(2)}\n`),
        text(`${"A".repeat(10 * 1024 * 1024)}\n`),
        Buffer.concat([text("type=LOGIN_ERROR, error="), Buffer.from([0xff, 0xfe, 0xc3, 0x28]), text("\n")]),
        text("type=LOGIN_ERROR\u0000, realmId=acme\n"),
        text('{"time": 1749000000000, "type": "LOGIN_ERROR", "realmId": "acme", "err\n'),
        text(`${eventLine(3)}\n`),
      ),
      { sourceId, timeZone: "UTC" },
    );
    expect(report.skippedSamples).toEqual([
      { lineNo: 2, reason: "binary" },
      { lineNo: 4, reason: "too-long" },
      { lineNo: 5, reason: "invalid-utf8" },
      { lineNo: 6, reason: "nul-bytes" },
      { lineNo: 7, reason: "invalid-event: truncated or malformed JSON" },
    ]);
    expect(report).toMatchObject({ lines: 8, skipped: 5, events: 3, stored: 3 });
    expect(await storedCount()).toBe(3);
  });

  it("imports a gzipped log as it is", async () => {
    await reset();
    const log = Array.from({ length: 50 }, (_, i) => eventLine(i)).join("\n");
    const report = await importLog(sql, chunks(gzipSync(log)), { sourceId });
    expect(report).toMatchObject({ lines: 50, stored: 50, skipped: 0 });
  });

  const bigLog = Array.from({ length: 3000 }, (_, i) => eventLine(i)).join("\n");

  it("reports the line where a truncated gzip (a partial download) broke, and keeps every line before it", async () => {
    await reset();
    const gz = gzipSync(bigLog);
    const report = await importLog(sql, chunks(gz.subarray(0, Math.floor(gz.length * 0.6))), { sourceId });
    expect(report.skippedByReason).toEqual({ "gzip-corrupt": 1 });
    const broke = report.skippedSamples[0]!.lineNo;
    expect(broke).toBeGreaterThan(1000);
    expect(broke).toBeLessThan(3000);
    expect(report.stored).toBe(broke - 1);
    const [last] = await sql<{ username: string }[]>`
      select username from user_events where source_id = ${sourceId} order by time desc limit 1`;
    expect(last!.username).toBe(`user${broke - 2}`);
  });

  it("reports where damaged gzip data was detected, without failing the import", async () => {
    await reset();
    const gz = gzipSync(bigLog);
    const at = Math.floor(gz.length * 0.6);
    gz.fill(0xa5, at, at + 64);
    const report = await importLog(sql, chunks(gz), { sourceId });
    // Deflate output between the damage and its detection is garbage; zlib can only say where it noticed.
    expect(report.skippedByReason).toEqual({ "gzip-corrupt": 1 });
    expect(report.skippedSamples[0]!.lineNo).toBe(report.lines);
    expect(report.lines).toBeLessThan(3000);
    expect(report.stored).toBeGreaterThan(1000);
  });
});

describe("importLog batches", () => {
  const log = Array.from({ length: 9 }, (_, i) =>
    eventLine(i, i === 4 ? "poison-client" : "shop-frontend"),
  ).join("\n");

  it("never leaves half a batch: a batch that fails stores none of its rows, and the import can be run again", async () => {
    await reset();
    // The failure comes after the batch's rows were copied into user_events, in the same transaction.
    await sql`
      create or replace function import_test_poison() returns trigger language plpgsql as $$
      begin
        if new.client_id = 'poison-client' then raise exception 'poisoned batch'; end if;
        return new;
      end $$`;
    await sql`create trigger import_test_poison before insert on rollup_minute for each row execute function import_test_poison()`;
    await expect(importLog(sql, chunks(text(log)), { sourceId, batchSize: 3 })).rejects.toThrow(
      /poisoned batch/,
    );
    const clients = await sql<{ client_id: string }[]>`
      select client_id from user_events where source_id = ${sourceId} order by time`;
    expect(clients.map((c) => c.client_id)).toEqual(["shop-frontend", "shop-frontend", "shop-frontend"]);

    await sql`drop trigger import_test_poison on rollup_minute`;
    const again = await importLog(sql, chunks(text(log)), { sourceId, batchSize: 3 });
    expect(again).toMatchObject({ stored: 6, alreadyStored: 3 });
    expect(await storedCount()).toBe(9);
    const [rollup] = await sql<{ n: number }[]>`
      select sum(failures)::int as n from rollup_minute where source_id = ${sourceId}`;
    expect(rollup!.n).toBe(9);
  });
});
