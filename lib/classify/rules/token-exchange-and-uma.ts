import { capValue } from "@/lib/classify/evidence";
import type { Rule } from "@/lib/classify/rule";

/** Token exchange (situation (f)) and Authorization Services / UMA permission tickets (situation (g)). */
export const TOKEN_EXCHANGE_AND_UMA_RULES: readonly Rule[] = [
  {
    id: "exchange-audience-not-found",
    cause: "wrong-audience",
    confidence: 0.9,
    match: { type: "TOKEN_EXCHANGE_ERROR", error: "client_not_found", reason: "audience not found" },
    evidence: "the requested audience names no client of this realm",
    explain: (f) => {
      const audience = f.input.details?.audience;
      return audience == null
        ? null
        : `the requested audience ${capValue(audience)} names no client of this realm`;
    },
  },
  {
    id: "exchange-audience-disabled",
    cause: "wrong-audience",
    confidence: 0.85,
    match: { type: "TOKEN_EXCHANGE_ERROR", error: "client_disabled", reason: "audience client disabled" },
    evidence: "the requested audience is a disabled client",
  },
  {
    id: "exchange-not-in-audience",
    cause: "wrong-audience",
    confidence: 0.95,
    match: {
      type: "TOKEN_EXCHANGE_ERROR",
      error: "not_allowed",
      reason: "client is not within the token audience",
    },
    evidence:
      "standard token exchange requires the requesting client in the subject token's aud; add an audience mapper for it on the client that obtained the token",
  },
  {
    id: "exchange-not-token-holder",
    cause: "wrong-audience",
    confidence: 0.8,
    match: { type: "TOKEN_EXCHANGE_ERROR", error: "not_allowed", reason: "client is not the token holder" },
    evidence: "the requesting client is neither the subject token's holder (azp) nor in its audience",
  },
  {
    id: "exchange-audience-unavailable",
    cause: "wrong-audience",
    confidence: 0.9,
    match: {
      type: "TOKEN_EXCHANGE_ERROR",
      error: "invalid_request",
      reason: { prefix: "Requested audience not available: " },
    },
    evidence:
      "the requested audience cannot be put in the new token: the user holds no role of that client and no audience mapper adds it",
  },
  {
    id: "exchange-v1-permission-missing",
    cause: "client-config",
    confidence: 0.85,
    match: {
      type: "TOKEN_EXCHANGE_ERROR",
      error: "not_allowed",
      reason: "client not allowed to exchange to audience",
    },
    evidence:
      "legacy (V1) token exchange needs a token-exchange permission on the target client granting this client",
  },
  {
    id: "exchange-public-client",
    cause: "client-config",
    confidence: 0.9,
    match: {
      type: "TOKEN_EXCHANGE_ERROR",
      error: "invalid_client",
      reason: "Public client is not allowed to exchange token",
    },
    evidence: "token exchange needs a confidential client",
  },
  {
    id: "exchange-not-enabled",
    cause: "client-config",
    confidence: 0.95,
    match: {
      type: "TOKEN_EXCHANGE_ERROR",
      error: "invalid_request",
      reason: "Standard token exchange is not enabled for the requested client",
    },
    evidence: "Standard Token Exchange is off in the client's capability config",
  },
  {
    id: "exchange-unsupported-request",
    cause: "client-config",
    confidence: 0.8,
    match: {
      type: "TOKEN_EXCHANGE_ERROR",
      error: "invalid_request",
      reason: [
        "Parameter 'subject_token' supports access tokens only",
        "Parameter 'subject_issuer' is not supported for standard token exchange",
      ],
    },
    evidence: "the exchange request asks for something standard token exchange does not support",
  },
  {
    id: "exchange-identity-provider-unknown",
    cause: "client-config",
    confidence: 0.8,
    match: { type: "TOKEN_EXCHANGE_ERROR", error: "unknown_identity_provider" },
    evidence:
      "the requested or subject issuer is not an identity provider of this realm that supports exchange",
  },
  {
    id: "exchange-identity-provider-not-allowed",
    cause: "client-config",
    confidence: 0.85,
    match: {
      type: "TOKEN_EXCHANGE_ERROR",
      error: "not_allowed",
      reason: [
        "client not allowed to exchange for requested_issuer",
        "client not allowed to exchange subject_issuer",
      ],
    },
    evidence: "the identity provider's token-exchange permission does not grant this client",
  },
  {
    id: "exchange-issuer-unknown",
    cause: "client-config",
    confidence: 0.7,
    match: { type: "TOKEN_EXCHANGE_ERROR", error: "invalid_issuer" },
    evidence: "the external subject token's issuer matches no identity provider of this realm",
  },
  {
    id: "exchange-consent-missing",
    cause: "client-config",
    confidence: 0.85,
    match: {
      type: "TOKEN_EXCHANGE_ERROR",
      error: "consent_denied",
      reason: { prefix: "Missing consents for Token Exchange in client " },
    },
    evidence: "the target client requires consent that the user has not given",
  },
  {
    id: "exchange-refresh-needs-session",
    cause: "client-config",
    confidence: 0.85,
    match: {
      type: "TOKEN_EXCHANGE_ERROR",
      error: "invalid_request",
      reason: "Refresh token not valid as requested_token_type because creating a new session is needed",
    },
    evidence: "a refresh token cannot be issued from an offline or transient session by exchange",
  },
  {
    id: "exchange-offline-scope",
    cause: "missing-scope",
    confidence: 0.85,
    match: {
      type: "TOKEN_EXCHANGE_ERROR",
      error: "invalid_request",
      reason: "Scope offline_access not allowed for token exchange",
    },
    evidence: "offline_access cannot be requested through token exchange",
  },
  {
    id: "uma-not-authorized",
    cause: "authz-policy",
    confidence: 0.95,
    match: { type: "PERMISSION_TOKEN_ERROR", error: "access_denied", reason: "not_authorized" },
    evidence: "the client's Authorization Services policies denied the requested permissions",
    explain: (f) => {
      const permission = f.input.details?.permission;
      return permission == null
        ? null
        : `the client's Authorization Services policies denied permission ${capValue(permission)}`;
    },
  },
  {
    id: "uma-request-submitted",
    cause: "authz-policy",
    confidence: 0.9,
    match: { type: "PERMISSION_TOKEN_ERROR", error: "access_denied", reason: "request_submitted" },
    evidence:
      "the policies denied the permission and a permission request was submitted to the resource owner",
  },
  {
    id: "uma-access-denied",
    cause: "authz-policy",
    confidence: 0.8,
    match: { type: "PERMISSION_TOKEN_ERROR", error: "access_denied" },
    evidence: "an Authorization Services policy denied the permission",
  },
  {
    id: "uma-invalid-bearer",
    cause: "token-expired",
    confidence: 0.6,
    match: { type: "PERMISSION_TOKEN_ERROR", error: "invalid_token" },
    evidence: "the bearer token sent with the permission request was not valid (usually expired)",
  },
  {
    id: "uma-public-client-claims",
    cause: "client-config",
    confidence: 0.9,
    match: {
      type: "PERMISSION_TOKEN_ERROR",
      error: "invalid_request",
      reason: "Public clients are not allowed to send claims",
    },
    evidence: "a public client pushed claims with the permission request; only confidential clients may",
  },
  {
    id: "uma-rpt-signature",
    cause: "session-invalid",
    confidence: 0.55,
    match: { type: "PERMISSION_TOKEN_ERROR", error: "invalid_request", reason: "RPT signature is invalid" },
    evidence:
      "the RPT sent for upgrade is signed with a key this realm does not have (rotated keys or another deployment)",
  },
  {
    id: "uma-identity-token-signature",
    cause: "session-invalid",
    confidence: 0.5,
    match: { type: "PERMISSION_TOKEN_ERROR", error: "invalid_signature" },
    evidence: "the identity token sent as claim_token failed its signature check",
  },
  {
    // StandardTokenExchangeProvider#tokenExchange verifies the subject token against this realm's issuer
    // (AuthenticationManager#verifyIdentityToken with the realm URL check) and records only
    // "subject_token validation failure"; the token shown with it tells which check failed.
    id: "exchange-subject-token-other-realm",
    cause: "client-config",
    confidence: 0.9,
    match: {
      type: "TOKEN_EXCHANGE_ERROR",
      error: "invalid_token",
      reason: "subject_token validation failure",
      condition: "presented-token-other-realm",
    },
    evidence:
      "the subject token was issued by another realm than the one asked to exchange it: standard token exchange works inside one realm (across realms it needs an identity provider and subject_issuer)",
    explain: (f) =>
      f.ctx.presentedIssuer == null
        ? null
        : `the subject token was issued by ${capValue(f.ctx.presentedIssuer)}, another realm than the one asked to exchange it: standard token exchange works inside one realm`,
  },
  {
    id: "exchange-subject-token-other-host",
    cause: "proxy-misconfig",
    confidence: 0.9,
    match: {
      type: "TOKEN_EXCHANGE_ERROR",
      error: "invalid_token",
      reason: "subject_token validation failure",
      condition: "presented-token-other-host",
    },
    evidence:
      "the subject token names this realm under another hostname than the exchange request used: one realm, two hostnames (hostname option or proxy headers)",
    explain: (f) =>
      f.ctx.presentedIssuer == null || f.ctx.requestIssuer == null
        ? null
        : `the subject token was issued as ${capValue(f.ctx.presentedIssuer)} but the exchange went to ${capValue(f.ctx.requestIssuer)}: one realm, two hostnames (hostname option or proxy headers)`,
  },
];
