import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { EVIDENCE_CORPUS } from "@/testkit/evidence-corpus";

const LINE =
  '2025-06-03 09:14:07,321 WARN  [org.keycloak.events] (executor-thread-7) type="CODE_TO_TOKEN_ERROR", realmId="r1", realmName="acme", clientId="shop", userId="null", ipAddress="10.0.0.2", error="invalid_code", grant_type="authorization_code"';

function classify(input: string) {
  const run = spawnSync("node_modules/.bin/tsx", ["scripts/classify.ts", "--date", "2025-06-03"], {
    input,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  const records = run.stdout
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { status: run.status, records, stderr: run.stderr };
}

describe("npm run -s classify", () => {
  it("reads a paste as evidence: one record per understood piece, cause first, the answer on stderr, exit 0", () => {
    const mixed = EVIDENCE_CORPUS.find((c) => c.name.startsWith("a mixed block"));
    const { status, records, stderr } = classify(mixed?.text ?? "");
    expect(status).toBe(0);
    expect(records.map((r) => Object.keys(r)[0])).toEqual(["cause", "cause", "cause"]);
    expect(records.map((r) => [r.kind, r.form ?? null, r.cause])).toEqual([
      ["user", "wrapped-line", "missing-scope"],
      ["http", "curl", "missing-scope"],
      ["token", null, null],
    ]);
    expect(stderr).toMatch(/^answer: missing-scope/m);
    const token = mixed?.text.match(/eyJ[\w-]+\.eyJ[\w-]+\.[\w-]*/)?.[0] ?? "";
    expect(JSON.stringify(records)).not.toContain(token);
  });

  it("exits 3 when nothing was understood, saying what was skipped", () => {
    const { status, records, stderr } = classify("nothing to see\nhere\n");
    expect(status).toBe(3);
    expect(records).toEqual([]);
    expect(stderr).toContain("skipped 2 lines");
  });

  it("streams a log larger than a paste line by line, with the same fields as before", {
    timeout: 30_000,
  }, () => {
    const lines = Math.ceil(1_100_000 / (LINE.length + 1));
    const { status, records } = classify(`${LINE}\n`.repeat(lines));
    expect(status).toBe(0);
    expect(records).toHaveLength(lines);
    expect(records[0]).toMatchObject({
      cause: "session-invalid",
      ruleId: "code-reused-or-unknown",
      kind: "user",
      origin: "log",
      lineNo: 1,
      level: "WARN",
      type: "CODE_TO_TOKEN_ERROR",
      error: "invalid_code",
      realmName: "acme",
    });
    expect(Object.keys(records[0] ?? {})[0]).toBe("cause");
  });
});
