import { describe, expect, it } from "vitest";
import { analyzeToken } from "@/lib/diagnose/token-analyzer";
import { formatTime } from "@/lib/time/format";
import { accessToken, jwt, NOW } from "@/testkit/test-jwt";

describe("the token analyzer's times", () => {
  it("are written like every page's, in the page's zone, not as ISO UTC", () => {
    const token = jwt(accessToken());
    const late = NOW + 20 * 60_000;
    const result = analyzeToken({ token, now: late, timeZone: "Asia/Kolkata" });
    const expiry = result.findings.find((f) => f.id === "expiry");
    expect(expiry?.evidence).toContain(formatTime(late, "Asia/Kolkata"));
    expect(expiry?.evidence).toMatch(/GMT\+5:30/);
    expect(JSON.stringify(result.findings)).not.toMatch(/\d{2}:\d{2}:\d{2}\.\d{3}Z/);
  });
});
