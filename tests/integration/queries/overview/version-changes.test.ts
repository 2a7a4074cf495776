import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeSql } from "@/lib/db/sql";
import { listVersionChangesInRange } from "@/lib/queries/overview/version-changes-in-range";
import { recordDetectedVersion, upsertSource } from "@/lib/sources/save-source";
import { testDatabaseUrl, testSql, truncateAll } from "../../helpers/db";

/** Keycloak upgrades as the charts mark them: kept when the detected version changes, not at every sync. */
const sql = (() => {
  testDatabaseUrl();
  return testSql(2);
})();
const HOUR = 3_600_000;
const T = Date.parse("2026-06-01T12:00:00Z");
let source = "";

beforeAll(async () => {
  await truncateAll(sql);
  source = await upsertSource(sql, {
    name: "prod",
    serverUrl: "http://127.0.0.1:8180",
    authRealm: "master",
    clientId: "realmwatch",
    clientSecret: "a-secret-for-the-version-test",
    realms: ["acme"],
  });
  // First seen with 26.1.3, seen again at every sync, then 26.6.3 after an upgrade, then a failed detection.
  await recordDetectedVersion(sql, source, "26.1.3", new Date(T - 5 * HOUR));
  await recordDetectedVersion(sql, source, "26.1.3", new Date(T - 4 * HOUR));
  await recordDetectedVersion(sql, source, "26.6.3", new Date(T - 2 * HOUR));
  await recordDetectedVersion(sql, source, "26.6.3", new Date(T - HOUR));
  await recordDetectedVersion(sql, source, "serverinfo refused (403)", new Date(T), null);
});

afterAll(async () => {
  await sql.end();
  await closeSql();
});

describe("Keycloak version changes", () => {
  it("keeps one row per version detected, with the one before it, and the source's latest detection", async () => {
    const rows = await sql<{ version: string; previous: string | null }[]>`
      select version, previous from source_versions where source_id = ${source} order by detected_at`;
    expect(rows).toEqual([
      { version: "26.1.3", previous: null },
      { version: "26.6.3", previous: "26.1.3" },
    ]);
    const [s] = await sql<
      { detected_version: string }[]
    >`select detected_version from sources where id = ${source}`;
    expect(s?.detected_version).toBe("serverinfo refused (403)");
  });

  it("lists the changes in a range, by source name, never the first version seen", async () => {
    const day = { from: T - 24 * HOUR, to: T + HOUR };
    expect(await listVersionChangesInRange(sql, { range: day })).toEqual([
      { time: T - 2 * HOUR, sourceId: source, sourceName: "prod", previous: "26.1.3", version: "26.6.3" },
    ]);
    expect(await listVersionChangesInRange(sql, { range: { from: T - HOUR, to: T + HOUR } })).toEqual([]);
    expect(
      await listVersionChangesInRange(sql, {
        sourceId: "5a0e0000-0000-4000-8000-000000000099",
        range: day,
      }),
    ).toEqual([]);
  });
});
