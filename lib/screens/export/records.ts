import { type AdminEventDbRow, toAdminEventRecord } from "@/lib/queries/events/admin-event-record";

/** Export records: Keycloak's field names and order first, then realmwatch's own fields. */
export const USER_EXPORT_FIELDS = [
  "id",
  "time",
  "type",
  "realmId",
  "clientId",
  "userId",
  "sessionId",
  "ipAddress",
  "error",
  "details",
  "realm",
  "username",
  "origin",
  "cause",
  "ruleId",
  "confidence",
  "evidence",
  "httpMethod",
  "httpPath",
  "httpStatus",
  "copyOf",
] as const;

export const ADMIN_EXPORT_FIELDS = [
  "id",
  "time",
  "realmId",
  "authDetails",
  "operationType",
  "resourceType",
  "resourcePath",
  "representation",
  "error",
  "details",
  "realm",
  "origin",
] as const;

type Row = Record<string, unknown>;
const ms = (v: unknown) => (v instanceof Date ? v.getTime() : v);

export function userExportRecord(r: Row): Record<(typeof USER_EXPORT_FIELDS)[number], unknown> {
  return {
    id: r.id,
    time: ms(r.time),
    type: r.type,
    realmId: r.realm_id,
    clientId: r.client_id,
    userId: r.user_id,
    sessionId: r.session_id,
    ipAddress: r.ip_address,
    error: r.error,
    details: r.details,
    realm: r.realm,
    username: r.username,
    origin: r.origin,
    cause: r.cause,
    ruleId: r.rule_id,
    confidence: r.confidence,
    evidence: r.evidence,
    httpMethod: r.http_method,
    httpPath: r.http_path,
    httpStatus: r.http_status,
    copyOf: r.copy_of ?? null,
  };
}

/** An admin event as its explorer record (Keycloak's AdminEventRepresentation), in the export's field order. */
export function adminExportRecord(r: AdminEventDbRow): Record<(typeof ADMIN_EXPORT_FIELDS)[number], unknown> {
  const e = toAdminEventRecord(r);
  return Object.fromEntries(ADMIN_EXPORT_FIELDS.map((f) => [f, e[f]])) as Record<
    (typeof ADMIN_EXPORT_FIELDS)[number],
    unknown
  >;
}
