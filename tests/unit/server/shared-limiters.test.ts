import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/server/errors";
import { chargedAfterAuth } from "@/lib/server/shared-limiters";

// "/api/reports" holds 120 at once: small enough to run out in a test. Each test uses its own keys.
const PREFIX = "/api/reports";
const NOW = Date.UTC(2026, 11, 5, 12);

const ok = (key: string, client: string) =>
  chargedAfterAuth(
    PREFIX,
    client,
    async (admit) => {
      admit(key);
      return "stored";
    },
    NOW,
  );
const forged = (client: string) =>
  chargedAfterAuth(
    PREFIX,
    client,
    async () => {
      throw new AppError("unauthorized", "bad signature");
    },
    NOW,
  );

describe("limits charged after authentication", () => {
  it("charges failed authentication to the client, never to the source it named", async () => {
    for (let i = 0; i < 120; i++)
      await expect(forged("10.0.0.9")).rejects.toMatchObject({ code: "unauthorized" });
    await expect(forged("10.0.0.9")).rejects.toMatchObject({ code: "rate_limited" });
    // The source the forger named still pushes, from the same address too.
    await expect(ok("push:source-a", "10.0.0.9")).resolves.toBe("stored");
  });

  it("gives each authenticated sender a bucket of its own", async () => {
    for (let i = 0; i < 120; i++) await ok("push:source-b", "10.0.0.10");
    await expect(ok("push:source-b", "10.0.0.10")).rejects.toMatchObject({
      code: "rate_limited",
      message: /retry in/,
    });
    await expect(ok("push:source-c", "10.0.0.10")).resolves.toBe("stored");
  });
});
