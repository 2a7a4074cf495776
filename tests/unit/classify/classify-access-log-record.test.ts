import { describe, expect, it } from "vitest";
import { classifyAccessLogRecord } from "@/lib/classify/classify-access-log-record";
import { parseAccessLogLine } from "@/lib/logs/parse-access-log-line";

function verdict(line: string) {
  const record = parseAccessLogLine(line);
  if (record === null) throw new Error("line did not parse");
  return classifyAccessLogRecord(record, { keycloakVersion: "26.7.0" });
}

describe("classifyAccessLogRecord: from an access-log line to a cause", () => {
  it("names the realm-management role a Keycloak access-log 403 needs", () => {
    const result = verdict(
      '2025-06-03 09:14:07,512 INFO  [org.keycloak.http.access-log] (executor-thread-4) 10.0.0.9 - - [03/Jun/2025:09:14:07 +0000] "GET /admin/realms/acme/events?type=LOGIN_ERROR&max=100 HTTP/1.1" 403 52',
    );
    expect(result).toMatchObject({ cause: "missing-role", ruleId: "http-admin-403-events" });
    expect(result?.evidence).toContain("view-events");
    expect(result?.evidence).toContain("realm acme");
  });

  it("reads a Traefik 403 on the token endpoint with an Origin as CORS on 26.6.3+", () => {
    const line = JSON.stringify({
      RequestMethod: "POST",
      RequestPath: "/realms/acme/protocol/openid-connect/token",
      DownstreamStatus: 403,
      ClientHost: "203.0.113.24",
      request_Origin: "https://evil.example.net",
    });
    expect(verdict(line)).toMatchObject({ cause: "cors", ruleId: "http-token-403-origin" });
  });

  it("leaves successful requests unclassified", () => {
    expect(
      verdict('10.0.0.9 - - [03/Jun/2025:09:14:07 +0000] "GET /realms/acme HTTP/1.1" 200 512'),
    ).toBeNull();
  });
});
