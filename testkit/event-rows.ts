import type { UserEventRow } from "@/lib/keycloak/event-rows";

/** A stored user event with defaults: a failed login unless the test says otherwise. */
export function userEventRow(
  over: Partial<UserEventRow> & Pick<UserEventRow, "sourceId" | "realm" | "id" | "time">,
): UserEventRow {
  return {
    type: "LOGIN_ERROR",
    realmId: null,
    clientId: "web-app",
    userId: null,
    sessionId: null,
    ipAddress: "10.0.0.1",
    error: "invalid_user_credentials",
    details: null,
    isFailure: true,
    username: null,
    cause: "user-credentials",
    ruleId: "test",
    confidence: 1,
    evidence: "test evidence",
    catalogueVersion: 1,
    origin: "api",
    httpMethod: null,
    httpPath: null,
    httpStatus: null,
    ...over,
  };
}
