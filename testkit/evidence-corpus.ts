import type { CauseId } from "@/lib/classify/causes";
import { accessToken, jwt, NOW } from "@/testkit/test-jwt";

/**
 * Evidence as people paste it, one entry per form the Diagnose page takes, each with the cause it must reach
 * (null: nothing in it names a cause, and the answer must say what would). Written from Keycloak's source
 * (the classes named in lib/classify/rules and lib/classify/evidence/response-signals.ts) and the shapes of
 * the public samples in /work/shared/samples; values are invented.
 */
export interface EvidenceCase {
  name: string;
  /** The forms of the pieces it must be read as, in order (tokens excluded). */
  forms: string[];
  text: string;
  expect: { cause: CauseId | null; ruleId?: string; deciderIncludes?: string };
}

export const CORPUS_NOW = NOW;
const REALM_ID = "4c3d9a0e-1b7f-4a52-8e61-2f0b9c7d5a13";
const missingOpenid = jwt(accessToken({ scope: "profile email" }));
const partnersToken = jwt(
  accessToken({ iss: "https://auth.example.com/realms/partners", azp: "partner-app" }),
);
const oldHostToken = jwt(accessToken({ iss: "http://keycloak:8080/realms/acme", azp: "spa" }));

export const EVIDENCE_CORPUS: readonly EvidenceCase[] = [
  {
    name: "an event line pasted without its timestamp and level",
    forms: ["prefixless-line"],
    text: `[org.keycloak.events] (executor-thread-17) type="LOGIN_ERROR", realmId="${REALM_ID}", realmName="acme", clientId="shop", userId="null", ipAddress="203.0.113.24", error="invalid_redirect_uri", redirect_uri="http://shop.example.com/callback"`,
    expect: { cause: "redirect-uri", ruleId: "redirect-uri-not-registered" },
  },
  {
    name: "cookie_not_found broken mid-value by a docker-compose terminal",
    forms: ["wrapped-line"],
    text: `keycloak-1  | 2025-06-03 09:14:07,321 WARN  [org.keycloak.events] (executor-thread-4) type="LOGIN_ERROR", realmId="${REALM_ID}", realmName="acme", clientId="shop", userId="null", ipAddress="10.0.0.2", error="cookie_not_
found"`,
    expect: { cause: "proxy-misconfig", ruleId: "cookie-not-found" },
  },
  {
    name: "one field per line, as posted in a forum",
    forms: ["wrapped-line"],
    text: `2025-06-03 09:14:07,321 WARN  [org.keycloak.events] (executor-thread-7)
  type="CODE_TO_TOKEN_ERROR",
  realmId="${REALM_ID}",
  clientId="shop",
  userId="5f0c6a7e-2b1d-4c44-9d1e-0d6f3c1a9b21",
  ipAddress="10.65.144.204",
  error="invalid_code",
  grant_type="authorization_code",
  code_id="0e34fb9b-0f37-471a-99c8-cedb71137109"`,
    expect: { cause: "session-invalid", ruleId: "code-reused-or-unknown" },
  },
  {
    name: "a fragment quoted in a sentence",
    forms: ["fragment"],
    text: "After the first broker login I only get type=IDENTITY_PROVIDER_FIRST_LOGIN_ERROR, error=invalid_user_credentials.",
    expect: { cause: "user-credentials" },
  },
  {
    name: "the tail of a line without its type",
    forms: ["fragment"],
    text: "error=not_allowed, reason='client is not the token holder', auth_method=token_exchange, ...",
    expect: { cause: "wrong-audience", ruleId: "exchange-not-token-holder" },
  },
  {
    name: "Keycloak's JSON console log (default layout)",
    forms: ["json-log"],
    text: `{"timestamp":"2025-06-03T09:14:07.321Z","sequence":8312,"loggerClassName":"org.jboss.logging.Logger","loggerName":"org.keycloak.events","level":"WARN","message":"type=\\"REFRESH_TOKEN_ERROR\\", realmId=\\"${REALM_ID}\\", realmName=\\"acme\\", clientId=\\"shop\\", userId=\\"null\\", ipAddress=\\"203.0.113.24\\", error=\\"invalid_token\\", reason=\\"Token is not active\\", grant_type=\\"refresh_token\\"","threadName":"executor-thread-2","threadId":41,"hostName":"kc-0","processName":"QuarkusEntryPoint","processId":1}`,
    expect: { cause: "token-expired", ruleId: "refresh-token-expired" },
  },
  {
    name: "Keycloak's JSON console log (ECS layout) behind a kubectl prefix",
    forms: ["json-log"],
    text: `2025-06-03T09:14:07.321456789Z {"@timestamp":"2025-06-03T09:14:07.321Z","log.level":"WARN","message":"type=\\"LOGIN_ERROR\\", realmId=\\"${REALM_ID}\\", realmName=\\"acme\\", clientId=\\"admin-cli\\", userId=\\"null\\", ipAddress=\\"203.0.113.24\\", error=\\"not_allowed\\", reason=\\"Client not allowed for direct access grants\\", grant_type=\\"password\\"","ecs.version":"1.12.2","log.logger":"org.keycloak.events","process.thread.name":"executor-thread-9"}`,
    expect: { cause: "client-config", ruleId: "direct-grant-disabled" },
  },
  {
    name: "a journald line",
    forms: ["log-line"],
    text: `Jun 03 09:14:07 idp1 kc.sh[2231]: 2025-06-03 09:14:07,321 WARN  [org.keycloak.events] (executor-thread-3) type="CLIENT_LOGIN_ERROR", realmId="${REALM_ID}", realmName="acme", clientId="reports-job", userId="null", ipAddress="10.1.2.3", error="invalid_client_credentials", grant_type="client_credentials"`,
    expect: { cause: "client-auth" },
  },
  {
    name: "kcadm get events --fields type,error,details (no time, no realmId)",
    forms: ["kcadm-json"],
    text: `[ {
  "type" : "RESET_PASSWORD_ERROR",
  "error" : "user_disabled",
  "details" : {
    "auth_method" : "openid-connect",
    "username" : "jdoe"
  }
} ]`,
    expect: { cause: "user-state", ruleId: "reset-password-user-disabled" },
  },
  {
    name: "event JSON from the Admin REST API",
    forms: ["event-json"],
    text: `{"id":"0b0e8a52-54a3-4f0c-9d6c-1e1f0c7a7f55","time":1748942047321,"type":"LOGIN_ERROR","realmId":"${REALM_ID}","clientId":"https://sp.example.com/saml/metadata","ipAddress":"10.0.0.2","error":"invalid_authn_request","details":{"reason":"invalid_destination"}}`,
    expect: { cause: "proxy-misconfig", ruleId: "saml-invalid-destination" },
  },
  {
    name: "a client registration refused by Trusted Hosts: the server's warning and the event line",
    forms: ["log-line"],
    text: `2026-01-09 13:08:33,637 WARN  [org.keycloak.services] (executor-thread-1) KC-SERVICES0099: Operation 'before register client' rejected. Policy 'Trusted Hosts' rejected request to client-registration service. Details: Host not trusted.
2026-01-09 13:08:33,638 WARN  [org.keycloak.events] (executor-thread-1) type="CLIENT_REGISTER_ERROR", realmId="${REALM_ID}", realmName="acme", clientId="null", userId="null", ipAddress="192.168.65.1", error="not_allowed", client_registration_policy="Trusted Hosts"`,
    expect: { cause: "client-config", ruleId: "client-registration-trusted-hosts" },
  },
  {
    name: "a dynamic registration refused by Allowed Client Scopes, as the client saw it",
    forms: ["error-body"],
    text: `{"error":"insufficient_scope","error_description":"Policy 'Allowed Client Scopes' rejected request to client-registration service. Details: Not permitted to use specified clientScope"}`,
    expect: { cause: "missing-scope", ruleId: "client-registration-allowed-scopes" },
  },
  {
    name: "curl -v of a userinfo call with a token lacking openid",
    forms: ["curl"],
    text: `$ curl -v https://auth.example.com/realms/acme/protocol/openid-connect/userinfo -H "Authorization: Bearer ${missingOpenid}"
*   Trying 198.51.100.7:443...
* Connected to auth.example.com (198.51.100.7) port 443
> GET /realms/acme/protocol/openid-connect/userinfo HTTP/1.1
> Host: auth.example.com
> Authorization: Bearer ${missingOpenid}
>
< HTTP/1.1 403 Forbidden
< WWW-Authenticate: Bearer realm="acme", error="insufficient_scope", error_description="Missing openid scope"
< Content-Length: 0
<
* Connection #0 to host auth.example.com left intact`,
    expect: { cause: "missing-scope", ruleId: "userinfo-missing-openid-scope" },
  },
  {
    name: "a token exchange refused: the subject token comes from another realm",
    forms: ["curl"],
    text: `$ curl -v https://auth.example.com/realms/acme/protocol/openid-connect/token -d grant_type=urn:ietf:params:oauth:grant-type:token-exchange -d subject_token=${partnersToken} -d client_id=gateway
> POST /realms/acme/protocol/openid-connect/token HTTP/1.1
> Host: auth.example.com
>
< HTTP/1.1 400 Bad Request
< Content-Type: application/json
<
{"error":"invalid_request","error_description":"Invalid token"}`,
    expect: { cause: "client-config", ruleId: "exchange-subject-token-other-realm" },
  },
  {
    name: "a token exchange refused: the subject token names the realm under its old hostname",
    forms: ["curl"],
    text: `$ curl -v https://auth.example.com/realms/acme/protocol/openid-connect/token -d grant_type=urn:ietf:params:oauth:grant-type:token-exchange -d subject_token=${oldHostToken}
> POST /realms/acme/protocol/openid-connect/token HTTP/1.1
> Host: auth.example.com
>
< HTTP/1.1 400 Bad Request
<
{"error":"invalid_request","error_description":"Invalid token"}`,
    expect: { cause: "proxy-misconfig", ruleId: "exchange-subject-token-other-host" },
  },
  {
    name: "a token exchange refused, no token shown: the subject token decides",
    forms: ["error-body"],
    text: `{"error":"invalid_request","error_description":"Invalid token"}`,
    expect: {
      cause: "proxy-misconfig",
      ruleId: "exchange-subject-token-rejected",
      deciderIncludes: "subject token",
    },
  },
  {
    name: "a code used twice, from the application's log",
    forms: ["status-mention"],
    text: `org.springframework.web.client.HttpClientErrorException$BadRequest: 400 Bad Request: "{"error":"invalid_grant","error_description":"Code not valid"}"
	at org.springframework.web.client.HttpClientErrorException.create(HttpClientErrorException.java:103)
	at org.springframework.web.client.DefaultResponseErrorHandler.handleError(DefaultResponseErrorHandler.java:186)`,
    expect: { cause: "session-invalid", ruleId: "code-reused-or-unknown" },
  },
  {
    name: "a wrong client secret in a RestTemplate exception",
    forms: ["status-mention"],
    text: `org.springframework.web.client.HttpClientErrorException$Unauthorized: 401 Unauthorized: "{"error":"unauthorized_client","error_description":"Invalid client or Invalid client credentials"}"`,
    expect: { cause: "client-auth" },
  },
  {
    name: "execute-actions-email for a disabled user, raw response",
    forms: ["http-response"],
    text: `PUT /admin/realms/acme/users/5f0c6a7e-2b1d-4c44-9d1e-0d6f3c1a9b21/execute-actions-email HTTP/1.1
Host: auth.example.com

HTTP/1.1 400 Bad Request
Content-Type: application/json

{"errorMessage":"User is disabled"}`,
    expect: { cause: "user-state", ruleId: "http-send-email-user-disabled" },
  },
  {
    name: "Python requests naming an admin URL",
    forms: ["status-mention"],
    text: "requests.exceptions.HTTPError: 403 Client Error: Forbidden for url: https://auth.example.com/admin/realms/acme/events?max=100",
    expect: { cause: "missing-role" },
  },
  {
    name: "axios with the URL in the printed config",
    forms: ["status-mention"],
    text: `AxiosError: Request failed with status code 403
    at settle (/app/node_modules/axios/lib/core/settle.js:19:12)
  config: {
    url: 'https://auth.example.com/realms/acme/protocol/openid-connect/userinfo',`,
    expect: { cause: "missing-scope" },
  },
  {
    name: "the Keycloak admin client's exception, without a URL",
    forms: ["status-mention"],
    text: "jakarta.ws.rs.ForbiddenException: HTTP 403 Forbidden",
    expect: { cause: null, deciderIncludes: "Which URL answered" },
  },
  {
    name: "an access-log line",
    forms: ["access-log"],
    text: '10.0.0.1 - - [03/Jun/2025:09:14:07 +0000] "GET /admin/realms/acme/users?first=0&max=20 HTTP/1.1" 403 0',
    expect: { cause: "missing-role" },
  },
  {
    name: "a userinfo WWW-Authenticate header alone",
    forms: ["www-authenticate"],
    text: 'WWW-Authenticate: Bearer realm="acme", error="invalid_token", error_description="Token verification failed"',
    expect: { cause: "token-expired", deciderIncludes: "Decode the access token" },
  },
  {
    name: "a mixed block: a wrapped event line, a curl transcript and the token",
    forms: ["wrapped-line", "curl"],
    text: `2025-06-03 09:14:07,321 WARN  [org.keycloak.events] (executor-thread-12) type="USER_INFO_REQUEST_ERROR", realmId="${REALM_ID}", realmName="acme", clientId="null",
 userId="null", ipAddress="203.0.113.24", error="access_denied", auth_method="validate_access_token"

> GET /realms/acme/protocol/openid-connect/userinfo HTTP/1.1
> Host: auth.example.com
>
< HTTP/1.1 403 Forbidden
< WWW-Authenticate: Bearer realm="acme", error="insufficient_scope", error_description="Missing openid scope"

the token: ${missingOpenid}`,
    expect: { cause: "missing-scope" },
  },
  {
    name: "a token alone",
    forms: [],
    text: missingOpenid,
    expect: { cause: null },
  },
];
