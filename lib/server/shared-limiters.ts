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
