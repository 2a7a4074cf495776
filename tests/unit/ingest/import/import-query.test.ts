import { describe, expect, it } from "vitest";
import { importQuery } from "@/lib/ingest/import/import-query";
import { queryRecord } from "@/lib/server/query-params";

const parse = (qs: string) => importQuery.safeParse(queryRecord(new URLSearchParams(qs)));

describe("the import query string", () => {
  it("reads source, realm, zone and date, with UTC when no zone is given", () => {
    expect(parse("source=prod&realm=acme&date=2025-06-03")).toMatchObject({
      success: true,
      data: { source: "prod", realm: "acme", tz: "UTC", date: "2025-06-03" },
    });
    expect(parse("tz=Europe/Berlin").data?.tz).toBe("Europe/Berlin");
  });

  it.each([
    ["an unknown time zone", "tz=Mars/Olympus", "tz"],
    ["a date that is not yyyy-MM-dd", "date=03/06/2025", "date"],
  ])("refuses %s, naming the field", (_name, qs, field) => {
    const result = parse(qs);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual([field]);
  });
});
