import { describe, expect, it } from "vitest";
import { hrefWith } from "@/app/_components/format/href-with";
import { maskPersonalDetails } from "@/lib/auth/personal-data";
import { withDefaultRange } from "@/lib/screens/with-default-range";
import { queryRecord } from "@/lib/server/query-params";
import { formatMinute, formatTime } from "@/lib/time/format";
import { formatLag } from "@/lib/time/format-lag";

describe("links that keep the filters", () => {
  it("change, repeat and remove keys and keep the rest", () => {
    const params = new URLSearchParams("realm=acme&type=LOGIN_ERROR&after=abc&tz=Europe/Berlin");
    const href = hrefWith("/events", params, { after: null, type: ["A", "B"], before: "xyz" });
    const url = new URL(href, "http://x");
    expect(url.pathname).toBe("/events");
    expect(url.searchParams.getAll("type")).toEqual(["A", "B"]);
    expect(url.searchParams.get("after")).toBeNull();
    expect(url.searchParams.get("before")).toBe("xyz");
    expect(url.searchParams.get("tz")).toBe("Europe/Berlin");
    expect(params.get("after")).toBe("abc");
  });

  it("give a page its natural range only when the URL names none", () => {
    expect(withDefaultRange(new URLSearchParams("tz=UTC"), "7d").get("range")).toBe("7d");
    expect(withDefaultRange(new URLSearchParams("from=2026-03-01"), "7d").get("range")).toBeNull();
  });
});

describe("query records", () => {
  it("keep repeated keys as arrays and drop empty form fields", () => {
    expect(queryRecord(new URLSearchParams("a=1&a=2&b=&c=  &d=x"))).toEqual({ a: ["1", "2"], d: "x" });
    expect(queryRecord({ a: ["1", ""], b: undefined, c: "y" })).toEqual({ a: "1", c: "y" });
  });
});

describe("formatting", () => {
  it("prints instants on the viewer's clock, to the millisecond or the minute", () => {
    const at = Date.parse("2026-07-01T12:34:56.789Z");
    expect(formatTime(at, "Europe/Berlin")).toBe("2026-07-01 14:34:56.789 GMT+2");
    expect(formatMinute(at, "Asia/Kolkata")).toBe("2026-07-01 18:04 GMT+5:30");
  });

  it.each([
    [12, "12 s"],
    [600, "10 min"],
    [7_200, "2 h"],
    [259_200, "3 d"],
    [-5, "0 s"],
  ])("says %d seconds as %s", (seconds, text) => {
    expect(formatLag(seconds)).toBe(text);
  });
});

describe("personal data", () => {
  it("passes every detail through, personal keys included, while masking is off", () => {
    const details = { username: "<b>alice</b>", email: "a@example.com", redirect_uri: "https://app/cb" };
    expect(maskPersonalDetails(details, "admin")).toEqual(details);
    expect(maskPersonalDetails(null, "admin")).toBeNull();
  });
});
