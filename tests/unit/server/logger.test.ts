import { describe, expect, it } from "vitest";
import { createLogger } from "@/lib/server/logger";

const JWT =
  "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjMiLCJyZWFsbV9hY2Nlc3MiOnsicm9sZXMiOlsiYWRtaW4iXX19.c2lnbmF0dXJlLXZhbHVl";

function capture() {
  const lines: string[] = [];
  const log = createLogger({ level: "debug", sink: (line) => lines.push(line), now: () => new Date(0) });
  return { log, lines };
}

describe("structured logger", () => {
  const leaks: Array<[string, Record<string, unknown>, string]> = [
    ["a client secret field", { clientSecret: "s3cr3t-value" }, "s3cr3t-value"],
    ["a password nested in a form", { form: { username: "alice", password: "hunter2-pw" } }, "hunter2-pw"],
    ["an Authorization header", { headers: { Authorization: "Bearer abc.def.ghi" } }, "abc.def.ghi"],
    [
      "a bearer token inside a message field",
      { error: "upstream said: Bearer zzTopSecret99" },
      "zzTopSecret99",
    ],
    ["a JWT inside free text", { note: `token was ${JWT}` }, JWT],
    [
      "an access_token query parameter",
      { url: "https://x/cb?code=abc123code&access_token=tok999" },
      "tok999",
    ],
    [
      "an authorization code in a callback URL",
      { url: "https://x/cb?state=s&code=abc123code" },
      "abc123code",
    ],
    ["a password in a database URL", { db: "postgres://rw:pgpass42@db:5432/rw" }, "pgpass42"],
    ["a cookie", { cookie: "rw_session=v1:abcdef" }, "v1:abcdef"],
  ];
  for (const [name, fields, secret] of leaks) {
    it(`never writes ${name}`, () => {
      const { log, lines } = capture();
      log.info("request", fields);
      expect(lines).toHaveLength(1);
      expect(lines[0]).not.toContain(secret);
      expect(lines[0]).toContain("[redacted");
    });
  }

  it("writes one JSON object per line with the fields that are not secret", () => {
    const { log, lines } = capture();
    log.warn("sync failed", { realm: "acme", status: 403, username: "alice" });
    expect(JSON.parse(lines[0] ?? "")).toEqual({
      time: "1970-01-01T00:00:00.000Z",
      level: "warn",
      msg: "sync failed",
      realm: "acme",
      status: 403,
      username: "alice",
    });
  });

  it("drops lines below the configured level", () => {
    const lines: string[] = [];
    const log = createLogger({ level: "warn", sink: (line) => lines.push(line) });
    log.info("chatty");
    log.error("broken");
    expect(lines.map((l) => JSON.parse(l).msg)).toEqual(["broken"]);
  });
});
