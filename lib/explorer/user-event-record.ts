import type { EventOrigin } from "@/lib/keycloak/types";
import { stringRecord } from "./string-record";

/** One stored user event as the explorer reads it: Keycloak's fields, then realmwatch's. */
export interface UserEventRecord {
  sourceId: string;
  realm: string;
  id: string;
  /** Epoch milliseconds. */
  time: number;
  type: string;
  realmId: string | null;
  clientId: string | null;
  userId: string | null;
  sessionId: string | null;
  ipAddress: string | null;
  error: string | null;
  details: Record<string, string> | null;
  isFailure: boolean;
  username: string | null;
  cause: string | null;
  ruleId: string | null;
  confidence: number | null;
  evidence: string | null;
  origin: EventOrigin;
  httpMethod: string | null;
  httpPath: string | null;
  httpStatus: number | null;
}

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
}

export function toUserEventRecord(r: UserEventDbRow): UserEventRecord {
  return {
    sourceId: r.source_id,
    realm: r.realm,
    id: r.id,
    time: r.time.getTime(),
    type: r.type,
    realmId: r.realm_id,
    clientId: r.client_id,
    userId: r.user_id,
    sessionId: r.session_id,
    ipAddress: r.ip_address,
    error: r.error,
    details: stringRecord(r.details),
    isFailure: r.is_failure,
    username: r.username,
    cause: r.cause,
    ruleId: r.rule_id,
    confidence: r.confidence,
    evidence: r.evidence,
    origin: r.origin as EventOrigin,
    httpMethod: r.http_method,
    httpPath: r.http_path,
    httpStatus: r.http_status,
  };
}
