import { capValue } from "@/lib/classify/evidence";
import type { Rule } from "@/lib/classify/rule";

/**
 * The token endpoint: code exchange (d), client authentication and client credentials (h), refresh (j).
 * The event type follows the grant (CODE_TO_TOKEN_ERROR, CLIENT_LOGIN_ERROR, REFRESH_TOKEN_ERROR,
 * LOGIN_ERROR for password, TOKEN_EXCHANGE_ERROR, PERMISSION_TOKEN_ERROR) even when client authentication
 * fails, because the grant is resolved first.
 */
export const TOKEN_ENDPOINT_RULES: readonly Rule[] = [
  {
    id: "code-reused-or-unknown",
    cause: "session-invalid",
    confidence: 0.8,
    match: { type: "CODE_TO_TOKEN_ERROR", error: "invalid_code" },
    evidence:
      "the authorization code was already exchanged (a retried callback or a double exchange) or is unknown to the node that got it (cluster caches not shared)",
  },
  {
    id: "code-exchange-different-client",
    cause: "client-config",
    confidence: 0.8,
    match: {
      type: "CODE_TO_TOKEN_ERROR",
      error: "invalid_client",
      reason: "Auth error: Found different client_id in clientSession",
    },
    evidence:
      "the code was issued to another client than the one exchanging it: front end and back end use different client ids",
  },
  {
    id: "code-exchange-not-allowed",
    cause: "client-config",
    confidence: 0.85,
    match: {
      type: "CODE_TO_TOKEN_ERROR",
      error: "not_allowed",
      reason: "Client not allowed to exchange code",
    },
    evidence: "the client may not exchange authorization codes (Standard flow off, or a bearer-only client)",
  },
  {
    id: "consent-revoked",
    cause: "session-invalid",
    confidence: 0.8,
    match: {
      error: ["not_allowed", "invalid_token"],
      reason: "Client no longer has requested consent from user",
    },
    evidence: "the user revoked the consent this client's tokens were based on",
  },
  {
    id: "session-gone",
    cause: "session-invalid",
    confidence: 0.85,
    match: { error: ["user_session_not_found", "session_expired"] },
    evidence:
      "the user session behind the request has ended (logout, SSO idle or max timeout, or revocation)",
  },
  {
    id: "service-accounts-disabled",
    cause: "client-auth",
    confidence: 0.95,
    match: {
      type: "CLIENT_LOGIN_ERROR",
      error: "invalid_client",
      reason: "Client not enabled to retrieve service account",
    },
    evidence: "client_credentials was used but Service accounts roles is off for the client",
  },
  {
    id: "service-account-public-client",
    cause: "client-auth",
    confidence: 0.95,
    match: {
      type: "CLIENT_LOGIN_ERROR",
      error: "invalid_client",
      reason: [
        "Public client not allowed to retrieve service account",
        "Bearer-only client not allowed to retrieve service account",
      ],
    },
    evidence: "client_credentials needs a confidential client with Client authentication on",
  },
  {
    id: "service-account-user-missing",
    cause: "client-auth",
    confidence: 0.85,
    match: {
      type: "CLIENT_LOGIN_ERROR",
      error: "user_not_found",
      reason: "The associated service account for the client does not exist",
    },
    evidence:
      "the client's service-account user is missing; toggling Service accounts roles off and on re-creates it",
  },
  {
    id: "service-account-user-disabled",
    cause: "user-state",
    confidence: 0.85,
    match: { type: "CLIENT_LOGIN_ERROR", error: "user_disabled", reason: /^User '.*' disabled$/s },
    evidence: "the client's service-account user is disabled",
  },
  {
    id: "client-secret-wrong",
    cause: "client-auth",
    confidence: 0.95,
    match: { error: "invalid_client_credentials" },
    evidence: "the client authenticated with a wrong, rotated or missing secret (or signed JWT)",
    explain: (f) =>
      f.input.clientId == null
        ? null
        : `client ${capValue(f.input.clientId)} authenticated with a wrong, rotated or missing secret (or signed JWT)`,
  },
  {
    id: "client-not-found",
    cause: "client-auth",
    confidence: 0.9,
    match: { error: "client_not_found" },
    evidence: "the client_id sent does not exist in this realm",
    explain: (f) =>
      f.input.clientId == null
        ? null
        : `no client with clientId ${capValue(f.input.clientId)} exists in this realm`,
  },
  {
    id: "client-disabled",
    cause: "client-auth",
    confidence: 0.9,
    match: { error: "client_disabled" },
    evidence: "the client is disabled",
  },
  {
    id: "client-authentication-failed",
    cause: "client-auth",
    confidence: 0.7,
    match: { error: "invalid_client", reason: null },
    evidence:
      "client authentication failed: no client_id was sent, or the client is not an OpenID Connect client",
  },
  {
    id: "unauthorized-client",
    cause: "client-config",
    confidence: 0.7,
    match: { error: "unauthorized_client" },
    evidence: "the client is not allowed to use this flow or grant",
  },
  {
    id: "refresh-token-other-client",
    cause: "client-config",
    confidence: 0.85,
    match: {
      type: "REFRESH_TOKEN_ERROR",
      error: "invalid_token",
      reason: ["Invalid refresh token. Token client and authorized client don't match", "Unmatching clients"],
    },
    evidence: "the refresh token was issued to another client than the one presenting it",
  },
  {
    id: "refresh-session-ended",
    cause: "session-invalid",
    confidence: 0.9,
    match: {
      type: "REFRESH_TOKEN_ERROR",
      error: "invalid_token",
      reason: [
        "Session not active",
        "Offline session not active",
        "Offline user session not found",
        "Client session not active",
        "Session doesn't have required client",
        "Refresh token issued before the user session started",
        "refresh token issued before the client session started",
      ],
    },
    evidence:
      "the session behind the refresh token has ended or been replaced (logout, SSO idle or max timeout, admin revocation, or a server restart without persistent sessions)",
  },
  {
    id: "refresh-token-reuse",
    cause: "session-invalid",
    confidence: 0.9,
    match: { error: "invalid_token", reason: "Maximum allowed refresh token reuse exceeded" },
    evidence:
      "Revoke Refresh Token is on and this refresh token was already used: two tabs or retries raced to refresh",
  },
  {
    id: "refresh-token-expired",
    cause: "token-expired",
    confidence: 0.93,
    match: { type: "REFRESH_TOKEN_ERROR", error: "invalid_token", reason: "Token is not active" },
    evidence:
      "the refresh token expired; its lifetime follows SSO Session Idle and Max (or the client's session settings), so the user must log in again",
  },
  {
    id: "refresh-user-disabled",
    cause: "user-state",
    confidence: 0.9,
    match: { type: "REFRESH_TOKEN_ERROR", error: "invalid_token", reason: "User disabled" },
    evidence: "the user was disabled after the session started",
  },
  {
    id: "refresh-token-unreadable",
    cause: "session-invalid",
    confidence: 0.55,
    match: { type: "REFRESH_TOKEN_ERROR", error: "invalid_token", reason: "Invalid refresh token" },
    evidence:
      "the refresh token could not be read or its user no longer exists: a malformed or empty value (such as 'undefined'), a token from another realm, or a deleted user",
  },
  {
    id: "refresh-invalid-token-legacy",
    cause: "session-invalid",
    confidence: 0.5,
    match: { type: "REFRESH_TOKEN_ERROR", error: "invalid_token", reason: null },
    evidence:
      "the refresh was refused and this server wrote no reason (before Keycloak 25); an ended SSO session (idle or max timeout, logout, restart) is the usual cause",
  },
  {
    id: "dpop-proof-missing",
    cause: "client-config",
    confidence: 0.8,
    match: { reason: "DPoP proof is missing" },
    evidence: "the token is DPoP-bound but the request carried no DPoP proof",
  },
  {
    id: "refresh-binding-failed",
    cause: "client-auth",
    confidence: 0.6,
    match: { type: "REFRESH_TOKEN_ERROR", error: "not_allowed" },
    evidence: "the refresh token is bound to a client certificate (MTLS) that this request did not present",
  },
];
