import { AppError, isAppError } from "@/lib/server/errors";
import { RateLimiter } from "@/lib/server/rate-limit";
import { REQUEST_LIMITS } from "@/lib/server/request-limits";

/**
 * The process's rate limiters, one per limited prefix, kept on globalThis: Next bundles the proxy and the route
 * handlers separately, so a module-level map would give each bundle its own buckets. The proxy charges the
 * signed-in or anonymous requests it lets through; routes that authenticate themselves (signed reports) charge
 * their own bucket only once they know who is calling.
 */
const KEY = Symbol.for("realmwatch.rate-limiters");

type Registry = Map<string, RateLimiter>;

export function sharedLimiters(): ReadonlyMap<string, RateLimiter> {
  const holder = globalThis as { [KEY]?: Registry };
  if (!holder[KEY]) {
    holder[KEY] = new Map(
      REQUEST_LIMITS.flatMap((l) => (l.rate ? [[l.prefix, new RateLimiter(l.rate)] as const] : [])),
    );
  }
  return holder[KEY];
}

export function sharedLimiter(prefix: string): RateLimiter {
  const limiter = sharedLimiters().get(prefix);
  if (!limiter) throw new Error(`No rate limit is defined for ${prefix}.`);
  return limiter;
}

/**
 * For routes that authenticate each request themselves (pushes): `work` gets an `admit` to call once the caller
 * is authenticated, which charges that caller's own bucket (`<key>`, e.g. the verified source); a request that
 * fails authentication is charged to the client address instead. So a forged header neither escapes the limit
 * nor uses up a real sender's bucket. Over a limit: a 429 AppError saying when to retry.
 */
export async function chargedAfterAuth<T>(
  prefix: string,
  clientKey: string,
  work: (admit: (key: string) => void) => Promise<T>,
  nowMs = Date.now(),
): Promise<T> {
  const limiter = sharedLimiter(prefix);
  const refuse = (retryAfterSec: number) =>
    new AppError("rate_limited", `Too many requests to ${prefix}: retry in ${retryAfterSec} s.`, {
      retryAfterSec,
    });
  try {
    return await work((key) => {
      const rate = limiter.take(key, nowMs);
      if (!rate.ok) throw refuse(rate.retryAfterSec);
    });
  } catch (err) {
    if (isAppError(err) && err.code === "unauthorized") {
      const rate = limiter.take(`failed:${clientKey}`, nowMs);
      if (!rate.ok) throw refuse(rate.retryAfterSec);
    }
    throw err;
  }
}
