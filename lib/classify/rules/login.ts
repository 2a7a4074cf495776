import { savedRedirectPair } from "@/lib/classify/conditions";
import { capValue } from "@/lib/classify/evidence";
import {
  explainRedirectMiss,
  redirectMissText,
  redirectUriDifference,
  wildcardRulesFor,
} from "@/lib/classify/redirect-uri-difference";
import type { Rule } from "@/lib/classify/rule";

const COOKIE_LOSS =
  "the browser came back without Keycloak's AUTH_SESSION_ID and KC_RESTART cookies: dropped by SameSite rules or a third-party context, or a proxy rewrote the cookie path or domain";
const HTTPS_REQUIRED =
  "the realm requires HTTPS and Keycloak saw plain http: the TLS-terminating proxy does not send X-Forwarded-Proto, or Keycloak does not trust it (--proxy-headers)";

/**
 * The browser flow (situations (d), (e), (k), (l) of the events reference): the authorization endpoint,
 * login actions and authenticators.
 */
export const LOGIN_RULES: readonly Rule[] = [
  {
    id: "redirect-uri-not-registered",
    cause: "redirect-uri",
    confidence: 0.9,
    match: { error: "invalid_redirect_uri" },
    evidence: "the redirect_uri the application sent is not among the client's Valid redirect URIs",
    explain: (f) => {
      const requested = f.input.details?.redirect_uri;
      if (requested == null) return null;
      // A wildcard that reached into the host (refused since 26.6.3 / 26.4.13) or a `?` entry says more.
      const miss = explainRedirectMiss(requested, f.ctx.registeredRedirectUris ?? []);
      return miss !== null && miss.kind !== "proxy"
        ? `the application sent redirect_uri ${capValue(requested)}, which is not among the client's Valid redirect URIs: ${redirectMissText(capValue(requested), miss)}`
        : `the application sent redirect_uri ${capValue(requested)}, which is not among the client's Valid redirect URIs`;
    },
  },
  {
    id: "redirect-uri-rewritten-by-proxy",
    cause: "proxy-misconfig",
    confidence: 0.85,
    match: {
      error: "invalid_redirect_uri",
      details: { redirect_uri: { present: true } },
      condition: "redirect-differs-by-proxy-only",
    },
    evidence:
      "the requested redirect_uri differs from a registered one only in scheme, host or port: the application builds it from what a proxy tells it",
    explain: (f) => {
      const requested = f.input.details?.redirect_uri ?? "";
      const difference = redirectUriDifference(requested, f.ctx.registeredRedirectUris ?? [], {
        rules: wildcardRulesFor(f.ctx.keycloakVersion) ?? "path",
      });
      return difference === null
        ? null
        : `the application sent ${capValue(requested)}, which differs from the registered ${capValue(difference.registered)} only in ${difference.parts.join(" and ")}: it builds the URI from what a proxy tells it`;
    },
  },
  {
    id: "code-exchange-redirect-mismatch",
    cause: "redirect-uri",
    confidence: 0.85,
    match: {
      type: "CODE_TO_TOKEN_ERROR",
      error: "invalid_redirect_uri",
      reason: { prefix: "Parameter 'redirect_uri' did not match originally saved redirect URI" },
    },
    evidence:
      "the application sent different redirect_uri values to the authorization and the token endpoint",
    explain: (f) => {
      const pair = savedRedirectPair(f.reason);
      return pair === null
        ? null
        : `the application sent ${capValue(pair.saved)} to the authorization endpoint and ${capValue(pair.parameter)} to the token endpoint; both requests must carry the same redirect_uri`;
    },
  },
  {
    id: "code-exchange-redirect-rewritten-by-proxy",
    cause: "proxy-misconfig",
    confidence: 0.85,
    match: {
      type: "CODE_TO_TOKEN_ERROR",
      error: "invalid_redirect_uri",
      reason: { prefix: "Parameter 'redirect_uri' did not match originally saved redirect URI" },
      condition: "saved-redirect-differs-by-proxy-only",
    },
    evidence:
      "the two redirect_uri values differ only in scheme, host or port: one of the requests went through a proxy that the application does not account for",
    explain: (f) => {
      const pair = savedRedirectPair(f.reason);
      return pair === null
        ? null
        : `the two redirect_uri values (${capValue(pair.saved)} and ${capValue(pair.parameter)}) differ only in scheme, host or port: one of the requests went through a proxy that the application does not account for`;
    },
  },
  {
    id: "scope-not-allowed",
    cause: "missing-scope",
    confidence: 0.9,
    match: { error: "invalid_request", reason: { prefix: "Invalid scopes: " } },
    evidence:
      "the client asked for scopes that are not assigned to it as default or optional client scopes (Keycloak answers invalid_scope)",
  },
  {
    id: "invalid-scope",
    cause: "missing-scope",
    confidence: 0.85,
    match: { error: "invalid_scope" },
    evidence: "the client asked for a scope it is not allowed to request",
  },
  {
    id: "cookie-not-found",
    cause: "proxy-misconfig",
    confidence: 0.55,
    match: { error: "cookie_not_found" },
    evidence: COOKIE_LOSS,
  },
  {
    id: "cookie-not-found-behind-proxy",
    cause: "proxy-misconfig",
    confidence: 0.8,
    match: { error: "cookie_not_found", condition: "single-private-address" },
    evidence: COOKIE_LOSS,
  },
  {
    id: "ssl-required",
    cause: "proxy-misconfig",
    confidence: 0.85,
    match: { error: "ssl_required" },
    evidence: HTTPS_REQUIRED,
  },
  {
    id: "ssl-required-behind-proxy",
    cause: "proxy-misconfig",
    confidence: 0.95,
    match: { error: "ssl_required", condition: "single-private-address" },
    evidence: HTTPS_REQUIRED,
  },
  {
    id: "login-timeout",
    cause: "session-invalid",
    confidence: 0.9,
    match: { error: "expired_code", details: { restart_after_timeout: "true" } },
    evidence:
      "the login page stayed open past the realm's login timeout and Keycloak restarted the flow from the KC_RESTART cookie",
  },
  {
    id: "expired-code",
    cause: "session-invalid",
    confidence: 0.8,
    match: { error: "expired_code" },
    evidence:
      "the authorization code or the login step expired before it was used (login timeout or action lifespan)",
  },
  {
    id: "auth-session-cookie-mismatch",
    cause: "session-invalid",
    confidence: 0.55,
    match: { error: "invalid_code", reason: "cookie does not match auth_session query parameter" },
    evidence:
      "the browser's AUTH_SESSION_ID cookie belongs to another login than the page: two tabs, the back button, or a proxy mixing cookies across hosts",
  },
  {
    id: "invalid-code",
    cause: "session-invalid",
    confidence: 0.6,
    match: { error: "invalid_code" },
    evidence:
      "the code or login step is unknown to Keycloak: already used, or from a session that no longer exists",
  },
  {
    id: "already-logged-in",
    cause: "session-invalid",
    confidence: 0.35,
    match: { error: "already_logged_in" },
    evidence: "the user already has a session (back button or a second tab); usually harmless",
  },
  {
    id: "invalid-client-data",
    cause: "client-config",
    confidence: 0.5,
    match: { error: "invalid_request", reason: { prefix: "Invalid client data" } },
    evidence: "the client_data parameter of the login URL was damaged or tampered with",
  },
  {
    id: "user-disabled",
    cause: "user-state",
    confidence: 0.9,
    match: { error: "user_disabled" },
    evidence: "the user is disabled by an administrator or permanently locked out by brute-force detection",
  },
  {
    id: "user-temporarily-locked",
    cause: "user-state",
    confidence: 0.95,
    match: { error: "user_temporarily_disabled" },
    evidence: "brute-force detection has locked the user temporarily after repeated failures",
  },
  {
    id: "brute-force-lockout",
    cause: "user-state",
    confidence: 0.95,
    match: {
      type: [
        "USER_DISABLED_BY_TEMPORARY_LOCKOUT",
        "USER_DISABLED_BY_PERMANENT_LOCKOUT",
        "USER_DISABLED_BY_TEMPORARY_LOCKOUT_ERROR",
        "USER_DISABLED_BY_PERMANENT_LOCKOUT_ERROR",
      ],
    },
    evidence: "brute-force detection locked the user after repeated failures",
    explain: (f) =>
      f.input.type.includes("PERMANENT")
        ? "brute-force detection disabled the user permanently; an administrator must re-enable the account"
        : "brute-force detection locked the user temporarily; it unlocks after the wait time or by an administrator",
    versionNote: "Keycloak sends these as success events, although they mean trouble.",
  },
  {
    id: "invalid-user-credentials",
    cause: "user-credentials",
    confidence: 0.95,
    match: { error: "invalid_user_credentials" },
    evidence: "the password (or other credential) was wrong",
  },
  {
    id: "user-not-found",
    cause: "user-credentials",
    confidence: 0.85,
    match: { error: "user_not_found" },
    evidence: "no user matches the username that was entered",
    explain: (f) => {
      const username = f.input.details?.username;
      return username == null ? null : `no user matches the username ${capValue(username)}`;
    },
  },
  {
    id: "required-actions-pending",
    cause: "user-state",
    confidence: 0.85,
    match: { error: "resolve_required_actions" },
    evidence:
      "the account has required actions pending (e.g. update password, verify e-mail), which a direct grant cannot complete",
  },
  {
    id: "direct-grant-disabled",
    cause: "client-config",
    confidence: 0.97,
    match: {
      type: "LOGIN_ERROR",
      error: "not_allowed",
      reason: "Client not allowed for direct access grants",
    },
    evidence: "the password grant was used but Direct access grants is off for the client",
  },
  {
    id: "direct-grant-consent-required",
    cause: "client-config",
    confidence: 0.85,
    match: { error: "consent_denied", reason: "Client requires user consent" },
    evidence: "the client requires user consent, which a direct grant cannot ask for",
  },
  {
    id: "pkce-failed",
    cause: "client-config",
    confidence: 0.8,
    match: {
      error: [
        "code_verifier_missing",
        "invalid_code_verifier",
        "pkce_verification_failed",
        "invalid_code_challenge_method",
      ],
    },
    evidence:
      "the PKCE check failed: the client's PKCE method setting and what the application sends disagree",
  },
  {
    // SamlService#loginRequest (validateDestination): the AuthnRequest's Destination must equal the URL
    // Keycloak computes for the request; it records error invalid_authn_request with reason
    // "invalid_destination" (Errors.INVALID_DESTINATION). Logout messages use invalid_logout_request and
    // invalid_logout_response with the same reason.
    id: "saml-invalid-destination",
    cause: "proxy-misconfig",
    confidence: 0.8,
    match: {
      error: ["invalid_authn_request", "invalid_logout_request", "invalid_logout_response"],
      reason: "invalid_destination",
    },
    evidence:
      "the SAML request's Destination is not the URL Keycloak computes for itself: behind a proxy Keycloak sees another scheme, host or port (proxy headers not trusted, or the hostname option unset), or the service provider posts to an old URL",
  },
  {
    // ResetCredentialChooseUser#action: a disabled user asking for a reset gets the usual "you should receive an
    // e-mail" page, nothing is sent, and RESET_PASSWORD_ERROR / user_disabled is recorded.
    id: "reset-password-user-disabled",
    cause: "user-state",
    confidence: 0.95,
    match: { type: "RESET_PASSWORD_ERROR", error: "user_disabled" },
    evidence:
      "the user asked for a password reset but is disabled: Keycloak showed the usual confirmation page and sent no e-mail",
  },
  {
    // LoginActionsServiceChecks#checkIsUserValid: an action-token link (execute-actions or reset e-mail)
    // opened for a disabled user fails with user_disabled ("Account is disabled").
    id: "action-token-user-disabled",
    cause: "user-state",
    confidence: 0.95,
    match: { type: ["EXECUTE_ACTION_TOKEN_ERROR", "EXECUTE_ACTIONS_ERROR"], error: "user_disabled" },
    evidence:
      "the user opened an e-mailed action link (update password, verify e-mail, required actions) but is disabled",
  },
];
