import { createCipheriv, createHash, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";

const KEY = "secret-box-tests-k3Y8vQ2mR7xN4bW9cT1z";
process.env.REALMWATCH_SECRET_KEY = KEY;
const { openSecret, sealSecret } = await import("@/lib/server/secret-box");

/** A value sealed the way stored secrets were before v2: SHA-256 of the key material, no purpose. */
function sealV1(plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", createHash("sha256").update(KEY).digest(), iv);
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return `v1:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64")}`;
}

describe("secret box", () => {
  it("round-trips a value sealed for a purpose, and refuses it for any other purpose", () => {
    const sealed = sealSecret("s3cret", "source-secret");
    expect(sealed.startsWith("v2:")).toBe(true);
    expect(openSecret(sealed, "source-secret")).toBe("s3cret");
    for (const other of ["session", "sign-in", "report-key", "alert-url"] as const) {
      expect(() => openSecret(sealed, other)).toThrow();
    }
  });

  it("a session cookie cannot be replayed as a sign-in state", () => {
    const cookie = sealSecret(JSON.stringify({ v: 1, role: "admin" }), "session");
    expect(() => openSecret(cookie, "sign-in")).toThrow();
  });

  it("still opens secrets stored in the old format, but never accepts it for cookies", () => {
    const old = sealV1("stored-before");
    expect(openSecret(old, "source-secret")).toBe("stored-before");
    expect(() => openSecret(old, "session")).toThrow(/Unknown secret format/);
    expect(() => openSecret(old, "sign-in")).toThrow(/Unknown secret format/);
  });
});
