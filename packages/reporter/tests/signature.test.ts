import { describe, expect, it } from "vitest";
import { REPLAY_WINDOW_MS, signReport, verifyReportSignature } from "@/packages/reporter/src/signature";

const key = "rwk_test-key";
const body = '{"method":"GET","path":"/orders","status":403}';
const now = 1_790_000_000_000;
const nonce = "n0nce-0123456789abcdef";

describe("report signatures", () => {
  it("accepts a fresh, correctly signed request", () => {
    const signature = signReport(key, now, nonce, body);
    expect(
      verifyReportSignature(key, { timestamp: String(now), nonce, signature }, body, now + 1000),
    ).toEqual({ ok: true, timestamp: now, nonce });
  });
  it("rejects unsigned requests", () => {
    expect(verifyReportSignature(key, {}, body, now)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/unsigned/),
    });
  });
  it("rejects a changed body, a wrong key and an old timestamp", () => {
    const signature = signReport(key, now, nonce, body);
    expect(verifyReportSignature(key, { timestamp: String(now), nonce, signature }, `${body} `, now).ok).toBe(
      false,
    );
    expect(verifyReportSignature("other", { timestamp: String(now), nonce, signature }, body, now).ok).toBe(
      false,
    );
    expect(
      verifyReportSignature(
        key,
        { timestamp: String(now), nonce, signature },
        body,
        now + REPLAY_WINDOW_MS + 1,
      ),
    ).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/window/),
    });
  });
  it("rejects malformed nonces and timestamps", () => {
    const signature = signReport(key, now, "short", body);
    expect(
      verifyReportSignature(key, { timestamp: String(now), nonce: "short", signature }, body, now).ok,
    ).toBe(false);
    expect(verifyReportSignature(key, { timestamp: "soon", nonce, signature }, body, now).ok).toBe(false);
  });
});
