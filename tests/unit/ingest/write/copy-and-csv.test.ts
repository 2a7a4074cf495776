import { describe, expect, it } from "vitest";
import { aggregateRollups } from "@/lib/analytics/rollup-cells";
import { copyChunks, copyLine, copyValue, keepRows } from "@/lib/ingest/write/copy-text";
import type { UserEventRow } from "@/lib/keycloak/event-rows";
import { csvCell, csvLine } from "@/lib/screens/export/csv";

describe("COPY text format", () => {
  it("escapes backslash, tab, newline and carriage return, and writes NULL as \\N", () => {
    expect(copyValue("a\\b\tc\nd\re")).toBe("a\\\\b\\tc\\nd\\re");
    expect(copyValue(null)).toBe("\\N");
    expect(copyValue("\\N")).toBe("\\\\N");
    expect(copyLine(["x", 1, true, null])).toBe("x\t1\ttrue\t\\N\n");
  });
});

describe("CSV export", () => {
  it("neutralises spreadsheet formulas in untrusted cells", () => {
    expect(csvCell('=HYPERLINK("http://evil")')).toBe('"\'=HYPERLINK(""http://evil"")"');
    expect(csvCell("+1")).toBe("'+1");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("-2")).toBe("'-2");
    expect(csvCell("alice")).toBe("alice");
    expect(csvLine(["a,b", null, { k: 1 }])).toBe('"a,b",,"{""k"":1}"\r\n');
  });
});

describe("rollup aggregation", () => {
  const base: Omit<UserEventRow, "time" | "id" | "type" | "error" | "isFailure"> = {
    sourceId: "s",
    realm: "acme",
    realmId: null,
    clientId: "spa",
    userId: null,
    sessionId: null,
    ipAddress: null,
    details: null,
    username: null,
    cause: null,
    ruleId: null,
    confidence: null,
    evidence: null,
    catalogueVersion: null,
    origin: "api",
    httpMethod: null,
    httpPath: null,
    httpStatus: null,
  };
  it("counts events and failures per UTC minute, type, error, cause, client and origin", () => {
    const t0 = Date.UTC(2026, 0, 1, 10, 0, 5);
    const rows: UserEventRow[] = [
      { ...base, id: "1", time: t0, type: "LOGIN", error: null, isFailure: false },
      {
        ...base,
        id: "2",
        time: t0 + 10_000,
        type: "LOGIN_ERROR",
        error: "invalid_user_credentials",
        isFailure: true,
        cause: "user-credentials",
      },
      {
        ...base,
        id: "3",
        time: t0 + 20_000,
        type: "LOGIN_ERROR",
        error: "invalid_user_credentials",
        isFailure: true,
        cause: "user-credentials",
      },
      {
        ...base,
        id: "4",
        time: t0 + 60_000,
        type: "LOGIN_ERROR",
        error: "invalid_user_credentials",
        isFailure: true,
        cause: "user-credentials",
      },
    ];
    const minute = aggregateRollups(rows, 60_000);
    expect(minute).toHaveLength(3);
    expect(
      minute.find((c) => c.type === "LOGIN_ERROR" && c.bucket === Date.UTC(2026, 0, 1, 10, 0)),
    ).toMatchObject({ events: 2, failures: 2 });
    const hour = aggregateRollups(rows, 3_600_000);
    expect(hour.reduce((n, c) => n + c.events, 0)).toBe(4);
    expect(hour.find((c) => c.type === "LOGIN_ERROR")).toMatchObject({
      events: 3,
      failures: 3,
      cause: "user-credentials",
      error: "invalid_user_credentials",
    });
  });
});

describe("COPY text in chunks", () => {
  // Lines of varied length, enough for several 256 KB chunks, some with escaped characters.
  const lines = Array.from({ length: 3000 }, (_, i) =>
    copyLine([`id-${i}`, "x".repeat((i * 37) % 400), i % 5 === 0 ? "tab\there" : null]),
  );

  it("keeps every line, in order, whole within one chunk", () => {
    const text = copyChunks(lines);
    expect(text.chunks.length).toBeGreaterThan(1);
    expect(text.chunks.join("")).toBe(lines.join(""));
    for (const chunk of text.chunks) expect(chunk.endsWith("\n")).toBe(true);
  });

  it("leaves out the rows found already stored, across chunk boundaries", () => {
    const text = copyChunks(lines);
    const keep = (i: number) => i % 3 !== 0 && i !== 1;
    expect(keepRows(text, keep).join("")).toBe(lines.filter((_, i) => keep(i)).join(""));
    expect(keepRows(text, () => false)).toEqual([]);
  });
});
