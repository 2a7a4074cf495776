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

export function adminExportRecord(r: Row): Record<(typeof ADMIN_EXPORT_FIELDS)[number], unknown> {
  return {
    id: r.id,
    time: ms(r.time),
    realmId: r.realm_id,
    authDetails: {
      realmId: r.auth_realm_id,
      clientId: r.auth_client_id,
      userId: r.auth_user_id,
      ipAddress: r.auth_ip_address,
    },
    operationType: r.operation_type,
    resourceType: r.resource_type,
    resourcePath: r.resource_path,
    representation: r.representation,
    error: r.error,
    details: r.details,
    realm: r.realm,
    origin: r.origin,
  };
}
