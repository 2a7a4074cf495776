import { issuerPair, parseIssuer } from "@/lib/classify/conditions";
import { capValue } from "@/lib/classify/evidence";
import type { Rule } from "@/lib/classify/rule";

/**
 * Situations (a), (b) and (c) of the events reference: userinfo, introspection and the token checks
 * every endpoint shares (TokenVerifier, TokenManager). Reasons are Keycloak's exception messages.
 */
export const TOKEN_CHECK_RULES: readonly Rule[] = [
  {
    id: "userinfo-missing-openid-scope",
    cause: "missing-scope",
    confidence: 0.97,
    match: { type: "USER_INFO_REQUEST_ERROR", error: "access_denied", reason: "Missing openid scope" },
    evidence: "the access token was issued without the openid scope (userinfo requires it since Keycloak 20)",
    versionNote:
      "Enforced since Keycloak 20.0.0 (403 insufficient_scope); the reason detail is written since about 25.",
  },
  {
    id: "userinfo-access-denied",
    cause: "missing-scope",
    confidence: 0.85,
    match: { type: "USER_INFO_REQUEST_ERROR", error: "access_denied", reason: null },
    evidence:
      "userinfo's only access_denied is the openid scope check; servers before the reason detail (Keycloak 20 to 24) log it without a reason",
    versionNote: "Keycloak 20 to 24 log this check without a reason detail.",
  },
  {
    id: "token-not-active",
    cause: "token-expired",
    confidence: 0.93,
    match: { error: "invalid_token", reason: "Token is not active" },
    evidence:
      "the token's exp is in the past, or its nbf in the future (clock skew between Keycloak nodes or hosts)",
  },
  {
    id: "stale-token",
    cause: "session-invalid",
    confidence: 0.85,
    match: { error: "invalid_token", reason: "Stale token" },
    evidence:
      "the token was issued before a not-before revocation (realm or client 'Revocation') or, for refresh tokens, was already rotated",
  },
  {
    id: "token-revoked",
    cause: "session-invalid",
    confidence: 0.9,
    match: {
      error: "invalid_token",
      reason: {
        prefix: "JWT check failed for check org.keycloak.protocol.oidc.TokenManager$TokenRevocationCheck",
      },
    },
    evidence: "the token was revoked through the revocation endpoint",
  },
  {
    id: "userinfo-missing-token",
    cause: "proxy-misconfig",
    confidence: 0.4,
    match: { type: "USER_INFO_REQUEST_ERROR", error: "invalid_token", reason: "Missing token" },
    evidence:
      "no bearer token reached Keycloak: the caller sent none, or a proxy between them dropped the Authorization header",
  },
  {
    id: "userinfo-session-gone",
    cause: "session-invalid",
    confidence: 0.88,
    match: {
      type: "USER_INFO_REQUEST_ERROR",
      error: ["user_session_not_found", "session_expired"],
      reason: null,
    },
    evidence:
      "the token is valid but its user session has ended (logout, SSO idle or max timeout, or revocation)",
  },
  {
    id: "userinfo-token-before-session",
    cause: "session-invalid",
    confidence: 0.7,
    match: {
      type: "USER_INFO_REQUEST_ERROR",
      error: "invalid_token",
      reason: null,
      condition: "reason-detail-era",
    },
    evidence:
      "Keycloak 25 and later give every token-verification failure a reason, so a bare invalid_token comes from the session lookup: the token predates the user's current session",
  },
  {
    id: "userinfo-invalid-token-legacy",
    cause: "token-expired",
    confidence: 0.5,
    match: { type: "USER_INFO_REQUEST_ERROR", error: "invalid_token", reason: null },
    evidence:
      "the access token failed verification and this server wrote no reason (before Keycloak 25); expiry is the usual cause, a token issued under another hostname or signed with other keys looks the same",
    versionNote: "Before about Keycloak 25 userinfo logged verification failures without a reason detail.",
  },
  {
    id: "userinfo-wrong-client-protocol",
    cause: "client-config",
    confidence: 0.8,
    match: { type: "USER_INFO_REQUEST_ERROR", error: "invalid_client", reason: "Wrong client protocol" },
    evidence: "the token's client is not an OpenID Connect client",
  },
  {
    id: "issuer-mismatch",
    cause: "proxy-misconfig",
    confidence: 0.9,
    match: { error: "invalid_token", reason: { prefix: "Invalid token issuer." } },
    evidence:
      "Keycloak expected another issuer than the token's: it is reached under another hostname than the one that issued the token (hostname options or proxy headers)",
    explain: (f) => {
      const pair = issuerPair(f.reason);
      if (pair === null) return null;
      const seen = pair.actual == null ? "" : ` was issued as '${capValue(pair.actual)}' but`;
      return `the token${seen} Keycloak expected '${capValue(pair.expected)}': it is reached under another hostname than the one that issued the token (hostname options or proxy headers)`;
    },
    versionNote: "Older servers write \"Expected '<url>'\" without \", but was '<iss>'\".",
  },
  {
    id: "issuer-known-other-host",
    cause: "proxy-misconfig",
    confidence: 0.97,
    match: {
      error: "invalid_token",
      reason: { prefix: "Invalid token issuer." },
      condition: "issuer-known-under-other-host",
    },
    evidence:
      "the token comes from this realm under one of its known hostnames while Keycloak answers under another",
    explain: (f) => {
      const pair = issuerPair(f.reason);
      return pair?.actual == null
        ? null
        : `the token comes from this realm under ${capValue(pair.actual)} while Keycloak now answers as ${capValue(pair.expected)}: one realm, two hostnames`;
    },
  },
  {
    id: "issuer-other-realm",
    cause: "client-config",
    confidence: 0.8,
    match: {
      error: "invalid_token",
      reason: { prefix: "Invalid token issuer." },
      condition: "issuer-differs-in-realm-only",
    },
    evidence:
      "the token was issued by another realm of the same server: the application is configured with the wrong realm",
    explain: (f) => {
      const pair = issuerPair(f.reason);
      const from = parseIssuer(pair?.actual ?? "")?.realm;
      const to = parseIssuer(pair?.expected ?? "")?.realm;
      return from === undefined || to === undefined
        ? null
        : `the token was issued by realm ${capValue(from)} and sent to realm ${capValue(to)}: the application is configured with the wrong realm`;
    },
  },
  {
    id: "token-signature-invalid",
    cause: "session-invalid",
    confidence: 0.55,
    match: { reason: /Invalid token signature/ },
    evidence:
      "the token is signed with a key this realm does not have: keys were rotated or the realm re-created, or the token comes from another deployment",
  },
  {
    id: "introspect-jwt-check-failed",
    cause: "token-expired",
    confidence: 0.75,
    match: {
      type: "INTROSPECT_TOKEN_ERROR",
      error: "invalid_token",
      reason: /^Introspection access token for .* client: JWT check failed$/s,
    },
    evidence: "the introspected token is expired, stale or revoked (introspection answers active:false)",
  },
  {
    id: "introspect-session-gone",
    cause: "session-invalid",
    confidence: 0.85,
    match: {
      type: "INTROSPECT_TOKEN_ERROR",
      error: ["user_session_not_found", "session_expired", "invalid_token"],
      reason:
        /^Introspection access token for .* client: (?:user_session_not_found|session_expired|invalid_token)$/s,
    },
    evidence: "the introspected token's user session has ended or predates the token",
  },
  {
    id: "introspect-user-gone",
    cause: "user-state",
    confidence: 0.85,
    match: {
      type: "INTROSPECT_TOKEN_ERROR",
      error: ["user_not_found", "user_disabled"],
      reason: { prefix: "Could not find valid user from user session " },
    },
    evidence: "the token's user was deleted or disabled after the token was issued",
  },
  {
    id: "offline-access-revoked",
    cause: "session-invalid",
    confidence: 0.9,
    match: { reason: "Offline session invalid because offline access not granted anymore" },
    evidence: "the user no longer has the offline_access role or consent, so the offline session is void",
  },
  {
    id: "introspect-client-gone",
    cause: "client-auth",
    confidence: 0.75,
    match: {
      type: "INTROSPECT_TOKEN_ERROR",
      error: ["client_not_found", "client_disabled"],
      reason: /^(?:Could not find client for .*|Client with clientId .* is disabled)$/s,
    },
    evidence: "the client the token was issued to (azp) was deleted or disabled",
  },
  {
    id: "introspect-public-client",
    cause: "client-config",
    confidence: 0.9,
    match: {
      type: "INTROSPECT_TOKEN_ERROR",
      error: "invalid_request",
      details: { detail: "Client not allowed." },
    },
    evidence:
      "a public client called the introspection endpoint (HTTP 403); only confidential clients may introspect",
  },
  {
    id: "introspect-bad-request",
    cause: "client-config",
    confidence: 0.6,
    match: {
      type: "INTROSPECT_TOKEN_ERROR",
      error: "invalid_request",
      details: { detail: { present: true } },
    },
    evidence:
      "the introspection request itself was malformed (missing token, unsupported token type or a duplicated parameter)",
  },
  {
    id: "introspect-generic-check-failed",
    cause: "proxy-misconfig",
    confidence: 0.5,
    match: {
      type: "INTROSPECT_TOKEN_ERROR",
      error: "invalid_token",
      reason: "Access token JWT check failed",
    },
    evidence:
      "the token failed its issuer, signature or format check (the exact check is only logged at DEBUG); most often it was issued under another hostname",
  },
  {
    id: "exchange-subject-token-rejected",
    cause: "proxy-misconfig",
    confidence: 0.45,
    match: {
      type: "TOKEN_EXCHANGE_ERROR",
      error: "invalid_token",
      reason: "subject_token validation failure",
    },
    evidence:
      "the subject token failed validation: issued under another hostname, signed with other keys, or expired",
  },
];
