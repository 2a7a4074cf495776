import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { accessToken, jwt, NOW } from "@/testkit/test-jwt";

/** Every way into the database fails loudly and is recorded: the token route must use none of them. */
const dbTouched = vi.hoisted(() => ({ calls: [] as string[] }));
vi.mock("postgres", () => ({
  default: () => {
    dbTouched.calls.push("postgres");
    throw new Error("database used");
  },
}));
vi.mock("pg", () => {
  dbTouched.calls.push("pg");
  return {};
});
vi.mock("@/lib/db/sql", () => ({
  getSql: () => {
    dbTouched.calls.push("getSql");
    throw new Error("database used");
  },
}));

const { POST } = await import("@/app/api/token/route");

const MARKER = "zz-marker-4f1c9e";
const post = (body: unknown) =>
  POST(
    new Request("http://localhost/api/token", {
      method: "POST",
      body: typeof body === "string" ? body : JSON.stringify(body),
    }),
  );

describe("POST /api/token", () => {
  let written: string[];

  beforeEach(() => {
    written = [];
    for (const method of ["log", "info", "warn", "error", "debug", "trace"] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        written.push(args.map(String).join(" "));
      });
    }
    for (const stream of [process.stdout, process.stderr]) {
      const original = stream.write.bind(stream);
      vi.spyOn(stream, "write").mockImplementation(((chunk: unknown, ...rest: unknown[]) => {
        written.push(String(chunk));
        return original(chunk as string, ...(rest as []));
      }) as typeof stream.write);
    }
  });

  afterEach(() => vi.restoreAllMocks());

  it("analyses a token without touching the database or writing it anywhere", async () => {
    const token = jwt(accessToken({ preferred_username: MARKER, aud: "account" }));
    const res = await post({ token, required: { audience: "orders-api" }, at: NOW });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const analysis = (await res.json()) as { verdict: { cause: string } };
    expect(analysis.verdict.cause).toBe("wrong-audience");
    expect(dbTouched.calls).toEqual([]);
    expect(written.join("\n")).not.toContain(MARKER);
    expect(written.join("\n")).not.toContain(token.slice(0, 40));
  });

  it.each([
    [
      "an oversized token",
      { token: `${jwt(accessToken({ preferred_username: MARKER }))}${"a".repeat(70_000)}` },
    ],
    ["an unknown field", { token: jwt(accessToken({ preferred_username: MARKER })), password: MARKER }],
    ["broken JSON", `{"token": "${MARKER}`],
  ])("refuses %s with a fixed message that does not echo the input", async (_label, body) => {
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(await res.text()).not.toContain(MARKER);
    expect(written.join("\n")).not.toContain(MARKER);
    expect(dbTouched.calls).toEqual([]);
  });
});
