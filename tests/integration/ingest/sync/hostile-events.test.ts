import { afterAll, describe, expect, it } from "vitest";
import { syncSource } from "@/lib/ingest/sync/sync-source";
import type { KeycloakUserEvent } from "@/lib/keycloak/types";
import { startDemoKeycloak } from "@/packages/demo-keycloak/src";
import { testSql, truncateAll } from "../../helpers/db";
import { demoRealmId, FAST_SESSION, registerSource } from "./sync-fixture";

/**
 * Event fields are untrusted: a server (or anything in front of it) may send NUL bytes, lone surrogates,
 * megabyte details, markup, event types newer than this code and times that are not times. Everything usable
 * is stored, storable and capped; the unusable events are counted in the stream's status; nothing crashes.
 */
const sql = testSql();
const REALM = "acme";

afterAll(async () => {
  await sql.end();
});

function hostileEvents(realmId: string, now: number): KeycloakUserEvent[] {
  const base = {
    realmId,
    clientId: "acme-spa",
    userId: "2f0c8a1e-0000-4000-8000-000000000001",
    ipAddress: "198.51.100.7",
  };
  return [
    {
      ...base,
      id: "e-nul",
      time: now - 5_000,
      type: "LOGIN",
      details: { username: "nul\u0000byte", note: "a\u0000b" },
    },
    {
      ...base,
      id: "e-surrogate",
      time: now - 4_000,
      type: "LOGIN",
      clientId: "half\uD800pair",
      details: { x: "\uDC00" },
    },
    {
      ...base,
      id: "e-huge",
      time: now - 3_000,
      type: "LOGIN_ERROR",
      error: "invalid_user_credentials",
      details: { username: "big", blob: "x".repeat(1_048_576) },
    },
    {
      ...base,
      id: "e-html",
      time: now - 2_000,
      type: "LOGIN",
      details: { username: "<script>alert(1)</script>" },
    },
    {
      ...base,
      id: "e-future",
      time: now - 1_000,
      type: "PASSKEY_CONDITIONAL_LOGIN_ERROR",
      error: "passkey_future_error",
    },
    { ...base, id: "e-epoch", time: 0, type: "LOGIN" },
    { ...base, id: "e-seconds", time: 1_700_000_000, type: "LOGIN" },
  ];
}

describe.each(["modern", "legacy"] as const)("%s server", (mode) => {
  it("stores every usable hostile event and counts the unusable ones", async () => {
    await truncateAll(sql);
    const kc = await startDemoKeycloak({ mode, seed: 71, traffic: false, realms: [REALM] });
    try {
      const now = Date.now();
      kc.store.generateBulk(REALM, 10, { startTime: now - 60_000, endTime: now - 30_000, seed: 71 });
      const realmId = demoRealmId(kc, REALM);
      kc.store.addUserEvents(REALM, hostileEvents(realmId, now));
      const source = await registerSource(sql, kc, { realms: [REALM] });

      const outcome = await syncSource(sql, source, {
        overlapMs: 60_000,
        settleMs: 0,
        pageSize: 4,
        session: FAST_SESSION,
      });
      const user = outcome.streams.find((s) => s.kind === "user");
      expect(user?.status).toBe("ok");
      expect(user?.result?.rejected).toBe(2);

      const rows = await sql<
        {
          type: string;
          client_id: string;
          username: string | null;
          details: Record<string, string> | null;
          is_failure: boolean;
        }[]
      >`select type, client_id, username, details, is_failure from user_events
        where source_id = ${source.id} and client_id not like 'bulk-%'
        order by time`;
      expect(rows.map((r) => r.type)).toEqual([
        "LOGIN",
        "LOGIN",
        "LOGIN_ERROR",
        "LOGIN",
        "PASSKEY_CONDITIONAL_LOGIN_ERROR",
      ]);
      const [nul, surrogate, huge, html, future] = rows;
      expect(nul?.username).toBe("nul\uFFFDbyte");
      expect(nul?.details?.note).toBe("a\uFFFDb");
      expect(surrogate?.client_id).toBe("half\uFFFDpair");
      expect(surrogate?.details?.x).toBe("\uFFFD");
      expect(huge?.details?.blob?.length).toBeLessThan(10_000);
      expect(huge?.details?._truncated).toContain("shortened");
      expect(html?.username).toBe("<script>alert(1)</script>");
      expect(future?.is_failure).toBe(true);
      const [total] = await sql<
        { n: number }[]
      >`select count(*)::int as n from user_events where source_id = ${source.id}`;
      expect(total?.n).toBe(10 + 5);

      const [stream] = await sql<{ status: string; status_message: string | null }[]>`
        select status, status_message from sync_streams where source_id = ${source.id} and kind = 'user'`;
      expect(stream?.status).toBe("ok");
      expect(stream?.status_message).toMatch(
        /^2 events without a usable time or type were skipped \(e\.g\. unusable time/,
      );
    } finally {
      await kc.close();
    }
  });
});
