import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { patchPostgresConnection } from "@/scripts/patches/apply-patches";

describe("the postgres.js closed-socket patch", () => {
  it("is applied to the installed driver (npm install runs it)", () => {
    for (const dir of ["src", "cjs/src"]) {
      const source = readFileSync(`node_modules/postgres/${dir}/connection.js`, "utf8");
      expect(source).toContain("if (!socket) return closedSocket(fn)");
    }
  });

  it("guards both write paths, is idempotent, and refuses code it does not know", () => {
    const original =
      "  function error(err) {}\n  function write(x, fn) {\n    a()\n  }\n  function nextWrite(fn) {\n    b()\n  }\n";
    const once = patchPostgresConnection(original);
    expect(once.match(/return closedSocket\(fn\)/g)).toHaveLength(2);
    expect(patchPostgresConnection(once)).toBe(once);
    expect(() => patchPostgresConnection("function somethingElse() {}")).toThrow(/not the version/);
  });
});
