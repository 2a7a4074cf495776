import { type UserEventRow, userEventRowFromDb } from "@/lib/keycloak/event-rows";
import { stringRecord } from "./string-record";

/**
 * One stored user event as the explorer reads it: the ingest row, less the catalogue bookkeeping, and for an
 * access-log line or report that repeats an event, that event's id (lib/ingest/write/link-copies.ts).
 */
export type UserEventRecord = Omit<UserEventRow, "catalogueVersion"> & { copyOf: string | null };

/** The row as postgres.js returns it. */
export interface UserEventDbRow {
  source_id: string;
  realm: string;
  id: string;
  time: Date;
  type: string;
  realm_id: string | null;
  client_id: string | null;
  user_id: string | null;
  session_id: string | null;
  ip_address: string | null;
  error: string | null;
  details: unknown;
  is_failure: boolean;
  username: string | null;
  cause: string | null;
  rule_id: string | null;
  confidence: number | null;
  evidence: string | null;
  origin: string;
  http_method: string | null;
  http_path: string | null;
  http_status: number | null;
  copy_of: string | null;
}

export function toUserEventRecord(r: UserEventDbRow): UserEventRecord {
  const { catalogueVersion: _catalogueVersion, ...record } = userEventRowFromDb(
    r as unknown as Record<string, unknown>,
  );
  return { ...record, details: stringRecord(r.details), copyOf: r.copy_of ?? null };
}
