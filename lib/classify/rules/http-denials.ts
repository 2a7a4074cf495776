import { REPORT_VERDICTS } from "@/lib/classify/decide-report-cause";
import { capValue } from "@/lib/classify/evidence";
import type { Rule } from "@/lib/classify/rule";
import type { ReportVerdict } from "@/lib/classify/types";
import {
  ADMIN_ROLE_TABLE,
  type AdminRoleRow,
  requiredAdminRole,
} from "@/lib/keycloak/realm-management-roles";

const ADMIN_PATH = /\/admin\/realms\/[^/?#]+(?:\/[^?#]*)?$/;
const TOKEN_PATH = /\/realms\/[^/]+\/protocol\/openid-connect\/token$/;
const USERINFO_PATH = /\/realms\/[^/]+\/protocol\/openid-connect\/userinfo$/;
const INTROSPECT_PATH = /\/realms\/[^/]+\/protocol\/openid-connect\/token\/introspect$/;
const ACCOUNT_PATH = /\/realms\/[^/]+\/account(?:\/|$)/;
/** Anything that is not a Keycloak endpoint: the user's own API behind the same proxy. */
const NON_KEYCLOAK_PATH = /^(?!.*\/(?:realms|admin|resources)\/)/;

const NO_EVENT = "Keycloak records no event for admin REST denials";
/** Every method but OPTIONS: a refused preflight is a CORS matter whatever the path. */
const NOT_PREFLIGHT = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"] as const;

function adminRoleRule(row: AdminRoleRow): Rule {
  return {
    id: `http-admin-403-${row.id}`,
    cause: "missing-role",
    confidence: 0.9,
    match: {
      origin: "access-log",
      type: "HTTP_DENIAL",
      http: {
        method: NOT_PREFLIGHT,
        status: 403,
        path: new RegExp(`\\/admin\\/realms\\/[^/?#]+${row.path.source.replace(/^\^/, "")}`),
      },
    },
    evidence: `reading ${row.resource} needs realm-management's ${row.read}${row.readAlternative === undefined ? "" : ` (${row.readAlternative} to list or search)`}, changing them needs ${row.write}; ${NO_EVENT}`,
    explain: (f) => {
      const http = f.input.http;
      const need = http == null ? null : requiredAdminRole(http.method, http.path);
      if (need === null) return null;
      const alternative =
        need.alternative === undefined ? "" : ` (${need.alternative} suffices to list or search)`;
      return `the caller lacks the ${need.role} role of the realm-management client in realm ${capValue(need.realm)}${alternative}; ${NO_EVENT}`;
    },
  };
}

/**
 * Denials Keycloak never records as events (situations (m) and (n)), read from HTTP access logs, and the
 * verdicts on resource-server reports.
 */
export const HTTP_DENIAL_RULES: readonly Rule[] = [
  ...ADMIN_ROLE_TABLE.map(adminRoleRule),
  {
    id: "http-admin-403",
    cause: "missing-role",
    confidence: 0.8,
    match: {
      origin: "access-log",
      type: "HTTP_DENIAL",
      http: { method: NOT_PREFLIGHT, status: 403, path: ADMIN_PATH },
    },
    evidence: `the caller's token lacks the realm-management role this admin endpoint requires; ${NO_EVENT}`,
  },
  {
    id: "http-admin-401",
    cause: "token-expired",
    confidence: 0.6,
    match: {
      origin: "access-log",
      type: "HTTP_DENIAL",
      http: { method: NOT_PREFLIGHT, status: 401, path: ADMIN_PATH },
    },
    evidence:
      "the admin API did not accept the bearer token: missing, expired, or issued by another realm or hostname (a bad token is only logged at DEBUG)",
  },
  {
    id: "http-token-403-origin",
    cause: "cors",
    confidence: 0.8,
    match: {
      origin: "access-log",
      type: "HTTP_DENIAL",
      http: { method: ["POST"], status: 403, path: TOKEN_PATH, origin: true },
      condition: "origin-check-era",
    },
    evidence:
      "the token endpoint refused the request's Origin, which is not among the client's Web origins (\"Invalid origin\", no event written)",
    versionNote:
      "Keycloak answers token requests with a disallowed Origin with 403 since 26.6.3; before, it only left out the CORS headers.",
  },
  {
    id: "http-token-403",
    cause: "proxy-misconfig",
    confidence: 0.75,
    match: {
      origin: "access-log",
      type: "HTTP_DENIAL",
      http: { method: NOT_PREFLIGHT, status: 403, path: TOKEN_PATH },
    },
    evidence:
      'the token endpoint answered 403 before writing any event: "HTTPS required" because the proxy\'s X-Forwarded-Proto is missing or not trusted (or the realm is disabled)',
  },
  {
    // 401 invalid_client for an unknown client (AuthenticationProcessor), 401 unauthorized_client for a wrong
    // secret (ClientIdAndSecretAuthenticator); a password grant's wrong user credentials are 401 invalid_grant up to
    // Keycloak 26.5 and 400 from 26.6 (ValidatePassword, keycloak PR #46528).
    id: "http-token-401",
    cause: "client-auth",
    confidence: 0.75,
    match: {
      origin: "access-log",
      type: "HTTP_DENIAL",
      http: { method: NOT_PREFLIGHT, status: 401, path: TOKEN_PATH },
    },
    evidence:
      "the token endpoint could not authenticate the client: an unknown client_id (invalid_client) or a wrong, expired or rotated-out secret (unauthorized_client); up to Keycloak 26.5 a password grant's wrong user password is also answered 401",
  },
  {
    // Keycloak's own event for the same request (a grant's *_ERROR) is more precise: a line that repeats a stored
    // event is linked to it (lib/ingest/write/link-copies.ts) and this verdict only stands for lines without one.
    id: "http-token-400",
    cause: "session-invalid",
    confidence: 0.5,
    match: {
      origin: "access-log",
      type: "HTTP_DENIAL",
      http: { method: NOT_PREFLIGHT, status: 400, path: TOKEN_PATH },
    },
    evidence:
      "the token endpoint refused the grant (400), most often invalid_grant for an authorization code or refresh token that expired, was used already or belongs to an ended session; also a scope or grant the client may not use, and from Keycloak 26.6 a password grant's wrong user credentials",
  },
  {
    id: "http-introspect-401",
    cause: "client-auth",
    confidence: 0.75,
    match: {
      origin: "access-log",
      type: "HTTP_DENIAL",
      http: { method: NOT_PREFLIGHT, status: 401, path: INTROSPECT_PATH },
    },
    evidence:
      'the introspection endpoint could not authenticate the calling client ("Authentication failed.": unknown client or wrong secret)',
  },
  {
    id: "http-userinfo-403",
    cause: "missing-scope",
    confidence: 0.85,
    match: {
      origin: "access-log",
      type: "HTTP_DENIAL",
      http: { method: NOT_PREFLIGHT, status: 403, path: USERINFO_PATH },
    },
    evidence:
      "userinfo answers 403 insufficient_scope to access tokens issued without the openid scope (since Keycloak 20)",
  },
  {
    id: "http-userinfo-401",
    cause: "token-expired",
    confidence: 0.6,
    match: {
      origin: "access-log",
      type: "HTTP_DENIAL",
      http: { method: NOT_PREFLIGHT, status: 401, path: USERINFO_PATH },
    },
    evidence: "userinfo rejected the access token, most often because it expired",
  },
  {
    id: "http-introspect-403",
    cause: "client-config",
    confidence: 0.8,
    match: {
      origin: "access-log",
      type: "HTTP_DENIAL",
      http: { method: NOT_PREFLIGHT, status: 403, path: INTROSPECT_PATH },
    },
    evidence: "a public client called the introspection endpoint; only confidential clients may introspect",
  },
  {
    id: "http-account-403",
    cause: "missing-role",
    confidence: 0.7,
    match: {
      origin: "access-log",
      type: "HTTP_DENIAL",
      http: { method: NOT_PREFLIGHT, status: 403, path: ACCOUNT_PATH },
    },
    evidence: "the user lacks the account client's manage-account or view-profile role",
  },
  {
    id: "http-preflight-403",
    cause: "cors",
    confidence: 0.85,
    match: { origin: "access-log", type: "HTTP_DENIAL", http: { method: ["OPTIONS"], status: 403 } },
    evidence: "the CORS preflight was refused: the page's origin is not allowed",
  },
  {
    // UserResource#verifySendEmailParams: execute-actions-email (and the deprecated reset-password-email) of a
    // disabled user answers 400 {"errorMessage":"User is disabled"}; no event is recorded.
    id: "http-send-email-user-disabled",
    cause: "user-state",
    confidence: 0.95,
    match: {
      origin: "access-log",
      type: "HTTP_DENIAL",
      http: { status: 400 },
      response: { message: "User is disabled" },
    },
    evidence:
      "Keycloak refused to send the e-mail (execute-actions-email or reset-password-email) because the user is disabled; enable the user first",
  },
  {
    id: "http-api-403",
    cause: "missing-role",
    confidence: 0.4,
    match: {
      origin: "access-log",
      type: "HTTP_DENIAL",
      http: { method: NOT_PREFLIGHT, status: 403, path: NON_KEYCLOAK_PATH },
    },
    evidence:
      "your API denied an authenticated request, most often for a role the token lacks; a resource-server report names the exact check",
  },
  {
    id: "http-api-401",
    cause: "token-expired",
    confidence: 0.4,
    match: {
      origin: "access-log",
      type: "HTTP_DENIAL",
      http: { method: NOT_PREFLIGHT, status: 401, path: NON_KEYCLOAK_PATH },
    },
    evidence: "your API did not accept the bearer token, most often because it expired",
  },
  ...(Object.keys(REPORT_VERDICTS) as ReportVerdict[])
    .filter((verdict) => REPORT_VERDICTS[verdict].cause !== "unknown")
    .map(
      (verdict): Rule => ({
        id: `report-${verdict}`,
        cause: REPORT_VERDICTS[verdict].cause,
        confidence: REPORT_VERDICTS[verdict].confidence,
        match: { origin: "report", type: "HTTP_DENIAL", report: verdict },
        evidence: REPORT_VERDICTS[verdict].meaning,
        explain: (f) => f.report?.evidence ?? null,
      }),
    ),
];
