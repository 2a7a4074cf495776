import { describe, expect, it } from "vitest";
import { detectFormat } from "@/lib/logs/detect-format";

const EVENT_LINE =
  '2025-06-03 09:14:07,321 WARN  [org.keycloak.events] (executor-thread-1) type="LOGIN_ERROR", realmId="r", clientId="c", userId="null", ipAddress="1.2.3.4", error="user_not_found"';
const KEYCLOAK_ACCESS =
  '2025-06-03 09:14:07,512 INFO  [org.keycloak.http.access-log] (executor-thread-4) 10.0.0.9 - - [03/Jun/2025:09:14:07 +0000] "GET /realms/acme HTTP/1.1" 200 512';
const NGINX = '203.0.113.24 - - [03/Jun/2025:09:14:07 +0000] "GET / HTTP/1.1" 200 612 "-" "curl/8.5.0"';
const NOISE = "2025-06-03 09:14:01,000 INFO  [io.quarkus] (main) Keycloak 26.4.2 on JVM started in 5.215s";
const REST = JSON.stringify({ time: 1, type: "LOGIN", realmId: "r" });

describe("detectFormat", () => {
  it("picks the Keycloak log for kubectl output with events among other lines", () => {
    expect(detectFormat([NOISE, NOISE, EVENT_LINE, KEYCLOAK_ACCESS, NOISE]).format).toBe("keycloak-log");
  });

  it("picks the Keycloak log for server output whose sample holds only its own access log", () => {
    expect(detectFormat([NOISE, KEYCLOAK_ACCESS, KEYCLOAK_ACCESS]).format).toBe("keycloak-log");
  });

  it("picks event JSON lines", () => {
    expect(detectFormat([REST, REST])).toMatchObject({ format: "event-json", layout: "lines" });
  });

  it("picks a pretty-printed event JSON document, even when the sample ends mid-object", () => {
    const pretty = JSON.stringify([{ time: 1, type: "LOGIN_ERROR", realmId: "r" }], null, 2)
      .split("\n")
      .slice(0, 4);
    expect(detectFormat(pretty)).toMatchObject({ format: "event-json", layout: "document" });
  });

  it("picks an nginx access log and names its variant", () => {
    expect(detectFormat([NGINX, NGINX, "", NGINX])).toMatchObject({
      format: "access-log",
      variant: "combined",
    });
  });

  it("says unknown when nothing is recognisable", () => {
    expect(detectFormat(["hello", "world"])).toMatchObject({ format: "unknown", counts: { other: 2 } });
  });
});
