/**
 * Token buckets kept in memory, one per key (source or client IP): `capacity` requests at once, refilled at
 * `refillPerSec`. The clock is passed in, so tests need no waiting. Idle buckets are dropped once full again,
 * so memory stays bounded by the number of recently active keys.
 */
export interface RateLimitRule {
  capacity: number;
  refillPerSec: number;
}

export type RateVerdict = { ok: true; remaining: number } | { ok: false; retryAfterSec: number };

export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly rule: RateLimitRule,
    private readonly maxKeys = 10_000,
  ) {}

  take(key: string, nowMs: number): RateVerdict {
    const { capacity, refillPerSec } = this.rule;
    const bucket = this.buckets.get(key) ?? { tokens: capacity, at: nowMs };
    bucket.tokens = Math.min(
      capacity,
      bucket.tokens + (Math.max(0, nowMs - bucket.at) / 1000) * refillPerSec,
    );
    bucket.at = nowMs;
    if (bucket.tokens < 1) {
      this.buckets.set(key, bucket);
      return { ok: false, retryAfterSec: Math.max(1, Math.ceil((1 - bucket.tokens) / refillPerSec)) };
    }
    bucket.tokens -= 1;
    this.buckets.set(key, bucket);
    if (this.buckets.size > this.maxKeys) this.sweep(nowMs);
    return { ok: true, remaining: Math.floor(bucket.tokens) };
  }

  private sweep(nowMs: number): void {
    for (const [key, b] of this.buckets) {
      const full = b.tokens + ((nowMs - b.at) / 1000) * this.rule.refillPerSec >= this.rule.capacity;
      if (full) this.buckets.delete(key);
    }
  }
}
