import { describe, expect, it } from "vitest";
import { parseKeycloakEventLine } from "@/lib/logs/parse-keycloak-event-line";
import type { TimeAssumption } from "@/lib/logs/resolve-log-time";

const QUOTED =
  'type="LOGIN_ERROR", realmId="4c3d9a0e", realmName="acme", clientId="shop", userId="null", ipAddress="203.0.113.24", error="invalid_user_credentials", auth_method="openid-connect", username="alice"';
const UNQUOTED =
  "type=LOGIN_ERROR, realmId=4c3d9a0e, clientId=shop, userId=null, ipAddress=203.0.113.24, error=invalid_user_credentials, auth_method=openid-connect, username=alice";

interface PrefixCase {
  name: string;
  line: string;
  loggedAt: number | null;
  timeAssumption: TimeAssumption;
  level: string | null;
  logger: string | null;
}

const AT = Date.UTC(2024, 1, 29, 16, 33, 28, 967);

/** The wrappers Keycloak event lines arrive in; every one must yield the same event. */
const PREFIXES: PrefixCase[] = [
  {
    name: "Quarkus console",
    line: `2024-02-29 16:33:28,967 WARN  [org.keycloak.events] (executor-thread-7) ${QUOTED}`,
    loggedAt: AT,
    timeAssumption: "zone-assumed",
    level: "WARN",
    logger: "org.keycloak.events",
  },
  {
    name: "Quarkus with line numbers in the category",
    line: `2024-02-29 16:33:28,967 WARN  [org.keycloak.events:130] [executor-thread-333] ${QUOTED}`,
    loggedAt: AT,
    timeAssumption: "zone-assumed",
    level: "WARN",
    logger: "org.keycloak.events",
  },
  {
    name: "abbreviated logger [o.k.events]",
    line: `2024-02-29 16:33:28,967 WARN  [o.k.events] (executor-thread-7) ${QUOTED}`,
    loggedAt: AT,
    timeAssumption: "zone-assumed",
    level: "WARN",
    logger: "o.k.events",
  },
  {
    name: "WildFly time-only prefix",
    line: `16:33:28,967 WARN  [org.keycloak.events] (default task-3) ${UNQUOTED}`,
    loggedAt: AT,
    timeAssumption: "date-assumed",
    level: "WARN",
    logger: "org.keycloak.events",
  },
  {
    name: "docker-compose service prefix",
    line: `keycloak-1   | 2024-02-29 16:33:28,967 WARN  [org.keycloak.events] (executor-thread-7) ${QUOTED}`,
    loggedAt: AT,
    timeAssumption: "zone-assumed",
    level: "WARN",
    logger: "org.keycloak.events",
  },
  {
    name: "kubectl logs --timestamps (RFC 3339 wins over the zoneless Quarkus stamp)",
    line: `2024-02-29T16:33:28.967123456Z 2024-02-29 17:33:28,967 WARN  [org.keycloak.events] (executor-thread-7) ${QUOTED}`,
    loggedAt: AT,
    timeAssumption: "exact",
    level: "WARN",
    logger: "org.keycloak.events",
  },
  {
    name: "kubectl logs --prefix",
    line: `[pod/keycloak-0/keycloak] 2024-02-29 16:33:28,967 WARN  [org.keycloak.events] (executor-thread-7) ${QUOTED}`,
    loggedAt: AT,
    timeAssumption: "zone-assumed",
    level: "WARN",
    logger: "org.keycloak.events",
  },
  {
    name: "journald short (no year)",
    line: `Feb 29 16:33:28 idp-1 kc.sh[2211]: 2024-02-29 16:33:28,967 WARN  [org.keycloak.events] (executor-thread-7) ${QUOTED}`,
    loggedAt: AT,
    timeAssumption: "zone-assumed",
    level: "WARN",
    logger: "org.keycloak.events",
  },
  {
    name: "journald short-iso",
    line: `2024-02-29T17:33:28+0100 idp-1 keycloak[2211]: WARN  [org.keycloak.events] (executor-thread-7) ${QUOTED}`,
    loggedAt: Date.UTC(2024, 1, 29, 16, 33, 28),
    timeAssumption: "exact",
    level: "WARN",
    logger: "org.keycloak.events",
  },
  {
    name: "journald short with a bare message (year from the default date)",
    line: `Feb 29 16:33:28 idp-1 keycloak[2211]: ${QUOTED}`,
    loggedAt: Date.UTC(2024, 1, 29, 16, 33, 28),
    timeAssumption: "date-assumed",
    level: null,
    logger: null,
  },
  {
    name: "Spring Boot / logback (embedded Keycloak)",
    line: `2024-02-29 16:33:28.967  WARN 1580 --- [nio-9000-exec-2] org.keycloak.events                      : ${UNQUOTED}`,
    loggedAt: AT,
    timeAssumption: "zone-assumed",
    level: "WARN",
    logger: "org.keycloak.events",
  },
  {
    name: "Spring Boot 3 with an ISO offset",
    line: `2024-02-29T17:33:28.967+01:00  WARN 1580 --- [kc] [nio-9000-exec-2] o.k.events                               : ${UNQUOTED}`,
    loggedAt: AT,
    timeAssumption: "exact",
    level: "WARN",
    logger: "o.k.events",
  },
  {
    name: "coloured console (ANSI escapes)",
    line: `\u001b[90m2024-02-29 16:33:28,967\u001b[0m \u001b[33mWARN \u001b[0m [\u001b[35morg.keycloak.events\u001b[0m] (executor-thread-7) ${QUOTED}`,
    loggedAt: AT,
    timeAssumption: "zone-assumed",
    level: "WARN",
    logger: "org.keycloak.events",
  },
  {
    name: "JSON console log (--log-console-output=json)",
    line: JSON.stringify({
      timestamp: "2024-02-29T17:33:28.967+01:00",
      sequence: 8812,
      loggerClassName: "org.jboss.logging.Logger",
      loggerName: "org.keycloak.events",
      level: "WARN",
      message: QUOTED,
      threadName: "executor-thread-7",
      hostName: "idp-1",
    }),
    loggedAt: AT,
    timeAssumption: "exact",
    level: "WARN",
    logger: "org.keycloak.events",
  },
  {
    name: "JSON console log, ECS layout",
    line: JSON.stringify({
      "@timestamp": "2024-02-29T16:33:28.967Z",
      "log.level": "WARN",
      "log.logger": "org.keycloak.events",
      message: QUOTED,
      "ecs.version": "1.12.2",
    }),
    loggedAt: AT,
    timeAssumption: "exact",
    level: "WARN",
    logger: "org.keycloak.events",
  },
  {
    name: "JSON console log behind docker-compose",
    line: `keycloak-1  | ${JSON.stringify({ timestamp: "2024-02-29T16:33:28.967Z", loggerName: "org.keycloak.events", level: "WARN", message: QUOTED })}`,
    loggedAt: AT,
    timeAssumption: "exact",
    level: "WARN",
    logger: "org.keycloak.events",
  },
  {
    name: "bare message (no prefix)",
    line: QUOTED,
    loggedAt: null,
    timeAssumption: "none",
    level: null,
    logger: null,
  },
];

describe("parseKeycloakEventLine: prefixes", () => {
  it.each(PREFIXES)("$name", (c) => {
    const parsed = parseKeycloakEventLine(c.line, { defaultDate: "2024-02-29", timeZone: "UTC" });
    expect(parsed?.kind).toBe("user");
    if (parsed?.kind !== "user") return;
    expect(parsed.event).toMatchObject({
      type: "LOGIN_ERROR",
      realmId: "4c3d9a0e",
      clientId: "shop",
      userId: null,
      ipAddress: "203.0.113.24",
      error: "invalid_user_credentials",
      details: { auth_method: "openid-connect", username: "alice" },
    });
    expect(parsed.loggedAt).toBe(c.loggedAt);
    expect(parsed.event.time).toBe(c.loggedAt ?? 0);
    expect(parsed.timeAssumption).toBe(c.timeAssumption);
    expect(parsed.level).toBe(c.level);
    expect(parsed.logger).toBe(c.logger);
  });
});

describe("parseKeycloakEventLine: values", () => {
  it("reads realmName, sessionId and the 26.x auth-session fields, keeping unknown fields as details", () => {
    const line =
      'type="CODE_TO_TOKEN", realmId="r1", realmName="acme", clientId="shop", userId="u1", sessionId="s1", ipAddress="10.0.0.1", token_id="t1", scope="openid email", authSessionParentId="p1", authSessionTabId="tab1", x-custom="y"';
    const parsed = parseKeycloakEventLine(line);
    expect(parsed?.kind === "user" && parsed.event).toEqual({
      time: 0,
      type: "CODE_TO_TOKEN",
      realmId: "r1",
      realmName: "acme",
      clientId: "shop",
      userId: "u1",
      sessionId: "s1",
      ipAddress: "10.0.0.1",
      error: null,
      details: {
        token_id: "t1",
        scope: "openid email",
        authSessionParentId: "p1",
        authSessionTabId: "tab1",
        "x-custom": "y",
      },
    });
  });

  it('unescapes \\" in quoted values and keeps commas and equals signs inside them', () => {
    const line =
      'type="LOGIN_ERROR", realmId="r", clientId="c", userId="null", ipAddress="1.2.3.4", error="invalid_request", reason="Invalid scopes: a, b=c \\"quoted\\"", redirect_uri="https://app/cb?x=1, y=2"';
    const parsed = parseKeycloakEventLine(line);
    expect(parsed?.event.details).toEqual({
      reason: 'Invalid scopes: a, b=c "quoted"',
      redirect_uri: "https://app/cb?x=1, y=2",
    });
  });

  it("reads pre-23.0.5 single-quoted detail values, including quotes inside them", () => {
    const line =
      "type=REFRESH_TOKEN_ERROR, realmId=acme, clientId=shop, userId=null, ipAddress=10.1.1.1, error=invalid_token, reason='Invalid token issuer. Expected 'https://a/realms/acme', but was 'http://k:8080/realms/acme'', grant_type=refresh_token";
    const parsed = parseKeycloakEventLine(line);
    expect(parsed?.event.details).toEqual({
      reason: "Invalid token issuer. Expected 'https://a/realms/acme', but was 'http://k:8080/realms/acme'",
      grant_type: "refresh_token",
    });
    expect(parsed?.quoted).toBe(false);
  });

  it("reads a server configured with quotes=' (every value in single quotes, escaped)", () => {
    const line =
      "type='LOGIN_ERROR', realmId='r', clientId='c', userId='null', ipAddress='1.2.3.4', error='user_not_found', username='o\\'brien'";
    const parsed = parseKeycloakEventLine(line);
    expect(parsed?.quoted).toBe(true);
    expect(parsed?.event.details).toEqual({ username: "o'brien" });
  });

  it("keeps HTML and script in values as inert text", () => {
    const line =
      'type="LOGIN_ERROR", realmId="r", clientId="c", userId="null", ipAddress="1.2.3.4", error="user_not_found", username="<script>alert(1)</script>\\"><img src=x onerror=alert(2)>"';
    const parsed = parseKeycloakEventLine(line);
    expect(parsed?.event.details?.username).toBe('<script>alert(1)</script>"><img src=x onerror=alert(2)>');
  });

  it("drops TRACE cookie dumps (they carry session tokens) but keeps requestUri", () => {
    const line =
      'type="LOGIN", realmId="r", clientId="c", userId="u", ipAddress="1.2.3.4", requestUri="https://kc/realms/r/login-actions/authenticate", cookies=[KEYCLOAK_IDENTITY=eyJhbGciOi.eyJzdWIiOi.sig, AUTH_SESSION_ID=abc]';
    const parsed = parseKeycloakEventLine(line);
    expect(parsed?.event.details).toEqual({ requestUri: "https://kc/realms/r/login-actions/authenticate" });
    expect(JSON.stringify(parsed)).not.toContain("KEYCLOAK_IDENTITY");
  });

  it("reads admin event lines, quoted with details and an escaped JSON representation", () => {
    const line =
      '2025-03-01 10:00:00,000 DEBUG [org.keycloak.events] (executor-thread-3) operationType="UPDATE", realmId="m1", realmName="master", clientId="9b1f-uuid", userId="admin-uuid", ipAddress="10.0.0.7", resourceType="USER", resourcePath="users/5f0c", updated_fields="email", representation="{\\"email\\":\\"a@example.com\\",\\"enabled\\":true}"';
    const parsed = parseKeycloakEventLine(line);
    expect(parsed?.kind).toBe("admin");
    if (parsed?.kind !== "admin") return;
    expect(parsed.authRealmName).toBe("master");
    expect(parsed.event).toEqual({
      time: Date.UTC(2025, 2, 1, 10),
      realmId: null,
      authDetails: { realmId: "m1", clientId: "9b1f-uuid", userId: "admin-uuid", ipAddress: "10.0.0.7" },
      operationType: "UPDATE",
      resourceType: "USER",
      resourcePath: "users/5f0c",
      representation: '{"email":"a@example.com","enabled":true}',
      error: null,
      details: { updated_fields: "email" },
    });
  });

  it("converts zoneless timestamps from the given IANA zone, across a DST change", () => {
    const winter = parseKeycloakEventLine(
      `2024-03-30 12:00:00,000 WARN  [org.keycloak.events] (t) ${QUOTED}`,
      {
        timeZone: "Europe/Berlin",
      },
    );
    const summer = parseKeycloakEventLine(
      `2024-04-01 12:00:00,000 WARN  [org.keycloak.events] (t) ${QUOTED}`,
      {
        timeZone: "Europe/Berlin",
      },
    );
    expect(winter?.loggedAt).toBe(Date.UTC(2024, 2, 30, 11));
    expect(summer?.loggedAt).toBe(Date.UTC(2024, 3, 1, 10));
  });

  it("leaves the time unknown for a time-only line without a default date", () => {
    const parsed = parseKeycloakEventLine(
      `16:33:28,967 WARN  [org.keycloak.events] (default task-3) ${UNQUOTED}`,
    );
    expect(parsed?.timeAssumption).toBe("none");
    expect(parsed?.loggedAt).toBeNull();
  });

  it("recovers the fields of a fragment cut short mid-value", () => {
    const parsed = parseKeycloakEventLine(
      'WARN [org.keycloak.events] type="LOGIN_ERROR", realmId="r", error="cookie_not_fou',
    );
    expect(parsed?.fragment).toBe(true);
    expect(parsed?.event).toMatchObject({ type: "LOGIN_ERROR", realmId: "r", error: "cookie_not_fou" });
  });
});

describe("parseKeycloakEventLine: lines that are not events", () => {
  it.each([
    [
      "a Keycloak startup line",
      "2024-02-29 16:33:28,967 INFO  [io.quarkus] (main) Keycloak 26.4.2 on JVM started in 5.215s",
    ],
    [
      "another logger mentioning a content type",
      "2024-02-29 16:33:28,967 WARN  [org.keycloak.services] (t) content-type=application/json, realmId=x",
    ],
    ["resourceType= without an event type", "resourceType=USER, resourcePath=users/1"],
    ["a lower-case type value", 'type="login", realmId="r"'],
    ["an event type without realmId from an unknown logger", "[com.acme.audit] type=LOGIN_ERROR, error=foo"],
    [
      "a JSON log of another message",
      JSON.stringify({ loggerName: "io.quarkus", level: "INFO", message: "Profile prod activated." }),
    ],
    ["an empty line", ""],
  ])("%s", (_name, line) => {
    expect(parseKeycloakEventLine(line)).toBeNull();
  });
});
