import type postgres from "postgres";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { RECOMMENDED_EVENT_TYPES } from "@/lib/keycloak/events-config";
import { listIngestionHealth } from "@/lib/queries/overview/ingestion-health";
import { testSql, truncateAll } from "../../helpers/db";

const sql: postgres.Sql = testSql();
const SOURCE = "00000000-0000-4000-8000-0000000000c1";
const NOW = Date.now();
const range = { from: NOW - 86_400_000, to: NOW };

afterAll(async () => {
  await sql.end();
});
beforeEach(async () => {
  await truncateAll(sql);
  await sql`
    insert into sources (id, name, kind, status, status_message, updated_at)
    values (${SOURCE}, 'prod', 'api', 'partial', null, now())`;
});

async function realm(
  name: string,
  eventsEnabled: boolean | null,
  types: readonly string[],
  error: string | null = null,
) {
  await sql`
    insert into realms (source_id, name, events_enabled, enabled_event_types, config_checked_at, config_error)
    values (${SOURCE}, ${name}, ${eventsEnabled}, ${types as string[]}::text[], now(), ${error})`;
}

async function stream(
  realmName: string,
  kind: string,
  status: string,
  lastSuccessAgoSec: number | null,
  message: string | null = null,
) {
  await sql`
    insert into sync_streams (source_id, realm, kind, status, status_message, last_success_at)
    values (${SOURCE}, ${realmName}, ${kind}, ${status}, ${message},
            ${lastSuccessAgoSec === null ? null : new Date(NOW - lastSuccessAgoSec * 1000)})`;
}

describe("ingestion health", () => {
  it("is empty when every realm saves its events and the 403-relevant types and syncs are current", async () => {
    await realm("acme", true, ["LOGIN_ERROR", ...RECOMMENDED_EVENT_TYPES]);
    await stream("acme", "user", "ok", 20);
    expect(await listIngestionHealth(sql, {}, range, "UTC")).toEqual([]);
  });

  it("names each thing that may hide failures, per realm, in words", async () => {
    await realm("acme", false, []);
    await realm("retail", true, ["LOGIN_ERROR", "USER_INFO_REQUEST_ERROR"]);
    await realm(
      "internal",
      null,
      [],
      'Keycloak answered 403 to GET /admin/realms/internal/events/config: lacks "view-events"',
    );
    await stream("retail", "user", "error", 4000, "Keycloak at http://kc is unreachable");
    await stream("retail", "admin", "ok", 3600);
    await sql`
      insert into event_gaps (source_id, realm, kind, from_time, to_time, reason)
      values (${SOURCE}, 'retail', 'user', ${new Date(NOW - 7_200_000)}, ${new Date(NOW - 3_600_000)}, 'events expired (eventsExpiration = 600 s) before they were read')`;
    const findings = await listIngestionHealth(sql, {}, range, "Europe/Berlin");
    const byKind = Object.fromEntries(findings.map((f) => [`${f.kind}/${f.realm}`, f]));
    expect(Object.keys(byKind).sort()).toEqual([
      "config-unreadable/internal",
      "events-not-saved/acme",
      "gap/retail",
      "stream-failing/retail",
      "sync-lag/retail",
      "types-not-saved/retail",
    ]);
    expect(byKind["events-not-saved/acme"]!.severity).toBe("error");
    expect(byKind["types-not-saved/retail"]!.message).toContain(
      "INTROSPECT_TOKEN_ERROR, REFRESH_TOKEN_ERROR, PERMISSION_TOKEN_ERROR",
    );
    expect(byKind["types-not-saved/retail"]!.message).not.toContain("USER_INFO_REQUEST_ERROR,");
    expect(byKind["sync-lag/retail"]!.message).toMatch(
      /admin events of realm "retail" were last synced 60 min ago/,
    );
    expect(byKind["gap/retail"]!.message).toMatch(/expired/);
  });

  it("narrows to one realm, and ignores gaps outside the range", async () => {
    await realm("acme", false, []);
    await realm("retail", true, [...RECOMMENDED_EVENT_TYPES]);
    await sql`
      insert into event_gaps (source_id, realm, kind, from_time, to_time, reason)
      values (${SOURCE}, 'retail', 'user', ${new Date(NOW - 5 * 86_400_000)}, ${new Date(NOW - 4 * 86_400_000)}, 'old')`;
    expect(await listIngestionHealth(sql, { realm: "retail" }, range, "UTC")).toEqual([]);
  });
});
