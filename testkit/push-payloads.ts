import { createHash, createHmac } from "node:crypto";

/**
 * Pushes as Keycloak event listeners send them. The Phase Two payloads follow the extension's documented
 * examples (p2-inc/phasetwo-docs docs/audit-logs/access.md and admin.md) with the fields its
 * ExtendedAdminEvent adds in current versions (id: Keycloak's event id, realmName); the plain ones are
 * Keycloak's EventRepresentation / AdminEventRepresentation, which ext-event-http posts
 * (SenderEventListenerProvider: ModelToRepresentation.toRepresentation).
 */
export const PUSH_TIME = Date.UTC(2026, 10, 20, 10, 0, 0, 120);
export const REALM_ID = "4c3d9a0e-1b7f-4a52-8e61-2f0b9c7d5a13";

export function phaseTwoLoginError(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    uid: "8d76de08-1c12-4d9a-bb86-fd1c602b2486",
    id: "0f6c2f0e-9d56-4a55-a0f3-1c1b5f6b2d11",
    time: PUSH_TIME,
    realmId: REALM_ID,
    realmName: "customer-app",
    type: "access.LOGIN_ERROR",
    authDetails: {
      realmId: "customer-app",
      clientId: "web-app",
      userId: null,
      ipAddress: "78.195.109.209",
      username: "johndoe",
      sessionId: null,
    },
    details: {
      auth_method: "openid-connect",
      redirect_uri: "https://evil.example.net/dashboard",
      code_id: "70c446c9-ed9a-4c9e-9a72-d26363bb4000",
    },
    error: "invalid_redirect_uri",
    ...overrides,
  };
}

export function phaseTwoClientUpdate(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    uid: "31db295f-4bc7-4ba0-b689-65197efb5c6e",
    id: "6a1f4b3c-7d2e-4e8f-9a0b-1c2d3e4f5a6b",
    time: PUSH_TIME + 5_000,
    realmId: REALM_ID,
    realmName: "customer-app",
    type: "admin.CLIENT-UPDATE",
    resourceType: "CLIENT",
    operationType: "UPDATE",
    resourcePath: "clients/396664b6-40c5-4d45-bedf-2d8dd0f2af0e",
    representation: JSON.stringify({ clientId: "web-app", redirectUris: ["https://app.example.com/*"] }),
    authDetails: {
      realmId: "master",
      clientId: "54aee1f9-2fe5-4049-99e8-3b72277a8e43",
      userId: "f7cd3491-7c6c-480c-bc5c-b2b3b0fb048c",
      ipAddress: "78.195.109.209",
      username: "admin",
    },
    details: {},
    ...overrides,
  };
}

/** ext-event-http: Keycloak's EventRepresentation (id since 26.2, realmName since 26.x). */
export function plainUserEvent(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: "2b7c9d1e-3f4a-4b5c-8d6e-7f8a9b0c1d2e",
    time: PUSH_TIME + 10_000,
    type: "CODE_TO_TOKEN_ERROR",
    realmId: REALM_ID,
    clientId: "backend-service",
    ipAddress: "10.0.0.7",
    error: "invalid_client_credentials",
    details: { grant_type: "authorization_code", client_auth_method: "client-secret" },
    ...overrides,
  };
}

export function plainAdminEvent(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b",
    time: PUSH_TIME + 20_000,
    realmId: REALM_ID,
    authDetails: {
      realmId: "a1b2c3d4-0000-4000-8000-000000000001",
      clientId: "54aee1f9-2fe5-4049-99e8-3b72277a8e43",
      userId: "f7cd3491-7c6c-480c-bc5c-b2b3b0fb048c",
      ipAddress: "10.0.0.2",
    },
    operationType: "DELETE",
    resourceType: "CLIENT_ROLE",
    resourcePath: "roles-by-id/0b9f0c1e-6b1f-4a4e-9c55-1d1f0e0b3a11",
    ...overrides,
  };
}

/** X-Keycloak-Signature as HttpSenderEventListenerProvider.calculateHmacSha computes it (lowercase hex). */
export function keycloakSignature(
  body: string,
  secret: string,
  algorithm: "sha256" | "sha1" = "sha256",
): string {
  return createHmac(algorithm, secret).update(body, "utf8").digest("hex");
}

/** WebhookJwtSigner's request_body_sha256 claim. */
export function bodySha256(body: string): string {
  return createHash("sha256").update(body, "utf8").digest("hex");
}
