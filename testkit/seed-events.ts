import type postgres from "postgres";
import { writeAdminEvents, writeUserEvents } from "@/lib/ingest/write/write-events";
import type { AdminEventRow, UserEventRow } from "@/lib/keycloak/event-rows";

/** Writes rows through the real ingest path (COPY + rollups), grouped by realm as ingest requires. */
export async function seedUserEvents(sql: postgres.Sql, rows: Iterable<UserEventRow>): Promise<number> {
  const byRealm = new Map<string, UserEventRow[]>();
  let written = 0;
  const flush = async (batch: UserEventRow[]) => {
    written += await writeUserEvents(sql, batch);
  };
  for (const row of rows) {
    const key = `${row.sourceId}\u0001${row.realm}`;
    const batch = byRealm.get(key) ?? [];
    batch.push(row);
    byRealm.set(key, batch);
    if (batch.length >= 20_000) {
      byRealm.set(key, []);
      await flush(batch);
    }
  }
  for (const batch of byRealm.values()) if (batch.length > 0) await flush(batch);
  return written;
}

export async function seedAdminEvents(sql: postgres.Sql, rows: readonly AdminEventRow[]): Promise<void> {
  const byRealm = new Map<string, AdminEventRow[]>();
  for (const row of rows) byRealm.set(row.realm, [...(byRealm.get(row.realm) ?? []), row]);
  for (const batch of byRealm.values()) await writeAdminEvents(sql, batch);
}

export const SOURCE_ID = "3d6f0a52-5a4e-4f0e-9a8e-2b1f4c7d9e10";

/** A minimal event row; tests override what they care about. */
export function eventRow(over: Partial<UserEventRow> & { id: string; time: number }): UserEventRow {
  return {
    sourceId: SOURCE_ID,
    realm: "acme",
    type: "LOGIN_ERROR",
    realmId: null,
    clientId: "orders-ui",
    userId: "u-1",
    sessionId: null,
    ipAddress: "10.0.0.1",
    error: "invalid_user_credentials",
    details: null,
    isFailure: true,
    username: "alice",
    cause: "user-credentials",
    ruleId: null,
    confidence: null,
    evidence: null,
    catalogueVersion: null,
    origin: "api",
    httpMethod: null,
    httpPath: null,
    httpStatus: null,
    ...over,
  };
}
