import { appendFile, mkdtemp, rename, rm, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { followFile } from "@/lib/ingest/push/follow-file";
import { followImport } from "@/lib/ingest/push/follow-import";
import { testDatabaseUrl, testSql } from "../../helpers/db";

/**
 * The tailing import against what log writers do: append, rotate by rename (and keep writing to the renamed
 * file for a moment), truncate in place, and a follower stopped and started again while lines keep coming.
 * Every line is numbered: each must reach onLines exactly once, in order.
 */
const sql = (() => {
  testDatabaseUrl();
  return testSql(2);
})();
let dir = "";
let sourceId = "";

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "rw-follow-"));
  await sql`delete from sources where name = 'follow-file-test'`;
  const [row] = await sql<{ id: string }[]>`
    insert into sources (id, name, kind, updated_at) values (gen_random_uuid(), 'follow-file-test', 'import', now())
    returning id`;
  sourceId = row!.id;
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  for (const table of ["user_events", "rollup_minute", "rollup_hour", "rollup_day"])
    await sql`delete from ${sql(table)} where source_id = ${sourceId}`;
  await sql`delete from sources where id = ${sourceId}`;
  await sql.end();
});

const line = (n: number) =>
  `2026-11-20 10:${String(Math.floor(n / 60) % 60).padStart(2, "0")}:${String(n % 60).padStart(2, "0")},${String(n % 1000).padStart(3, "0")} WARN  [org.keycloak.events] (t) type="LOGIN_ERROR", realmId="r1", realmName="acme", clientId="shop", userId="null", ipAddress="10.0.${Math.floor(n / 250)}.${n % 250}", error="invalid_redirect_uri", redirect_uri="https://x.example/${n}"`;
const lines = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => `${line(from + i)}\n`).join("");

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe("followFile", () => {
  it("reads every line once through appends, a rotation, a truncation and a restart", async () => {
    const file = path.join(dir, "keycloak.log");
    const state = path.join(dir, "state", "position.json");
    const seen: string[] = [];
    const start = () => {
      const controller = new AbortController();
      const done = followFile({
        file,
        stateFile: state,
        pollMs: 5,
        signal: controller.signal,
        onLines: async (batch) => {
          seen.push(...batch);
        },
      });
      return {
        stop: async () => {
          controller.abort();
          await done;
        },
      };
    };

    await writeFile(file, lines(0, 10));
    let follower = start();
    await until(() => seen.length === 10, "the first lines");
    await appendFile(file, `${line(10)}\n${line(11).slice(0, 40)}`); // a line still being written
    await until(() => seen.length === 11, "an appended line");
    await appendFile(file, `${line(11).slice(40)}\n`);
    await until(() => seen.length === 12, "the end of the cut line");

    // Rotation: renamed, the writer adds to the old file, then a new file starts.
    await rename(file, `${file}.1`);
    await appendFile(`${file}.1`, lines(12, 15));
    await writeFile(file, lines(15, 20));
    await until(() => seen.length === 20, "the lines around the rotation");

    // Truncation in place (copytruncate), then new lines.
    await truncate(file, 0);
    await new Promise((r) => setTimeout(r, 30));
    await appendFile(file, lines(20, 22));
    await until(() => seen.length === 22, "the lines after the truncation");

    // Stopped; lines keep coming, and the file rotates while the follower is down.
    await follower.stop();
    await appendFile(file, lines(22, 25));
    await rename(file, `${file}.2`);
    await writeFile(file, lines(25, 30));
    follower = start();
    await until(() => seen.length === 30, "the lines written while stopped");
    await follower.stop();

    expect(seen).toEqual(Array.from({ length: 30 }, (_, i) => line(i)));
  });

  it("drops a line over the cap without holding it, and goes on", async () => {
    const file = path.join(dir, "long.log");
    await writeFile(file, `${"x".repeat(3000)}\n${line(1)}\n`);
    const seen: string[] = [];
    const skips: string[] = [];
    const controller = new AbortController();
    const done = followFile({
      file,
      stateFile: path.join(dir, "long.json"),
      pollMs: 5,
      maxLineBytes: 1000,
      signal: controller.signal,
      onSkip: (r) => skips.push(r),
      onLines: async (batch) => {
        seen.push(...batch);
      },
    });
    await until(() => seen.length >= 1, "the line after the long one");
    controller.abort();
    await done;
    expect(seen.filter((l) => l.startsWith("x"))).toEqual([]);
    expect(skips).toEqual(["too-long"]);
    expect(seen).toContain(line(1));
  });
});

describe("followImport", () => {
  it("stores each followed event line once, and a restart from an older position stores nothing twice", async () => {
    const file = path.join(dir, "import.log");
    const state = path.join(dir, "import.json");
    await writeFile(file, lines(100, 140));
    const run = async () => {
      const controller = new AbortController();
      let totals = { events: 0 };
      const done = followImport(sql, {
        file,
        stateFile: state,
        sourceId,
        pollMs: 5,
        signal: controller.signal,
        onBatch: (_, t) => {
          totals = t;
        },
      });
      await until(() => totals.events >= 40, "the import");
      controller.abort();
      return done;
    };
    expect(await run()).toMatchObject({ events: 40, stored: 40 });
    // A crash after storing but before saving the position: the batch is read again and stored once.
    await rm(state);
    expect(await run()).toMatchObject({ events: 40, stored: 0, alreadyStored: 40 });
    const [count] = await sql<{ n: number }[]>`
      select count(*)::int as n from user_events where source_id = ${sourceId}`;
    expect(count?.n).toBe(40);
  });
});
