import { describe, expect, it } from "vitest";
import { isDenialCandidate, parseAccessLogLine } from "@/lib/logs/parse-access-log-line";

const AT = Date.UTC(2025, 5, 3, 9, 14, 7);

/** A JWT with sub and azp only; the signature segment is junk on purpose (it must never be read). */
const TOKEN = `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(
  JSON.stringify({ sub: "5f0c6a7e", azp: "shop-frontend", exp: 1749000000 }),
).toString("base64url")}.c2lnbmF0dXJl`;

describe("parseAccessLogLine, one test per format", () => {
  it("Keycloak 26 http-access-log, default `common` pattern behind the Quarkus prefix", () => {
    const line =
      '2025-06-03 09:14:07,512 INFO  [org.keycloak.http.access-log] (executor-thread-4) 10.0.0.9 - - [03/Jun/2025:09:14:07 +0000] "GET /admin/realms/acme/users/5f0c HTTP/1.1" 403 52';
    expect(parseAccessLogLine(line)).toEqual({
      format: "keycloak",
      time: AT,
      ipAddress: "10.0.0.9",
      method: "GET",
      path: "/admin/realms/acme/users/5f0c",
      status: 403,
      bytes: 52,
    });
  });

  it("Keycloak http-access-log with the `combined` pattern, under the Quarkus category", () => {
    const line =
      '2025-06-03 11:14:07,512 INFO  [io.quarkus.http.access-log] (executor-thread-4) 172.18.0.1 - - [03/Jun/2025:11:14:07 +0200] "POST /realms/acme/protocol/openid-connect/token HTTP/1.1" 401 83 "-" "okhttp/4.12.0"';
    expect(parseAccessLogLine(line)).toMatchObject({
      format: "keycloak",
      time: AT,
      method: "POST",
      path: "/realms/acme/protocol/openid-connect/token",
      status: 401,
      userAgent: "okhttp/4.12.0",
    });
  });

  it("Keycloak http-access-log inside a JSON console record", () => {
    const line = JSON.stringify({
      timestamp: "2025-06-03T09:14:07.512Z",
      loggerName: "org.keycloak.http.access-log",
      level: "INFO",
      message:
        '10.0.0.9 - - [03/Jun/2025:09:14:07 +0000] "GET /realms/acme/protocol/openid-connect/userinfo HTTP/1.1" 403 0',
    });
    expect(parseAccessLogLine(line)).toMatchObject({
      format: "keycloak",
      status: 403,
      path: "/realms/acme/protocol/openid-connect/userinfo",
    });
  });

  it("Apache/nginx Common Log Format", () => {
    const line = '198.51.100.7 - frank [03/Jun/2025:09:14:07 +0000] "DELETE /api/orders/42 HTTP/2.0" 403 -';
    expect(parseAccessLogLine(line)).toEqual({
      format: "common",
      time: AT,
      ipAddress: "198.51.100.7",
      method: "DELETE",
      path: "/api/orders/42",
      status: 403,
    });
  });

  it("nginx combined, with credentials in the query redacted", () => {
    const line =
      '203.0.113.24 - - [03/Jun/2025:09:14:07 +0000] "GET /realms/acme/protocol/openid-connect/auth?client_id=shop&code=abc123&state=xyz&redirect_uri=https%3A%2F%2Fshop%2Fcb HTTP/1.1" 400 1843 "https://shop.example.com/" "Mozilla/5.0 (X11; Linux x86_64) Firefox/126.0"';
    expect(parseAccessLogLine(line)).toEqual({
      format: "combined",
      time: AT,
      ipAddress: "203.0.113.24",
      method: "GET",
      path: "/realms/acme/protocol/openid-connect/auth",
      query: "client_id=shop&code=REDACTED&state=REDACTED&redirect_uri=https%3A%2F%2Fshop%2Fcb",
      status: 400,
      bytes: 1843,
      referer: "https://shop.example.com/",
      userAgent: "Mozilla/5.0 (X11; Linux x86_64) Firefox/126.0",
    });
  });

  it("nginx JSON (log_format escape=json), reading the bearer token's sub and azp without keeping it", () => {
    const line = JSON.stringify({
      time_iso8601: "2025-06-03T11:14:07+02:00",
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
    });
    const record = parseAccessLogLine(line);
    expect(record).toEqual({
      format: "nginx-json",
      time: AT,
      ipAddress: "203.0.113.24",
      method: "GET",
      path: "/api/orders",
      query: "page=2",
      status: 403,
      host: "shop.example.com",
      userAgent: "curl/8.5.0",
      origin: "https://shop.example.com",
      bytes: 61,
      bearerSubject: "5f0c6a7e",
      clientId: "shop-frontend",
    });
    expect(JSON.stringify(record)).not.toContain("c2lnbmF0dXJl");
  });

  it("Traefik JSON access log", () => {
    const line = JSON.stringify({
      ClientAddr: "203.0.113.24:51234",
      ClientHost: "203.0.113.24",
      DownstreamContentSize: 19,
      DownstreamStatus: 403,
      OriginStatus: 403,
      RequestHost: "auth.example.com",
      RequestMethod: "POST",
      RequestPath: "/realms/acme/protocol/openid-connect/token",
      RequestProtocol: "HTTP/2.0",
      StartUTC: "2025-06-03T09:14:07.000123456Z",
      "request_User-Agent": "Mozilla/5.0",
      request_Origin: "https://evil.example.net",
      time: "2025-06-03T09:14:07Z",
    });
    expect(parseAccessLogLine(line)).toEqual({
      format: "traefik-json",
      time: AT,
      ipAddress: "203.0.113.24",
      method: "POST",
      path: "/realms/acme/protocol/openid-connect/token",
      status: 403,
      host: "auth.example.com",
      userAgent: "Mozilla/5.0",
      origin: "https://evil.example.net",
      bytes: 19,
    });
  });

  it.each([
    ["a Keycloak event line", 'type="LOGIN_ERROR", realmId="r", error="x"'],
    [
      "a TLS handshake sent to the HTTP port",
      '10.0.0.1 - - [03/Jun/2025:09:14:07 +0000] "\\x16\\x03\\x01" 400 157',
    ],
    ["a JSON object that is no access log", JSON.stringify({ hello: "world" })],
    ["plain text", "Listening on: http://0.0.0.0:8080"],
  ])("returns null for %s", (_name, line) => {
    expect(parseAccessLogLine(line)).toBeNull();
  });
});

describe("isDenialCandidate", () => {
  it.each([
    [401, "/admin/realms/acme/users", true],
    [403, "/api/orders", true],
    [400, "/realms/acme/protocol/openid-connect/token", true],
    [400, "/realms/acme/protocol/openid-connect/auth", false],
    [200, "/realms/acme/protocol/openid-connect/token", false],
    [404, "/admin/realms/acme/users/x", false],
  ])("%i on %s → %s", (status, path, expected) => {
    expect(isDenialCandidate({ status, path })).toBe(expected);
  });
});
