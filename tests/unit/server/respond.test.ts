import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { AppError } from "@/lib/server/errors";
import { logger } from "@/lib/server/logger";
import { errorResponse, expectedError } from "@/lib/server/respond";
import { routeWith } from "@/lib/server/route";

describe("the one error mapper", () => {
  it("answers an AppError with its status, code and message", async () => {
    const res = errorResponse(
      new AppError("keycloak_forbidden", "Keycloak answered 403: assign manage-events."),
    );
    expect(res.status).toBe(502);
    expect(await res.json()).toEqual({
      error: "keycloak_forbidden",
      message: "Keycloak answered 403: assign manage-events.",
    });
    expect(res.headers.get("cache-control")).toBe("no-store");
  });

  it("answers invalid input with a 400 naming each field", async () => {
    const parsed = z.object({ realm: z.string(), limit: z.number().max(500) }).safeParse({ limit: 900 });
    const res = errorResponse(parsed.error);
    const body = await res.json();
    expect(res.status).toBe(400);
    expect(body.error).toBe("bad_request");
    expect(body.message).toMatch(/realm: .*; limit: /);
    expect(body.details.issues.map((i: { path: string[] }) => i.path[0])).toEqual(["realm", "limit"]);
  });

  it("answers a lost database connection with a 503", async () => {
    const res = errorResponse(
      Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }),
    );
    expect(res.status).toBe(503);
    expect((await res.json()).error).toBe("database_unavailable");
  });

  it("answers a bug with a 500 that reveals nothing, and logs it", async () => {
    const log = vi.spyOn(logger, "error").mockImplementation(() => {});
    const res = errorResponse(
      new TypeError("cannot read properties of undefined (reading 'secret_ciphertext')"),
    );
    const body = await res.json();
    expect(res.status).toBe(500);
    expect(JSON.stringify(body)).not.toMatch(/secret|undefined/);
    expect(log).toHaveBeenCalledOnce();
    log.mockRestore();
  });

  it("wraps a route handler so whatever it throws is answered", async () => {
    const handler = routeWith(() => null)({}, async () => {
      throw new AppError("not_found", "No such source.");
    });
    const res = await handler(new Request("http://x/api/sources/1"));
    expect(res.status).toBe(404);
  });

  it("tells expected failures (shown in place) from bugs (thrown to the error boundary)", () => {
    expect(expectedError(new AppError("bad_request", "x"))?.code).toBe("bad_request");
    expect(expectedError(new AppError("internal", "deliberate"))?.code).toBe("internal");
    expect(expectedError(new Error("bug"))).toBeNull();
  });
});

describe("a rate limit's answer", () => {
  it("says when to come back in Retry-After", () => {
    const res = errorResponse(new AppError("rate_limited", "Too many.", { retryAfterSec: 7 }));
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("7");
  });
});
