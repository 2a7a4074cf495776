import type { CauseId } from "@/lib/classify/causes";
import type { ClassifyContext, HttpAnswer } from "@/lib/classify/types";
import type { HttpDenial } from "@/lib/keycloak/types";

/**
 * Keycloak's exact failure signals for every situation (a) to (n) of the events reference
 * (/work/shared/reference/keycloak-events.md, section 5), with the verdict the catalogue must reach.
 * The acceptance table of the classifier and the mix of the classify benchmark.
 */
export interface Situation {
  /** The reference's situation letter. */
  section: "a" | "b" | "c" | "d" | "e" | "f" | "g" | "h" | "i" | "j" | "k" | "l" | "m" | "n";
  name: string;
  /** A user event as Keycloak emits it (events and log lines); absent for access-log situations. */
  event?: {
    type: string;
    error?: string;
    clientId?: string | null;
    userId?: string | null;
    details?: Record<string, string>;
  };
  /** An access-log denial (situations Keycloak records no event for). */
  http?: HttpDenial;
  /** What the HTTP answer said, for denials only the answer tells apart. */
  response?: HttpAnswer;
  context?: ClassifyContext;
  expect: { cause: CauseId; ruleId: string; evidenceIncludes?: string };
}

const USER = "5f0c6a7e-2b1d-4c44-9d1e-0d6f3c1a9b21";
const USERINFO = { auth_method: "validate_access_token" };
const REFRESH = { grant_type: "refresh_token", client_auth_method: "client-secret" };
const CODE = { grant_type: "authorization_code" };
const CLIENT_CREDENTIALS = { grant_type: "client_credentials" };
const EXCHANGE = {
  auth_method: "token_exchange",
  grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
};
const UMA = { auth_method: "oauth_credentials", grant_type: "urn:ietf:params:oauth:grant-type:uma-ticket" };
const SAVED =
  "Parameter 'redirect_uri' did not match originally saved redirect URI used in initial OIDC request.";
const TOKEN_PATH = "/realms/acme/protocol/openid-connect/token";

export const SITUATIONS: readonly Situation[] = [
  // (a) UserInfo with an access token that lacks the openid scope
  {
    section: "a",
    name: "userinfo without openid scope (reason detail, 25+)",
    event: {
      type: "USER_INFO_REQUEST_ERROR",
      error: "access_denied",
      details: { ...USERINFO, reason: "Missing openid scope" },
    },
    expect: { cause: "missing-scope", ruleId: "userinfo-missing-openid-scope" },
  },
  {
    section: "a",
    name: "userinfo without openid scope (20 to 24, no reason)",
    event: { type: "USER_INFO_REQUEST_ERROR", error: "access_denied", details: USERINFO },
    expect: { cause: "missing-scope", ruleId: "userinfo-access-denied" },
  },
  // (b) Expired or inactive token
  {
    section: "b",
    name: "userinfo with an expired token",
    event: {
      type: "USER_INFO_REQUEST_ERROR",
      error: "invalid_token",
      details: { ...USERINFO, reason: "Token is not active" },
    },
    expect: { cause: "token-expired", ruleId: "token-not-active" },
  },
  {
    section: "b",
    name: "userinfo with a token older than a not-before revocation",
    event: {
      type: "USER_INFO_REQUEST_ERROR",
      error: "invalid_token",
      details: { ...USERINFO, reason: "Stale token" },
    },
    expect: { cause: "session-invalid", ruleId: "stale-token" },
  },
  {
    section: "b",
    name: "userinfo with a revoked token",
    event: {
      type: "USER_INFO_REQUEST_ERROR",
      error: "invalid_token",
      details: {
        ...USERINFO,
        reason:
          "JWT check failed for check org.keycloak.protocol.oidc.TokenManager$TokenRevocationCheck@5f2c1b7a",
      },
    },
    expect: { cause: "session-invalid", ruleId: "token-revoked" },
  },
  {
    section: "b",
    name: "userinfo without a token",
    event: {
      type: "USER_INFO_REQUEST_ERROR",
      error: "invalid_token",
      details: { ...USERINFO, reason: "Missing token" },
    },
    expect: { cause: "proxy-misconfig", ruleId: "userinfo-missing-token" },
  },
  {
    section: "b",
    name: "userinfo after the user session ended",
    event: { type: "USER_INFO_REQUEST_ERROR", error: "user_session_not_found", details: USERINFO },
    expect: { cause: "session-invalid", ruleId: "userinfo-session-gone" },
  },
  {
    section: "b",
    name: "userinfo with an expired session",
    event: { type: "USER_INFO_REQUEST_ERROR", error: "session_expired", details: USERINFO },
    expect: { cause: "session-invalid", ruleId: "userinfo-session-gone" },
  },
  {
    section: "b",
    name: "userinfo bare invalid_token on 26.x (token older than the session)",
    event: { type: "USER_INFO_REQUEST_ERROR", error: "invalid_token", details: USERINFO },
    context: { keycloakVersion: "26.4.2" },
    expect: { cause: "session-invalid", ruleId: "userinfo-token-before-session" },
  },
  {
    section: "b",
    name: "userinfo bare invalid_token from an older server",
    event: { type: "USER_INFO_REQUEST_ERROR", error: "invalid_token", details: USERINFO },
    expect: { cause: "token-expired", ruleId: "userinfo-invalid-token-legacy" },
  },
  {
    section: "b",
    name: "userinfo for a disabled user",
    event: { type: "USER_INFO_REQUEST_ERROR", error: "user_disabled", userId: USER, details: USERINFO },
    expect: { cause: "user-state", ruleId: "user-disabled" },
  },
  {
    section: "b",
    name: "introspection of an expired token",
    event: {
      type: "INTROSPECT_TOKEN_ERROR",
      error: "invalid_token",
      clientId: "orders-api",
      details: { reason: "Introspection access token for shop-frontend client: JWT check failed" },
    },
    expect: { cause: "token-expired", ruleId: "introspect-jwt-check-failed" },
  },
  {
    section: "b",
    name: "introspection after the session ended",
    event: {
      type: "INTROSPECT_TOKEN_ERROR",
      error: "user_session_not_found",
      clientId: "orders-api",
      details: { reason: "Introspection access token for shop-frontend client: user_session_not_found" },
    },
    expect: { cause: "session-invalid", ruleId: "introspect-session-gone" },
  },
  {
    section: "b",
    name: "introspection for a disabled user",
    event: {
      type: "INTROSPECT_TOKEN_ERROR",
      error: "user_disabled",
      clientId: "orders-api",
      details: { reason: "Could not find valid user from user session 8d3f2a55-61c0-4b6a-9a0e-2f7b1c9d4e10" },
    },
    expect: { cause: "user-state", ruleId: "introspect-user-gone" },
  },
  {
    section: "b",
    name: "introspection of an offline token whose offline access was withdrawn",
    event: {
      type: "INTROSPECT_TOKEN_ERROR",
      error: "session_expired",
      clientId: "orders-api",
      details: { reason: "Offline session invalid because offline access not granted anymore" },
    },
    expect: { cause: "session-invalid", ruleId: "offline-access-revoked" },
  },
  {
    section: "b",
    name: "introspection of a token whose client was deleted",
    event: {
      type: "INTROSPECT_TOKEN_ERROR",
      error: "client_not_found",
      clientId: "orders-api",
      details: { reason: "Could not find client for shop-frontend" },
    },
    expect: { cause: "client-auth", ruleId: "introspect-client-gone" },
  },
  {
    section: "b",
    name: "introspection of a token whose client is disabled",
    event: {
      type: "INTROSPECT_TOKEN_ERROR",
      error: "client_disabled",
      clientId: "orders-api",
      details: { reason: "Client with clientId shop-frontend is disabled" },
    },
    expect: { cause: "client-auth", ruleId: "introspect-client-gone" },
  },
  {
    section: "b",
    name: "introspection by a public client",
    event: {
      type: "INTROSPECT_TOKEN_ERROR",
      error: "invalid_request",
      clientId: "spa",
      details: { detail: "Client not allowed." },
    },
    expect: { cause: "client-config", ruleId: "introspect-public-client" },
  },
  {
    section: "b",
    name: "introspection without a token",
    event: {
      type: "INTROSPECT_TOKEN_ERROR",
      error: "invalid_request",
      clientId: "orders-api",
      details: { detail: "Token not provided." },
    },
    expect: { cause: "client-config", ruleId: "introspect-bad-request" },
  },
  {
    section: "b",
    name: "refresh with an expired refresh token",
    event: {
      type: "REFRESH_TOKEN_ERROR",
      error: "invalid_token",
      clientId: "shop-frontend",
      details: { ...REFRESH, reason: "Token is not active" },
    },
    expect: { cause: "token-expired", ruleId: "refresh-token-expired" },
  },
  {
    section: "b",
    name: "userinfo with a token of a non-OIDC client",
    event: {
      type: "USER_INFO_REQUEST_ERROR",
      error: "invalid_client",
      details: { ...USERINFO, reason: "Wrong client protocol" },
    },
    expect: { cause: "client-config", ruleId: "userinfo-wrong-client-protocol" },
  },
  // (c) Issuer mismatch
  {
    section: "c",
    name: "userinfo with a token issued under another hostname",
    event: {
      type: "USER_INFO_REQUEST_ERROR",
      error: "invalid_token",
      details: {
        ...USERINFO,
        reason:
          "Invalid token issuer. Expected 'https://auth.example.com/realms/acme', but was 'http://keycloak:8080/realms/acme'",
      },
    },
    expect: {
      cause: "proxy-misconfig",
      ruleId: "issuer-mismatch",
      evidenceIncludes: "http://keycloak:8080/realms/acme",
    },
  },
  {
    section: "c",
    name: "refresh with a token issued under another hostname (older message)",
    event: {
      type: "REFRESH_TOKEN_ERROR",
      error: "invalid_token",
      clientId: "shop-frontend",
      details: {
        ...REFRESH,
        reason: "Invalid token issuer. Expected 'https://auth.example.com/realms/acme'",
      },
    },
    expect: { cause: "proxy-misconfig", ruleId: "issuer-mismatch" },
  },
  {
    section: "c",
    name: "issuer mismatch between two known hostnames of the realm",
    event: {
      type: "USER_INFO_REQUEST_ERROR",
      error: "invalid_token",
      details: {
        ...USERINFO,
        reason:
          "Invalid token issuer. Expected 'https://auth.example.com/realms/acme', but was 'https://sso.internal/realms/acme'",
      },
    },
    context: { knownIssuers: ["https://auth.example.com/realms/acme", "https://sso.internal/realms/acme"] },
    expect: { cause: "proxy-misconfig", ruleId: "issuer-known-other-host" },
  },
  {
    section: "c",
    name: "token from another realm on the same host",
    event: {
      type: "USER_INFO_REQUEST_ERROR",
      error: "invalid_token",
      details: {
        ...USERINFO,
        reason:
          "Invalid token issuer. Expected 'https://auth.example.com/realms/acme', but was 'https://auth.example.com/realms/master'",
      },
    },
    expect: { cause: "client-config", ruleId: "issuer-other-realm", evidenceIncludes: "realm master" },
  },
  {
    section: "c",
    name: "introspection's generic issuer/signature failure",
    event: {
      type: "INTROSPECT_TOKEN_ERROR",
      error: "invalid_token",
      clientId: "orders-api",
      details: { reason: "Access token JWT check failed" },
    },
    expect: { cause: "proxy-misconfig", ruleId: "introspect-generic-check-failed" },
  },
  {
    section: "c",
    name: "token exchange with a rejected subject token",
    event: {
      type: "TOKEN_EXCHANGE_ERROR",
      error: "invalid_token",
      clientId: "gateway",
      details: { ...EXCHANGE, reason: "subject_token validation failure" },
    },
    expect: { cause: "proxy-misconfig", ruleId: "exchange-subject-token-rejected" },
  },
  {
    section: "c",
    name: "token signed with keys from another realm or deployment",
    event: {
      type: "USER_INFO_REQUEST_ERROR",
      error: "invalid_token",
      details: { ...USERINFO, reason: "Invalid token signature" },
    },
    expect: { cause: "session-invalid", ruleId: "token-signature-invalid" },
  },
  // (d) Invalid redirect_uri
  {
    section: "d",
    name: "login with an unregistered redirect_uri",
    event: {
      type: "LOGIN_ERROR",
      error: "invalid_redirect_uri",
      clientId: "shop-frontend",
      details: { redirect_uri: "https://shop.example.com/oauth/callback" },
    },
    expect: {
      cause: "redirect-uri",
      ruleId: "redirect-uri-not-registered",
      evidenceIncludes: "https://shop.example.com/oauth/callback",
    },
  },
  {
    section: "d",
    name: "login with a redirect_uri rewritten to http by a proxy",
    event: {
      type: "LOGIN_ERROR",
      error: "invalid_redirect_uri",
      clientId: "shop-frontend",
      details: { redirect_uri: "http://shop.example.com/oauth/callback" },
    },
    context: { registeredRedirectUris: ["https://shop.example.com/*"] },
    expect: {
      cause: "proxy-misconfig",
      ruleId: "redirect-uri-rewritten-by-proxy",
      evidenceIncludes: "scheme",
    },
  },
  {
    section: "d",
    name: "login with a redirect_uri carrying the internal port",
    event: {
      type: "LOGIN_ERROR",
      error: "invalid_redirect_uri",
      clientId: "shop-frontend",
      details: { redirect_uri: "https://shop.example.com:8443/oauth/callback" },
    },
    context: { registeredRedirectUris: ["https://shop.example.com/oauth/callback"] },
    expect: { cause: "proxy-misconfig", ruleId: "redirect-uri-rewritten-by-proxy", evidenceIncludes: "port" },
  },
  {
    section: "d",
    name: "code exchange with a different redirect_uri",
    event: {
      type: "CODE_TO_TOKEN_ERROR",
      error: "invalid_redirect_uri",
      clientId: "shop-frontend",
      userId: USER,
      details: {
        ...CODE,
        reason: `${SAVED} Saved redirectUri: https://shop.example.com/oauth/callback, redirectUri parameter: https://shop.example.com/login/callback`,
      },
    },
    expect: { cause: "redirect-uri", ruleId: "code-exchange-redirect-mismatch" },
  },
  {
    section: "d",
    name: "code exchange whose redirect_uri lost https behind a proxy",
    event: {
      type: "CODE_TO_TOKEN_ERROR",
      error: "invalid_redirect_uri",
      clientId: "shop-frontend",
      userId: USER,
      details: {
        ...CODE,
        reason: `${SAVED} Saved redirectUri: https://shop.example.com/oauth/callback, redirectUri parameter: http://shop.example.com/oauth/callback`,
      },
    },
    expect: { cause: "proxy-misconfig", ruleId: "code-exchange-redirect-rewritten-by-proxy" },
  },
  {
    section: "d",
    name: "code exchange with a used or unknown code",
    event: { type: "CODE_TO_TOKEN_ERROR", error: "invalid_code", clientId: "shop-frontend", details: CODE },
    expect: { cause: "session-invalid", ruleId: "code-reused-or-unknown" },
  },
  {
    section: "d",
    name: "code exchange with an expired code",
    event: { type: "CODE_TO_TOKEN_ERROR", error: "expired_code", clientId: "shop-frontend", details: CODE },
    expect: { cause: "session-invalid", ruleId: "expired-code" },
  },
  {
    section: "d",
    name: "code exchange after the user session disappeared",
    event: {
      type: "CODE_TO_TOKEN_ERROR",
      error: "user_session_not_found",
      clientId: "shop-frontend",
      details: { ...CODE, reason: "User session not found" },
    },
    expect: { cause: "session-invalid", ruleId: "session-gone" },
  },
  {
    section: "d",
    name: "code exchange by another client",
    event: {
      type: "CODE_TO_TOKEN_ERROR",
      error: "invalid_client",
      clientId: "shop-backend",
      details: { ...CODE, reason: "Auth error: Found different client_id in clientSession" },
    },
    expect: { cause: "client-config", ruleId: "code-exchange-different-client" },
  },
  {
    section: "d",
    name: "code exchange by a client not allowed to",
    event: {
      type: "CODE_TO_TOKEN_ERROR",
      error: "not_allowed",
      clientId: "shop-frontend",
      details: { ...CODE, reason: "Client not allowed to exchange code" },
    },
    expect: { cause: "client-config", ruleId: "code-exchange-not-allowed" },
  },
  {
    section: "d",
    name: "code exchange with an inactive session",
    event: {
      type: "CODE_TO_TOKEN_ERROR",
      error: "user_session_not_found",
      clientId: "shop-frontend",
      details: { ...CODE, reason: "Session not active" },
    },
    expect: { cause: "session-invalid", ruleId: "session-gone" },
  },
  {
    section: "d",
    name: "code exchange after consent was revoked",
    event: {
      type: "CODE_TO_TOKEN_ERROR",
      error: "not_allowed",
      clientId: "shop-frontend",
      details: { ...CODE, reason: "Client no longer has requested consent from user" },
    },
    expect: { cause: "session-invalid", ruleId: "consent-revoked" },
  },
  {
    section: "d",
    name: "code exchange failing PKCE",
    event: { type: "CODE_TO_TOKEN_ERROR", error: "invalid_code_verifier", clientId: "spa", details: CODE },
    expect: { cause: "client-config", ruleId: "pkce-failed" },
  },
  // (e) Requested scope not allowed
  {
    section: "e",
    name: "login asking for an unassigned scope",
    event: {
      type: "LOGIN_ERROR",
      error: "invalid_request",
      clientId: "shop-frontend",
      details: { reason: "Invalid scopes: openid orders.write" },
    },
    expect: { cause: "missing-scope", ruleId: "scope-not-allowed" },
  },
  {
    section: "e",
    name: "client credentials asking for an unassigned scope",
    event: {
      type: "CLIENT_LOGIN_ERROR",
      error: "invalid_request",
      clientId: "reports-job",
      details: { ...CLIENT_CREDENTIALS, reason: "Invalid scopes: reports.admin" },
    },
    expect: { cause: "missing-scope", ruleId: "scope-not-allowed" },
  },
  {
    section: "e",
    name: "refresh asking for an unassigned scope",
    event: {
      type: "REFRESH_TOKEN_ERROR",
      error: "invalid_request",
      clientId: "shop-frontend",
      details: { ...REFRESH, reason: "Invalid scopes: openid offline_access" },
    },
    expect: { cause: "missing-scope", ruleId: "scope-not-allowed" },
  },
  {
    section: "e",
    name: "token exchange asking for an unassigned scope",
    event: {
      type: "TOKEN_EXCHANGE_ERROR",
      error: "invalid_request",
      clientId: "gateway",
      details: { ...EXCHANGE, reason: "Invalid scopes: billing" },
    },
    expect: { cause: "missing-scope", ruleId: "scope-not-allowed" },
  },
  {
    section: "e",
    name: "scope error from a newer server (invalid_scope)",
    event: { type: "LOGIN_ERROR", error: "invalid_scope", clientId: "shop-frontend" },
    expect: { cause: "missing-scope", ruleId: "invalid-scope" },
  },
  // (f) Token exchange
  {
    section: "f",
    name: "token exchange to an unknown audience",
    event: {
      type: "TOKEN_EXCHANGE_ERROR",
      error: "client_not_found",
      clientId: "gateway",
      details: { ...EXCHANGE, audience: "billing-api", reason: "audience not found" },
    },
    expect: {
      cause: "wrong-audience",
      ruleId: "exchange-audience-not-found",
      evidenceIncludes: "billing-api",
    },
  },
  {
    section: "f",
    name: "token exchange to a disabled audience",
    event: {
      type: "TOKEN_EXCHANGE_ERROR",
      error: "client_disabled",
      clientId: "gateway",
      details: { ...EXCHANGE, reason: "audience client disabled" },
    },
    expect: { cause: "wrong-audience", ruleId: "exchange-audience-disabled" },
  },
  {
    section: "f",
    name: "token exchange by a client outside the subject token's audience",
    event: {
      type: "TOKEN_EXCHANGE_ERROR",
      error: "not_allowed",
      clientId: "gateway",
      details: { ...EXCHANGE, reason: "client is not within the token audience" },
    },
    expect: { cause: "wrong-audience", ruleId: "exchange-not-in-audience" },
  },
  {
    section: "f",
    name: "token exchange by a client that does not hold the token",
    event: {
      type: "TOKEN_EXCHANGE_ERROR",
      error: "not_allowed",
      clientId: "gateway",
      details: { ...EXCHANGE, reason: "client is not the token holder" },
    },
    expect: { cause: "wrong-audience", ruleId: "exchange-not-token-holder" },
  },
  {
    section: "f",
    name: "legacy token exchange without permission",
    event: {
      type: "TOKEN_EXCHANGE_ERROR",
      error: "not_allowed",
      clientId: "gateway",
      details: { ...EXCHANGE, reason: "client not allowed to exchange to audience" },
    },
    expect: { cause: "client-config", ruleId: "exchange-v1-permission-missing" },
  },
  {
    section: "f",
    name: "token exchange by a public client",
    event: {
      type: "TOKEN_EXCHANGE_ERROR",
      error: "invalid_client",
      clientId: "spa",
      details: { ...EXCHANGE, reason: "Public client is not allowed to exchange token" },
    },
    expect: { cause: "client-config", ruleId: "exchange-public-client" },
  },
  {
    section: "f",
    name: "token exchange to an audience the token cannot carry",
    event: {
      type: "TOKEN_EXCHANGE_ERROR",
      error: "invalid_request",
      clientId: "gateway",
      details: { ...EXCHANGE, reason: "Requested audience not available: billing-api" },
    },
    expect: { cause: "wrong-audience", ruleId: "exchange-audience-unavailable" },
  },
  {
    section: "f",
    name: "standard token exchange switched off",
    event: {
      type: "TOKEN_EXCHANGE_ERROR",
      error: "invalid_request",
      clientId: "gateway",
      details: { ...EXCHANGE, reason: "Standard token exchange is not enabled for the requested client" },
    },
    expect: { cause: "client-config", ruleId: "exchange-not-enabled" },
  },
  {
    section: "f",
    name: "standard token exchange with a refresh token as subject",
    event: {
      type: "TOKEN_EXCHANGE_ERROR",
      error: "invalid_request",
      clientId: "gateway",
      details: { ...EXCHANGE, reason: "Parameter 'subject_token' supports access tokens only" },
    },
    expect: { cause: "client-config", ruleId: "exchange-unsupported-request" },
  },
  {
    section: "f",
    name: "standard token exchange with subject_issuer",
    event: {
      type: "TOKEN_EXCHANGE_ERROR",
      error: "invalid_request",
      clientId: "gateway",
      details: {
        ...EXCHANGE,
        reason: "Parameter 'subject_issuer' is not supported for standard token exchange",
      },
    },
    expect: { cause: "client-config", ruleId: "exchange-unsupported-request" },
  },
  {
    section: "f",
    name: "token exchange to an unknown identity provider",
    event: {
      type: "TOKEN_EXCHANGE_ERROR",
      error: "unknown_identity_provider",
      clientId: "gateway",
      details: { ...EXCHANGE, reason: "unknown requested_issuer" },
    },
    expect: { cause: "client-config", ruleId: "exchange-identity-provider-unknown" },
  },
  {
    section: "f",
    name: "token exchange to an identity provider that does not exchange",
    event: {
      type: "TOKEN_EXCHANGE_ERROR",
      error: "unknown_identity_provider",
      clientId: "gateway",
      details: { ...EXCHANGE, reason: "exchange unsupported by requested_issuer" },
    },
    expect: { cause: "client-config", ruleId: "exchange-identity-provider-unknown" },
  },
  {
    section: "f",
    name: "token exchange for a requested issuer without permission",
    event: {
      type: "TOKEN_EXCHANGE_ERROR",
      error: "not_allowed",
      clientId: "gateway",
      details: { ...EXCHANGE, reason: "client not allowed to exchange for requested_issuer" },
    },
    expect: { cause: "client-config", ruleId: "exchange-identity-provider-not-allowed" },
  },
  {
    section: "f",
    name: "token exchange of a subject issuer without permission",
    event: {
      type: "TOKEN_EXCHANGE_ERROR",
      error: "not_allowed",
      clientId: "gateway",
      details: { ...EXCHANGE, reason: "client not allowed to exchange subject_issuer" },
    },
    expect: { cause: "client-config", ruleId: "exchange-identity-provider-not-allowed" },
  },
  {
    section: "f",
    name: "token exchange with an external token of an unknown issuer",
    event: { type: "TOKEN_EXCHANGE_ERROR", error: "invalid_issuer", clientId: "gateway", details: EXCHANGE },
    expect: { cause: "client-config", ruleId: "exchange-issuer-unknown" },
  },
  {
    section: "f",
    name: "token exchange without the user's consent",
    event: {
      type: "TOKEN_EXCHANGE_ERROR",
      error: "consent_denied",
      clientId: "gateway",
      details: { ...EXCHANGE, reason: "Missing consents for Token Exchange in client billing-api" },
    },
    expect: { cause: "client-config", ruleId: "exchange-consent-missing" },
  },
  {
    section: "f",
    name: "token exchange asking for a refresh token from an offline session",
    event: {
      type: "TOKEN_EXCHANGE_ERROR",
      error: "invalid_request",
      clientId: "gateway",
      details: {
        ...EXCHANGE,
        reason: "Refresh token not valid as requested_token_type because creating a new session is needed",
      },
    },
    expect: { cause: "client-config", ruleId: "exchange-refresh-needs-session" },
  },
  {
    section: "f",
    name: "token exchange asking for offline_access",
    event: {
      type: "TOKEN_EXCHANGE_ERROR",
      error: "invalid_request",
      clientId: "gateway",
      details: { ...EXCHANGE, reason: "Scope offline_access not allowed for token exchange" },
    },
    expect: { cause: "missing-scope", ruleId: "exchange-offline-scope" },
  },
  // (g) Authorization Services
  {
    section: "g",
    name: "permission denied by policy",
    event: {
      type: "PERMISSION_TOKEN_ERROR",
      error: "access_denied",
      clientId: "orders-api",
      userId: USER,
      details: { ...UMA, permission: "orders#delete", reason: "not_authorized" },
    },
    expect: { cause: "authz-policy", ruleId: "uma-not-authorized", evidenceIncludes: "orders#delete" },
  },
  {
    section: "g",
    name: "permission denied, request submitted to the owner",
    event: {
      type: "PERMISSION_TOKEN_ERROR",
      error: "access_denied",
      clientId: "orders-api",
      userId: USER,
      details: { ...UMA, reason: "request_submitted" },
    },
    expect: { cause: "authz-policy", ruleId: "uma-request-submitted" },
  },
  {
    section: "g",
    name: "permission request with an invalid bearer token",
    event: { type: "PERMISSION_TOKEN_ERROR", error: "invalid_token", clientId: "orders-api", details: UMA },
    expect: { cause: "token-expired", ruleId: "uma-invalid-bearer" },
  },
  {
    section: "g",
    name: "public client pushing claims",
    event: {
      type: "PERMISSION_TOKEN_ERROR",
      error: "invalid_request",
      clientId: "spa",
      details: { ...UMA, reason: "Public clients are not allowed to send claims" },
    },
    expect: { cause: "client-config", ruleId: "uma-public-client-claims" },
  },
  {
    section: "g",
    name: "RPT with an invalid signature",
    event: {
      type: "PERMISSION_TOKEN_ERROR",
      error: "invalid_request",
      clientId: "orders-api",
      details: { ...UMA, reason: "RPT signature is invalid" },
    },
    expect: { cause: "session-invalid", ruleId: "uma-rpt-signature" },
  },
  {
    section: "g",
    name: "identity token with an invalid signature",
    event: {
      type: "PERMISSION_TOKEN_ERROR",
      error: "invalid_signature",
      clientId: "orders-api",
      details: { ...UMA, reason: "<unknown>" },
    },
    expect: { cause: "session-invalid", ruleId: "uma-identity-token-signature" },
  },
  {
    section: "g",
    name: "permission denied (no reason detail)",
    event: { type: "PERMISSION_TOKEN_ERROR", error: "access_denied", clientId: "orders-api", details: UMA },
    expect: { cause: "authz-policy", ruleId: "uma-access-denied" },
  },
  // (h) Client credentials and client authentication
  {
    section: "h",
    name: "client credentials with service accounts off",
    event: {
      type: "CLIENT_LOGIN_ERROR",
      error: "invalid_client",
      clientId: "reports-job",
      details: { ...CLIENT_CREDENTIALS, reason: "Client not enabled to retrieve service account" },
    },
    expect: { cause: "client-auth", ruleId: "service-accounts-disabled" },
  },
  {
    section: "h",
    name: "client credentials by a public client",
    event: {
      type: "CLIENT_LOGIN_ERROR",
      error: "invalid_client",
      clientId: "spa",
      details: { ...CLIENT_CREDENTIALS, reason: "Public client not allowed to retrieve service account" },
    },
    expect: { cause: "client-auth", ruleId: "service-account-public-client" },
  },
  {
    section: "h",
    name: "client credentials by a bearer-only client",
    event: {
      type: "CLIENT_LOGIN_ERROR",
      error: "invalid_client",
      clientId: "legacy-api",
      details: {
        ...CLIENT_CREDENTIALS,
        reason: "Bearer-only client not allowed to retrieve service account",
      },
    },
    expect: { cause: "client-auth", ruleId: "service-account-public-client" },
  },
  {
    section: "h",
    name: "client credentials without a service-account user",
    event: {
      type: "CLIENT_LOGIN_ERROR",
      error: "user_not_found",
      clientId: "reports-job",
      details: {
        ...CLIENT_CREDENTIALS,
        reason: "The associated service account for the client does not exist",
      },
    },
    expect: { cause: "client-auth", ruleId: "service-account-user-missing" },
  },
  {
    section: "h",
    name: "client credentials with a disabled service-account user",
    event: {
      type: "CLIENT_LOGIN_ERROR",
      error: "user_disabled",
      clientId: "reports-job",
      details: { ...CLIENT_CREDENTIALS, reason: "User 'service-account-reports-job' disabled" },
    },
    expect: { cause: "user-state", ruleId: "service-account-user-disabled" },
  },
  {
    section: "h",
    name: "client credentials with a wrong or rotated secret",
    event: {
      type: "CLIENT_LOGIN_ERROR",
      error: "invalid_client_credentials",
      clientId: "reports-job",
      details: CLIENT_CREDENTIALS,
    },
    expect: { cause: "client-auth", ruleId: "client-secret-wrong", evidenceIncludes: "reports-job" },
  },
  {
    section: "h",
    name: "code exchange with a wrong secret (typed by grant)",
    event: {
      type: "CODE_TO_TOKEN_ERROR",
      error: "invalid_client_credentials",
      clientId: "shop-backend",
      details: CODE,
    },
    expect: { cause: "client-auth", ruleId: "client-secret-wrong" },
  },
  {
    section: "h",
    name: "unknown client_id",
    event: {
      type: "CLIENT_LOGIN_ERROR",
      error: "client_not_found",
      clientId: "report-job",
      details: CLIENT_CREDENTIALS,
    },
    expect: { cause: "client-auth", ruleId: "client-not-found", evidenceIncludes: "report-job" },
  },
  {
    section: "h",
    name: "disabled client",
    event: {
      type: "CLIENT_LOGIN_ERROR",
      error: "client_disabled",
      clientId: "reports-job",
      details: CLIENT_CREDENTIALS,
    },
    expect: { cause: "client-auth", ruleId: "client-disabled" },
  },
  {
    section: "h",
    name: "missing client_id",
    event: {
      type: "CLIENT_LOGIN_ERROR",
      error: "invalid_client",
      clientId: null,
      details: CLIENT_CREDENTIALS,
    },
    expect: { cause: "client-auth", ruleId: "client-authentication-failed" },
  },
  {
    section: "h",
    name: "a grant the client may not use",
    event: { type: "LOGIN_ERROR", error: "unauthorized_client", clientId: "reports-job" },
    expect: { cause: "client-config", ruleId: "unauthorized-client" },
  },
  // (i) Direct grant
  {
    section: "i",
    name: "password grant with direct access grants off",
    event: {
      type: "LOGIN_ERROR",
      error: "not_allowed",
      clientId: "cli-tool",
      details: {
        grant_type: "password",
        username: "alice",
        reason: "Client not allowed for direct access grants",
      },
    },
    expect: { cause: "client-config", ruleId: "direct-grant-disabled" },
  },
  {
    section: "i",
    name: "password grant for a client that requires consent",
    event: {
      type: "LOGIN_ERROR",
      error: "consent_denied",
      clientId: "cli-tool",
      details: { grant_type: "password", reason: "Client requires user consent" },
    },
    expect: { cause: "client-config", ruleId: "direct-grant-consent-required" },
  },
  {
    section: "i",
    name: "password grant for an account with pending required actions",
    event: {
      type: "LOGIN_ERROR",
      error: "resolve_required_actions",
      clientId: "cli-tool",
      userId: USER,
      details: { grant_type: "password", reason: "Account is not fully set up" },
    },
    expect: { cause: "user-state", ruleId: "required-actions-pending" },
  },
  // (j) Refresh
  {
    section: "j",
    name: "refresh token presented by another client",
    event: {
      type: "REFRESH_TOKEN_ERROR",
      error: "invalid_token",
      clientId: "shop-backend",
      details: {
        ...REFRESH,
        reason: "Invalid refresh token. Token client and authorized client don't match",
      },
    },
    expect: { cause: "client-config", ruleId: "refresh-token-other-client" },
  },
  {
    section: "j",
    name: "refresh token presented by another client (older message)",
    event: {
      type: "REFRESH_TOKEN_ERROR",
      error: "invalid_token",
      clientId: "shop-backend",
      details: { ...REFRESH, reason: "Unmatching clients" },
    },
    expect: { cause: "client-config", ruleId: "refresh-token-other-client" },
  },
  ...[
    "Session not active",
    "Offline session not active",
    "Offline user session not found",
    "Client session not active",
    "Session doesn't have required client",
    "Refresh token issued before the user session started",
    "refresh token issued before the client session started",
  ].map(
    (reason): Situation => ({
      section: "j",
      name: `refresh refused: ${reason}`,
      event: {
        type: "REFRESH_TOKEN_ERROR",
        error: "invalid_token",
        clientId: "shop-frontend",
        userId: USER,
        details: { ...REFRESH, reason },
      },
      expect: { cause: "session-invalid", ruleId: "refresh-session-ended" },
    }),
  ),
  {
    section: "j",
    name: "refresh with a rotated refresh token",
    event: {
      type: "REFRESH_TOKEN_ERROR",
      error: "invalid_token",
      clientId: "shop-frontend",
      details: { ...REFRESH, reason: "Stale token" },
    },
    expect: { cause: "session-invalid", ruleId: "stale-token" },
  },
  {
    section: "j",
    name: "refresh token reused beyond the limit",
    event: {
      type: "REFRESH_TOKEN_ERROR",
      error: "invalid_token",
      clientId: "shop-frontend",
      details: { ...REFRESH, reason: "Maximum allowed refresh token reuse exceeded" },
    },
    expect: { cause: "session-invalid", ruleId: "refresh-token-reuse" },
  },
  {
    section: "j",
    name: "refresh for a disabled user",
    event: {
      type: "REFRESH_TOKEN_ERROR",
      error: "invalid_token",
      clientId: "shop-frontend",
      details: { ...REFRESH, reason: "User disabled" },
    },
    expect: { cause: "user-state", ruleId: "refresh-user-disabled" },
  },
  {
    section: "j",
    name: "refresh with an unreadable refresh token",
    event: {
      type: "REFRESH_TOKEN_ERROR",
      error: "invalid_token",
      clientId: "shop-frontend",
      details: { ...REFRESH, reason: "Invalid refresh token" },
    },
    expect: { cause: "session-invalid", ruleId: "refresh-token-unreadable" },
  },
  {
    section: "j",
    name: "refresh refused by a server that wrote no reason (before 25)",
    event: {
      type: "REFRESH_TOKEN_ERROR",
      error: "invalid_token",
      clientId: "shop-frontend",
      userId: USER,
      details: REFRESH,
    },
    expect: { cause: "session-invalid", ruleId: "refresh-invalid-token-legacy" },
  },
  {
    section: "j",
    name: "refresh after consent was revoked",
    event: {
      type: "REFRESH_TOKEN_ERROR",
      error: "invalid_token",
      clientId: "shop-frontend",
      details: { ...REFRESH, reason: "Client no longer has requested consent from user" },
    },
    expect: { cause: "session-invalid", ruleId: "consent-revoked" },
  },
  {
    section: "j",
    name: "refresh of an offline token after offline access was withdrawn",
    event: {
      type: "REFRESH_TOKEN_ERROR",
      error: "invalid_token",
      clientId: "shop-frontend",
      details: { ...REFRESH, reason: "Offline session invalid because offline access not granted anymore" },
    },
    expect: { cause: "session-invalid", ruleId: "offline-access-revoked" },
  },
  {
    section: "j",
    name: "refresh of a DPoP-bound token without a proof",
    event: {
      type: "REFRESH_TOKEN_ERROR",
      error: "invalid_token",
      clientId: "mobile-app",
      details: { ...REFRESH, reason: "DPoP proof is missing" },
    },
    expect: { cause: "client-config", ruleId: "dpop-proof-missing" },
  },
  {
    section: "j",
    name: "refresh of a certificate-bound token without the certificate",
    event: { type: "REFRESH_TOKEN_ERROR", error: "not_allowed", clientId: "mtls-client", details: REFRESH },
    expect: { cause: "client-auth", ruleId: "refresh-binding-failed" },
  },
  // (k) Cookies, SameSite, login timeout, HTTPS behind a proxy
  {
    section: "k",
    name: "login without Keycloak's cookies",
    event: { type: "LOGIN_ERROR", error: "cookie_not_found", clientId: "shop-frontend" },
    expect: { cause: "proxy-misconfig", ruleId: "cookie-not-found" },
  },
  {
    section: "k",
    name: "login without cookies, all events from one private address",
    event: { type: "LOGIN_ERROR", error: "cookie_not_found", clientId: "shop-frontend" },
    context: { realmAddressProfile: { distinctIps: 1, onlyPrivateIp: "10.0.3.17" } },
    expect: {
      cause: "proxy-misconfig",
      ruleId: "cookie-not-found-behind-proxy",
      evidenceIncludes: "10.0.3.17",
    },
  },
  {
    section: "k",
    name: "password reset without cookies",
    event: { type: "RESET_PASSWORD_ERROR", error: "cookie_not_found", clientId: "shop-frontend" },
    expect: { cause: "proxy-misconfig", ruleId: "cookie-not-found" },
  },
  {
    section: "k",
    name: "login while already logged in",
    event: {
      type: "LOGIN_ERROR",
      error: "already_logged_in",
      clientId: "shop-frontend",
      userId: USER,
      details: { redirected_to_client: "true" },
    },
    expect: { cause: "session-invalid", ruleId: "already-logged-in" },
  },
  {
    section: "k",
    name: "auth-session cookie of another login",
    event: {
      type: "LOGIN_ERROR",
      error: "invalid_code",
      clientId: "shop-frontend",
      details: { reason: "cookie does not match auth_session query parameter" },
    },
    expect: { cause: "session-invalid", ruleId: "auth-session-cookie-mismatch" },
  },
  {
    section: "k",
    name: "login action with an unknown code (stale tab)",
    event: { type: "LOGIN_ERROR", error: "invalid_code", clientId: "shop-frontend" },
    expect: { cause: "session-invalid", ruleId: "invalid-code" },
  },
  {
    section: "k",
    name: "login page left open past the login timeout",
    event: {
      type: "LOGIN_ERROR",
      error: "expired_code",
      clientId: "shop-frontend",
      details: { restart_after_timeout: "true" },
    },
    expect: { cause: "session-invalid", ruleId: "login-timeout" },
  },
  {
    section: "k",
    name: "login form posted after the action lifespan",
    event: { type: "LOGIN_ERROR", error: "expired_code", clientId: "shop-frontend" },
    expect: { cause: "session-invalid", ruleId: "expired-code" },
  },
  {
    section: "k",
    name: "login with damaged client data",
    event: {
      type: "LOGIN_ERROR",
      error: "invalid_request",
      clientId: "shop-frontend",
      details: { reason: "Invalid client data: Illegal base64 character 2d" },
    },
    expect: { cause: "client-config", ruleId: "invalid-client-data" },
  },
  {
    section: "k",
    name: "login over http to a realm requiring SSL",
    event: { type: "LOGIN_ERROR", error: "ssl_required", clientId: "shop-frontend" },
    expect: { cause: "proxy-misconfig", ruleId: "ssl-required" },
  },
  {
    section: "k",
    name: "login over http, all events from one private address",
    event: { type: "LOGIN_ERROR", error: "ssl_required", clientId: "shop-frontend" },
    context: { realmAddressProfile: { distinctIps: 1, onlyPrivateIp: "172.18.0.5" } },
    expect: { cause: "proxy-misconfig", ruleId: "ssl-required-behind-proxy" },
  },
  // (l) User disabled or locked
  {
    section: "l",
    name: "login of a disabled user",
    event: {
      type: "LOGIN_ERROR",
      error: "user_disabled",
      clientId: "shop-frontend",
      userId: USER,
      details: { username: "alice" },
    },
    expect: { cause: "user-state", ruleId: "user-disabled" },
  },
  {
    section: "l",
    name: "login of a temporarily locked user",
    event: {
      type: "LOGIN_ERROR",
      error: "user_temporarily_disabled",
      clientId: "shop-frontend",
      userId: USER,
      details: { username: "alice" },
    },
    expect: { cause: "user-state", ruleId: "user-temporarily-locked" },
  },
  {
    section: "l",
    name: "wrong password",
    event: {
      type: "LOGIN_ERROR",
      error: "invalid_user_credentials",
      clientId: "shop-frontend",
      userId: USER,
      details: { auth_method: "openid-connect", auth_type: "code", username: "alice" },
    },
    expect: { cause: "user-credentials", ruleId: "invalid-user-credentials" },
  },
  {
    section: "l",
    name: "unknown username",
    event: {
      type: "LOGIN_ERROR",
      error: "user_not_found",
      clientId: "shop-frontend",
      details: { username: "alcie" },
    },
    expect: { cause: "user-credentials", ruleId: "user-not-found", evidenceIncludes: "alcie" },
  },
  {
    section: "l",
    name: "temporary lockout (a success-typed event)",
    event: {
      type: "USER_DISABLED_BY_TEMPORARY_LOCKOUT",
      clientId: null,
      userId: USER,
      details: { reason: "brute_force_attack detected" },
    },
    expect: { cause: "user-state", ruleId: "brute-force-lockout" },
  },
  {
    section: "l",
    name: "permanent lockout (a success-typed event)",
    event: {
      type: "USER_DISABLED_BY_PERMANENT_LOCKOUT",
      clientId: null,
      userId: USER,
      details: { reason: "brute_force_attack detected" },
    },
    expect: { cause: "user-state", ruleId: "brute-force-lockout", evidenceIncludes: "permanently" },
  },
  // (m) Admin REST and other endpoints Keycloak records no event for (access log)
  {
    section: "m",
    name: "reading a user without view-users",
    http: {
      method: "GET",
      path: "/admin/realms/acme/users/5f0c6a7e-2b1d-4c44-9d1e-0d6f3c1a9b21",
      status: 403,
    },
    expect: { cause: "missing-role", ruleId: "http-admin-403-users", evidenceIncludes: "view-users" },
  },
  {
    section: "m",
    name: "creating a user without manage-users",
    http: { method: "POST", path: "/admin/realms/acme/users", status: 403 },
    expect: { cause: "missing-role", ruleId: "http-admin-403-users", evidenceIncludes: "manage-users" },
  },
  {
    section: "m",
    name: "reading events without view-events",
    http: { method: "GET", path: "/admin/realms/acme/events", status: 403 },
    expect: { cause: "missing-role", ruleId: "http-admin-403-events", evidenceIncludes: "view-events" },
  },
  {
    section: "m",
    name: "changing the events config without manage-events",
    http: { method: "PUT", path: "/admin/realms/acme/events/config", status: 403 },
    expect: { cause: "missing-role", ruleId: "http-admin-403-events", evidenceIncludes: "manage-events" },
  },
  {
    section: "m",
    name: "listing clients without view-clients",
    http: { method: "GET", path: "/admin/realms/acme/clients", status: 403 },
    expect: { cause: "missing-role", ruleId: "http-admin-403-clients", evidenceIncludes: "view-clients" },
  },
  {
    section: "m",
    name: "updating a client without manage-clients",
    http: {
      method: "PUT",
      path: "/admin/realms/acme/clients/0d9e5b1c-7f3a-4e8b-a1c2-3d4e5f6a7b8c",
      status: 403,
    },
    expect: { cause: "missing-role", ruleId: "http-admin-403-clients", evidenceIncludes: "manage-clients" },
  },
  {
    section: "m",
    name: "listing groups without view-users",
    http: { method: "GET", path: "/admin/realms/acme/groups", status: 403 },
    expect: { cause: "missing-role", ruleId: "http-admin-403-groups", evidenceIncludes: "query-groups" },
  },
  {
    section: "m",
    name: "reading realm roles without view-realm",
    http: { method: "GET", path: "/admin/realms/acme/roles", status: 403 },
    expect: { cause: "missing-role", ruleId: "http-admin-403-roles", evidenceIncludes: "view-realm" },
  },
  {
    section: "m",
    name: "reading the realm without view-realm",
    http: { method: "GET", path: "/admin/realms/acme", status: 403 },
    expect: { cause: "missing-role", ruleId: "http-admin-403-realm", evidenceIncludes: "view-realm" },
  },
  {
    section: "m",
    name: "an admin endpoint outside the role table",
    http: { method: "GET", path: "/admin/realms/acme/organizations", status: 403 },
    expect: { cause: "missing-role", ruleId: "http-admin-403" },
  },
  {
    section: "m",
    name: "admin call with an expired token",
    http: { method: "GET", path: "/admin/realms/acme/users", status: 401 },
    expect: { cause: "token-expired", ruleId: "http-admin-401" },
  },
  {
    section: "m",
    name: "token endpoint 403 with no event (HTTPS required)",
    http: { method: "POST", path: TOKEN_PATH, status: 403 },
    expect: { cause: "proxy-misconfig", ruleId: "http-token-403" },
  },
  {
    section: "m",
    name: "userinfo 403 in the access log",
    http: { method: "GET", path: "/realms/acme/protocol/openid-connect/userinfo", status: 403 },
    expect: { cause: "missing-scope", ruleId: "http-userinfo-403" },
  },
  ...(
    [
      [
        "unlocking a user without manage-users",
        "DELETE",
        "/admin/realms/acme/attack-detection/brute-force/users/u1",
        "attack-detection",
        "manage-users",
      ],
      [
        "reading authorization settings",
        "GET",
        "/admin/realms/acme/clients/c1/authz/resource-server/policy",
        "authorization",
        "view-authorization",
      ],
      [
        "adding a client scope",
        "POST",
        "/admin/realms/acme/client-scopes",
        "client-scopes",
        "manage-clients",
      ],
      [
        "reading identity providers",
        "GET",
        "/admin/realms/acme/identity-provider/instances",
        "identity-providers",
        "view-identity-providers",
      ],
    ] as const
  ).map(
    ([name, method, path, row, role]): Situation => ({
      section: "m",
      name,
      http: { method, path, status: 403 },
      expect: { cause: "missing-role", ruleId: `http-admin-403-${row}`, evidenceIncludes: role },
    }),
  ),
  {
    section: "m",
    name: "token endpoint 401 (client credentials rejected)",
    http: { method: "POST", path: TOKEN_PATH, status: 401 },
    expect: { cause: "client-auth", ruleId: "http-token-401" },
  },
  {
    section: "m",
    name: "token endpoint 400 with no event read (a grant refused)",
    http: { method: "POST", path: TOKEN_PATH, status: 400 },
    expect: { cause: "session-invalid", ruleId: "http-token-400" },
  },
  {
    section: "m",
    name: "introspection 401 (client authentication failed)",
    http: { method: "POST", path: "/realms/acme/protocol/openid-connect/token/introspect", status: 401 },
    expect: { cause: "client-auth", ruleId: "http-introspect-401" },
  },
  {
    section: "m",
    name: "userinfo 401 in the access log",
    http: { method: "GET", path: "/realms/acme/protocol/openid-connect/userinfo", status: 401 },
    expect: { cause: "token-expired", ruleId: "http-userinfo-401" },
  },
  {
    section: "m",
    name: "introspection 403 (public client)",
    http: { method: "POST", path: "/realms/acme/protocol/openid-connect/token/introspect", status: 403 },
    expect: { cause: "client-config", ruleId: "http-introspect-403" },
  },
  {
    section: "m",
    name: "account console 403",
    http: { method: "GET", path: "/realms/acme/account/linked-accounts", status: 403 },
    expect: { cause: "missing-role", ruleId: "http-account-403" },
  },
  {
    section: "m",
    name: "403 from the user's own API behind the same proxy",
    http: { method: "DELETE", path: "/api/orders/42", status: 403 },
    expect: { cause: "missing-role", ruleId: "http-api-403" },
  },
  {
    section: "m",
    name: "401 from the user's own API",
    http: { method: "GET", path: "/api/orders", status: 401 },
    expect: { cause: "token-expired", ruleId: "http-api-401" },
  },
  // (n) CORS
  {
    section: "n",
    name: "token request from a disallowed origin (26.6.3+)",
    http: { method: "POST", path: TOKEN_PATH, status: 403, origin: "https://evil.example.net" },
    expect: { cause: "cors", ruleId: "http-token-403-origin", evidenceIncludes: "https://evil.example.net" },
  },
  {
    section: "n",
    name: "token 403 with an Origin on a server older than 26.6.3",
    http: { method: "POST", path: TOKEN_PATH, status: 403, origin: "https://shop.example.com" },
    context: { keycloakVersion: "26.4.2" },
    expect: { cause: "proxy-misconfig", ruleId: "http-token-403" },
  },
  {
    section: "n",
    name: "refused CORS preflight",
    http: {
      method: "OPTIONS",
      path: "/realms/acme/protocol/openid-connect/token",
      status: 403,
      origin: "https://app.example.com",
    },
    expect: { cause: "cors", ruleId: "http-preflight-403" },
  },
  // Client registration policies (ClientRegistrationPolicyManager adds the policy's name to the event).
  {
    section: "k",
    name: "anonymous client registration from a host the Trusted Hosts policy does not list",
    event: {
      type: "CLIENT_REGISTER_ERROR",
      error: "not_allowed",
      clientId: null,
      userId: null,
      details: { client_registration_policy: "Trusted Hosts" },
    },
    expect: { cause: "client-config", ruleId: "client-registration-trusted-hosts" },
  },
  {
    section: "e",
    name: "client registration asking for a scope the Allowed Client Scopes policy refuses",
    event: {
      type: "CLIENT_REGISTER_ERROR",
      error: "not_allowed",
      clientId: null,
      userId: null,
      details: { client_registration_policy: "Allowed Client Scopes" },
    },
    expect: { cause: "missing-scope", ruleId: "client-registration-allowed-scopes" },
  },
  {
    section: "h",
    name: "client update refused by a renamed policy",
    event: {
      type: "CLIENT_UPDATE_ERROR",
      error: "not_allowed",
      clientId: "mcp-client-7",
      details: { client_registration_policy: "Max Clients Limit" },
    },
    expect: {
      cause: "client-config",
      ruleId: "client-registration-policy",
      evidenceIncludes: "'Max Clients Limit'",
    },
  },
  // SAML behind a proxy (SamlService validates the Destination against the URL it computes).
  {
    section: "c",
    name: "SAML AuthnRequest whose Destination is not Keycloak's own URL",
    event: {
      type: "LOGIN_ERROR",
      error: "invalid_authn_request",
      clientId: "https://sp.example.com/saml/metadata",
      details: { reason: "invalid_destination" },
    },
    expect: { cause: "proxy-misconfig", ruleId: "saml-invalid-destination" },
  },
  // A token from another realm, or from the same realm under another hostname, at token exchange.
  {
    section: "f",
    name: "token exchange of a subject token from another realm",
    event: {
      type: "TOKEN_EXCHANGE_ERROR",
      error: "invalid_token",
      clientId: "gateway",
      details: { ...EXCHANGE, reason: "subject_token validation failure" },
    },
    context: {
      presentedIssuer: "https://auth.example.com/realms/partners",
      requestIssuer: "https://auth.example.com/realms/acme",
    },
    expect: {
      cause: "client-config",
      ruleId: "exchange-subject-token-other-realm",
      evidenceIncludes: "realms/partners",
    },
  },
  {
    section: "c",
    name: "token exchange of a subject token issued under the old hostname",
    event: {
      type: "TOKEN_EXCHANGE_ERROR",
      error: "invalid_token",
      clientId: "gateway",
      details: { ...EXCHANGE, reason: "subject_token validation failure" },
    },
    context: {
      presentedIssuer: "http://keycloak:8080/realms/acme",
      requestIssuer: "https://auth.example.com/realms/acme",
    },
    expect: {
      cause: "proxy-misconfig",
      ruleId: "exchange-subject-token-other-host",
      evidenceIncludes: "http://keycloak:8080/realms/acme",
    },
  },
  // A disabled user: the reset-password flow, an e-mailed action link, and the admin's send-email call.
  {
    section: "l",
    name: "password reset asked by a disabled user",
    event: {
      type: "RESET_PASSWORD_ERROR",
      error: "user_disabled",
      clientId: "account-console",
      userId: USER,
      details: { auth_method: "openid-connect", username: "jdoe" },
    },
    expect: { cause: "user-state", ruleId: "reset-password-user-disabled" },
  },
  {
    section: "l",
    name: "execute-actions link opened by a disabled user",
    event: {
      type: "EXECUTE_ACTION_TOKEN_ERROR",
      error: "user_disabled",
      clientId: null,
      userId: USER,
      details: { action: "execute-actions" },
    },
    expect: { cause: "user-state", ruleId: "action-token-user-disabled" },
  },
  {
    section: "l",
    name: "execute-actions-email for a disabled user (admin REST, no event)",
    http: {
      method: "PUT",
      path: `/admin/realms/acme/users/${USER}/execute-actions-email`,
      status: 400,
    },
    response: { message: "User is disabled" },
    expect: { cause: "user-state", ruleId: "http-send-email-user-disabled" },
  },
];
