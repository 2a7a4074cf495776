import { describe, expect, it } from "vitest";
import { requestOrigin } from "@/lib/ingest/import/request-origin";

const CASES: { name: string; record: { origin?: string; referer?: string }; origin: string | null }[] = [
  {
    name: "a logged Origin header wins",
    record: { origin: "https://app.acme.example", referer: "https://other.example/x" },
    origin: "https://app.acme.example",
  },
  {
    name: "a browser's Referer gives its page's origin",
    record: { referer: "https://app.acme.example:8443/checkout?step=2" },
    origin: "https://app.acme.example:8443",
  },
  { name: "no Referer (a server-side client)", record: {}, origin: null },
  { name: "a Referer that is not a URL", record: { referer: "android-app://com.example" }, origin: null },
  { name: "a malformed Referer", record: { referer: "https://" }, origin: null },
];

describe("requestOrigin", () => {
  it.each(CASES)("$name", ({ record, origin }) => {
    expect(requestOrigin(record)).toBe(origin);
  });
});
