import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor } from "@/lib/queries/events/keyset-cursor";
import { AppError } from "@/lib/server/errors";

const KEY = {
  time: 1772323200123,
  id: "fp:5f2c…",
  sourceId: "6f1d2c3b-0000-4000-8000-00000000000a",
  realm: 'ünïcode realm/with "quotes"',
};

describe("keyset cursors", () => {
  it("round-trip the full key of the last row, whatever characters it holds", () => {
    const cursor = encodeCursor(KEY);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toEqual(KEY);
  });

  it.each([
    ["not base64 JSON", "%%%"],
    ["JSON of the wrong shape", Buffer.from(JSON.stringify({ time: 1 })).toString("base64url")],
    ["another version", Buffer.from(JSON.stringify([2, 1, "a", KEY.sourceId, "r"])).toString("base64url")],
    ["a source that is not a UUID", Buffer.from(JSON.stringify([1, 1, "a", "x", "r"])).toString("base64url")],
    ["a negative time", Buffer.from(JSON.stringify([1, -5, "a", KEY.sourceId, "r"])).toString("base64url")],
  ])("reject %s with a 400 that says to start again", (_what, cursor) => {
    let error: unknown;
    try {
      decodeCursor(cursor);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).status).toBe(400);
    expect((error as AppError).message).toMatch(/first page/);
  });
});
