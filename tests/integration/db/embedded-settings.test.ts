import { rmSync } from "node:fs";
import { expect, it } from "vitest";
import { startEmbeddedPostgres } from "@/lib/db/embedded";
import { createSql } from "@/lib/db/sql";
import { parseEnv } from "@/lib/server/env";

/**
 * The embedded server's shared buffer pool follows REALMWATCH_PG_SHARED_BUFFERS_MB (default 128, PostgreSQL's own
 * default): every server process maps it, so it bounds what each one's RSS counts of it. A server of its own.
 */
const DATA_DIR = ".data/test-pg-settings";

it("starts the embedded PostgreSQL with the shared buffers asked for, 128 MB unless told", async () => {
  expect(parseEnv({}).REALMWATCH_PG_SHARED_BUFFERS_MB).toBe(128);
  expect(parseEnv({ REALMWATCH_PG_SHARED_BUFFERS_MB: "48" }).REALMWATCH_PG_SHARED_BUFFERS_MB).toBe(48);
  expect(() => parseEnv({ REALMWATCH_PG_SHARED_BUFFERS_MB: "8" })).toThrow(/REALMWATCH_PG_SHARED_BUFFERS_MB/);
  expect(() => parseEnv({ REALMWATCH_PG_SHARED_BUFFERS_MB: "lots" })).toThrow(
    /REALMWATCH_PG_SHARED_BUFFERS_MB/,
  );

  rmSync(DATA_DIR, { recursive: true, force: true });
  for (const [asked, shown] of [
    [48, "48MB"],
    [undefined, "128MB"],
  ] as const) {
    const db = await startEmbeddedPostgres({
      dataDir: DATA_DIR,
      port: 54373,
      ephemeralDurability: true,
      sharedBuffersMiB: asked,
    });
    const sql = createSql(db.url, 1);
    try {
      const [row] = await sql<{ v: string }[]>`select current_setting('shared_buffers') as v`;
      expect(row?.v).toBe(shown);
    } finally {
      await sql.end();
      await db.stop();
    }
  }
  rmSync(DATA_DIR, { recursive: true, force: true });
  rmSync(`${DATA_DIR}.password`, { force: true });
}, 120_000);
