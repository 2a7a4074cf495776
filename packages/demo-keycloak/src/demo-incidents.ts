import type { CauseId } from "@/lib/classify/causes";

/**
 * The incidents planted in the demo traffic: what realmwatch must find. Times are minutes before the
 * traffic's "now" (the moment the history ends); `durationMinutes: null` means still going on, until
 * the misconfiguration is fixed through the admin endpoints (or, for a caller-side cause, the app is
 * fixed through POST /__demo/apps/{realm}/{clientId}).
 */
export interface DemoIncidentSpec {
  id: string;
  realm: string;
  /** clientId of the client the failures belong to. */
  client: string;
  /** Username of the user concerned, when there is one. */
  user: string | null;
  cause: CauseId;
  /** Where the evidence shows: Keycloak events, access-log lines, or resource-server reports. */
  signal: "event" | "access-log" | "report";
  startAgoMinutes: number;
  durationMinutes: number | null;
  /** Failures per hour while active, before the business-hours shape. */
  perHour: number;
  /**
   * The admin event planted `leadMinutes` before the start. resourcePath placeholders: {client:<clientId>}
   * (that client's UUID), {user} (the incident user's id), {id} (a fresh UUID); null = no resourcePath at
   * all (Keycloak records PUT /admin/realms/{realm} without one).
   */
  adminEvent: {
    operationType: "CREATE" | "UPDATE" | "DELETE" | "ACTION";
    resourceType: string;
    resourcePath: string | null;
    leadMinutes: number;
    representation?: string;
  } | null;
  summary: string;
}

export const DEMO_INCIDENTS: readonly DemoIncidentSpec[] = [
  {
    id: "userinfo-missing-openid",
    realm: "acme",
    client: "acme-spa",
    user: null,
    cause: "missing-scope",
    signal: "event",
    startAgoMinutes: 3 * 1440 + 200,
    durationMinutes: null,
    perHour: 20,
    adminEvent: null,
    summary:
      'The SPA requests tokens without the openid scope, then calls userinfo: USER_INFO_REQUEST_ERROR access_denied "Missing openid scope".',
  },
  {
    id: "admin-api-missing-view-users",
    realm: "acme",
    client: "acme-reporting",
    user: "service-account-acme-reporting",
    cause: "missing-role",
    signal: "access-log",
    startAgoMinutes: 2 * 1440 + 95,
    durationMinutes: null,
    perHour: 12,
    adminEvent: {
      operationType: "DELETE",
      resourceType: "CLIENT_ROLE_MAPPING",
      resourcePath: "users/{user}/role-mappings/clients/{client:realm-management}",
      leadMinutes: 15,
      representation: '[{"name":"view-users","composite":true,"clientRole":true}]',
    },
    summary:
      "view-users was removed from the reporting service account; its GET /admin/realms/acme/users calls get 403 (no Keycloak event, access log only).",
  },
  {
    id: "rotated-client-secret",
    realm: "retail",
    client: "retail-backend",
    user: null,
    cause: "client-auth",
    signal: "event",
    startAgoMinutes: 6 * 60,
    durationMinutes: null,
    perHour: 60,
    adminEvent: {
      operationType: "ACTION",
      resourceType: "CLIENT",
      resourcePath: "clients/{client:retail-backend}/client-secret",
      leadMinutes: 5,
    },
    summary:
      "The backend's client secret was regenerated; the backend still sends the old one: CLIENT_LOGIN_ERROR invalid_client_credentials.",
  },
  {
    id: "redirect-uri-scheme-lost",
    realm: "retail",
    client: "retail-shop",
    user: null,
    cause: "proxy-misconfig",
    signal: "event",
    startAgoMinutes: 30 * 60,
    durationMinutes: null,
    perHour: 15,
    adminEvent: {
      operationType: "UPDATE",
      resourceType: "CLIENT",
      resourcePath: "clients/{client:retail-shop}",
      leadMinutes: 20,
      representation: '{"redirectUris":["https://shop.retail.example/*"]}',
    },
    summary:
      "Redirect URIs were tightened to https; the shop behind a TLS-terminating proxy sends http://: LOGIN_ERROR invalid_redirect_uri.",
  },
  {
    id: "redirect-uri-port-lost",
    realm: "retail",
    client: "retail-portal",
    user: null,
    cause: "proxy-misconfig",
    signal: "event",
    startAgoMinutes: 5 * 1440 + 30,
    durationMinutes: null,
    perHour: 6,
    adminEvent: null,
    summary:
      "The portal's proxy drops the :8443 port from its own URL: LOGIN_ERROR invalid_redirect_uri with https://portal.retail.example/callback.",
  },
  {
    id: "issuer-mismatch-after-hostname-change",
    realm: "retail",
    client: "retail-mobile",
    user: null,
    cause: "proxy-misconfig",
    signal: "event",
    startAgoMinutes: 4 * 1440 + 120,
    durationMinutes: 8 * 60,
    perHour: 30,
    adminEvent: {
      operationType: "UPDATE",
      resourceType: "REALM",
      resourcePath: null,
      leadMinutes: 2,
      representation: '{"attributes":{"frontendUrl":"https://sso.retail.example"}}',
    },
    summary:
      'The realm\'s frontend URL moved from sso-old to sso; tokens issued under the old hostname fail: "Invalid token issuer. Expected ..., but was ...".',
  },
  {
    id: "brute-force-lockout",
    realm: "acme",
    client: "acme-spa",
    user: "lena.vogel",
    cause: "user-state",
    signal: "event",
    startAgoMinutes: 3 * 60,
    durationMinutes: 8,
    perHour: 450,
    adminEvent: null,
    summary:
      "A burst of wrong passwords from one address locks lena.vogel: invalid_user_credentials, USER_DISABLED_BY_TEMPORARY_LOCKOUT, then user_temporarily_disabled; she signs in as usual half an hour after it stops.",
  },
  {
    id: "token-exchange-audience",
    realm: "internal",
    client: "internal-gateway",
    user: null,
    cause: "wrong-audience",
    signal: "event",
    startAgoMinutes: 26 * 60,
    durationMinutes: null,
    perHour: 25,
    adminEvent: {
      operationType: "DELETE",
      resourceType: "PROTOCOL_MAPPER",
      resourcePath: "clients/{client:internal-portal}/protocol-mappers/models/{id}",
      leadMinutes: 10,
    },
    summary:
      'The portal\'s audience mapper for the gateway was deleted: TOKEN_EXCHANGE_ERROR not_allowed "client is not within the token audience".',
  },
  {
    id: "expired-refresh-tokens",
    realm: "acme",
    client: "acme-mobile",
    user: null,
    cause: "token-expired",
    signal: "event",
    startAgoMinutes: 7 * 1440 + 300,
    durationMinutes: null,
    perHour: 10,
    adminEvent: {
      operationType: "UPDATE",
      resourceType: "REALM",
      resourcePath: null,
      leadMinutes: 30,
      representation: '{"ssoSessionIdleTimeout":300}',
    },
    summary:
      'SSO Session Idle was cut to 5 minutes; the mobile app refreshes every 15: REFRESH_TOKEN_ERROR invalid_token "Token is not active".',
  },
  {
    id: "authz-permission-denied",
    realm: "retail",
    client: "retail-reports",
    user: null,
    cause: "authz-policy",
    signal: "event",
    startAgoMinutes: 9 * 1440 + 60,
    durationMinutes: null,
    perHour: 5,
    adminEvent: {
      operationType: "UPDATE",
      resourceType: "AUTHORIZATION_POLICY",
      resourcePath: "clients/{client:retail-orders-api}/authz/resource-server/policy/{id}",
      leadMinutes: 60,
    },
    summary:
      'An Authorization Services policy of the orders API now denies the reports client: PERMISSION_TOKEN_ERROR access_denied "not_authorized".',
  },
  {
    id: "cors-invalid-origin",
    realm: "acme",
    client: "acme-spa",
    user: null,
    cause: "cors",
    signal: "access-log",
    startAgoMinutes: 50 * 60,
    durationMinutes: null,
    perHour: 30,
    adminEvent: {
      operationType: "UPDATE",
      resourceType: "CLIENT",
      resourcePath: "clients/{client:acme-spa}",
      leadMinutes: 45,
      representation: '{"webOrigins":["https://www.acme.example"]}',
    },
    summary:
      'The SPA now also runs on https://app.acme.example, which the client\'s web origins lack: 403 "Invalid origin" on the token endpoint, no event.',
  },
  {
    id: "realm-role-instead-of-client-role",
    realm: "acme",
    client: "acme-spa",
    user: "marco.rossi",
    cause: "missing-role",
    signal: "report",
    startAgoMinutes: 20 * 60,
    durationMinutes: null,
    perHour: 8,
    adminEvent: {
      operationType: "CREATE",
      resourceType: "REALM_ROLE_MAPPING",
      resourcePath: "users/{user}/role-mappings/realm",
      leadMinutes: 30,
      representation: '[{"name":"orders-admin","composite":false,"clientRole":false}]',
    },
    summary:
      "marco.rossi got the realm role orders-admin; the orders API requires the client role orders-admin of acme-orders-api.",
  },
  {
    id: "composite-role-not-in-scope",
    realm: "acme",
    client: "acme-support-desk",
    user: "olivia.martin",
    cause: "missing-role",
    signal: "report",
    startAgoMinutes: 4 * 1440 + 400,
    durationMinutes: null,
    perHour: 6,
    adminEvent: {
      operationType: "UPDATE",
      resourceType: "CLIENT",
      resourcePath: "clients/{client:acme-support-desk}",
      leadMinutes: 60,
      representation: '{"fullScopeAllowed":false}',
    },
    summary:
      "The support desk's full scope was turned off with only support-agent and support-viewer in scope: tokens carry the children of the composite support-lead but not support-lead, which the escalation API requires.",
  },
];

/** An incident with absolute times and the planted admin event's concrete resourcePath. */
export interface DemoIncident extends DemoIncidentSpec {
  /** Epoch ms. */
  start: number;
  /** Epoch ms, or null while still going on. */
  end: number | null;
  userId: string | null;
  /** The planted admin event's resourcePath (null when there is none, or Keycloak records none). */
  adminEventResourcePath: string | null;
  adminEventTime: number | null;
}
