import type { CauseId } from "@/lib/classify/causes";
import type { EventOrigin } from "@/lib/keycloak/types";
import { readKeycloakSamples } from "./read-samples";

/** The real lines people posted (tests/fixtures/keycloak-samples/README.md), by source address. */
const SAMPLES = new Map(readKeycloakSamples().map((s) => [s.source_url, s.raw]));

function sample(url: string): string {
  const raw = SAMPLES.get(url);
  if (raw === undefined) throw new Error(`no sample from ${url}`);
  // The REST JSON sample is pretty-printed as posted; a log carries one event a line.
  return raw.trimStart().startsWith("{") ? JSON.stringify(JSON.parse(raw)) : raw;
}

/** A bearer token with sub and azp; its signature part must never reach the database. */
export const SIGNATURE_PART = "c2lnbmF0dXJlLW5ldmVyLXN0b3JlZA";
const TOKEN = `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(
  JSON.stringify({ sub: "5f0c6a7e-2b1d-4c44-9d1e-0d6f3c1a9b21", azp: "shop-frontend", exp: 1749000000 }),
).toString("base64url")}.${SIGNATURE_PART}`;

export interface LogLineCase {
  format: string;
  line: string;
  /** What the import must store for it: one user event of this origin, type, realm and cause. */
  expect: { origin: EventOrigin; type: string; realm: string; cause: CauseId; httpStatus?: number };
}

/** One line per format and variant, each with the event and cause a user should find after the import. */
export const LOG_LINE_CASES: readonly LogLineCase[] = [
  {
    format: "jboss-logging, quoted (26.4)",
    line: sample("https://github.com/keycloak/keycloak/issues/43095"),
    expect: { origin: "log", type: "REFRESH_TOKEN_ERROR", realm: "master", cause: "session-invalid" },
  },
  {
    format: "jboss-logging, unquoted behind a docker-compose prefix",
    line: sample("https://github.com/zak905/keycloak-api-key-demo/issues/10"),
    expect: { origin: "log", type: "CODE_TO_TOKEN_ERROR", realm: "example", cause: "client-auth" },
  },
  {
    format: "jboss-logging, Spring Boot logback prefix",
    line: sample("https://github.com/kavahub/springseeds/blob/HEAD/springseed-keycloak-embed-server/FAQ.md"),
    expect: { origin: "log", type: "LOGIN_ERROR", realm: "springseeds", cause: "redirect-uri" },
  },
  {
    format: "event JSON (Admin REST representation)",
    line: sample("https://github.com/keycloak/keycloak/issues/16257"),
    expect: { origin: "api", type: "LOGIN_ERROR", realm: "default", cause: "redirect-uri" },
  },
  {
    format: "Keycloak 26 http-access-log: admin REST 403",
    line: '2025-06-03 09:14:07,512 INFO  [org.keycloak.http.access-log] (executor-thread-4) 10.0.0.9 - - [03/Jun/2025:09:14:07 +0000] "GET /admin/realms/acme/users/5f0c6a7e-2b1d-4c44-9d1e-0d6f3c1a9b21 HTTP/1.1" 403 52',
    expect: {
      origin: "access-log",
      type: "HTTP_DENIAL",
      realm: "acme",
      cause: "missing-role",
      httpStatus: 403,
    },
  },
  {
    format: "Keycloak 26 http-access-log: refused CORS preflight",
    line: '2025-06-03 09:14:08,001 INFO  [org.keycloak.http.access-log] (executor-thread-2) 10.0.0.9 - - [03/Jun/2025:09:14:08 +0000] "OPTIONS /realms/acme/protocol/openid-connect/token HTTP/1.1" 403 0',
    expect: { origin: "access-log", type: "HTTP_DENIAL", realm: "acme", cause: "cors", httpStatus: 403 },
  },
  {
    format: "nginx combined: userinfo 403",
    line: '203.0.113.24 - - [03/Jun/2025:09:15:07 +0000] "GET /realms/acme/protocol/openid-connect/userinfo HTTP/1.1" 403 61 "https://shop.example.com/" "Mozilla/5.0 (X11; Linux x86_64) Firefox/126.0"',
    expect: {
      origin: "access-log",
      type: "HTTP_DENIAL",
      realm: "acme",
      cause: "missing-scope",
      httpStatus: 403,
    },
  },
  {
    format: "nginx JSON: the user's API denies a bearer token",
    line: JSON.stringify({
      time_iso8601: "2025-06-03T11:16:07+02:00",
      remote_addr: "203.0.113.24",
      request_method: "GET",
      request_uri: "/api/orders?page=2",
      status: "403",
      body_bytes_sent: "61",
      http_host: "shop.example.com",
      http_referer: "",
      http_user_agent: "curl/8.5.0",
      http_origin: "https://shop.example.com",
      http_authorization: `Bearer ${TOKEN}`,
    }),
    expect: {
      origin: "access-log",
      type: "HTTP_DENIAL",
      realm: "acme",
      cause: "missing-role",
      httpStatus: 403,
    },
  },
  {
    format: "Traefik JSON: token endpoint 401",
    line: JSON.stringify({
      ClientAddr: "203.0.113.24:51234",
      ClientHost: "203.0.113.24",
      DownstreamContentSize: 19,
      DownstreamStatus: 401,
      OriginStatus: 401,
      RequestHost: "auth.example.com",
      RequestMethod: "POST",
      RequestPath: "/realms/acme/protocol/openid-connect/token",
      RequestProtocol: "HTTP/2.0",
      StartUTC: "2025-06-03T09:17:07.000123456Z",
      "request_User-Agent": "okhttp/4.12.0",
      time: "2025-06-03T09:17:07Z",
    }),
    expect: {
      origin: "access-log",
      type: "HTTP_DENIAL",
      realm: "acme",
      cause: "client-auth",
      httpStatus: 401,
    },
  },
];

/** Lines that are not events and must be counted as such, not stored and not skipped. */
export const NOISE_LINES = [
  "2025-06-03 09:14:00,001 INFO  [io.quarkus] (main) Keycloak 26.4.0 on JVM (powered by Quarkus 3.27.0) started in 7.215s. Listening on: http://0.0.0.0:8080",
  "\tat org.keycloak.authentication.AuthenticationProcessor.authenticateOnly(AuthenticationProcessor.java:1038)",
  '10.0.0.9 - - [03/Jun/2025:09:14:09 +0000] "GET /realms/acme/account HTTP/1.1" 200 5120 "-" "Mozilla/5.0"',
];
