import type { KeycloakUserEvent } from "@/lib/keycloak/types";
import type { EventKind } from "./event-store";
import { createPrng, type Prng } from "./prng";

/** Which requests a fault applies to: a path prefix; the control API `/__demo` is never affected. */
export interface FaultScope {
  path?: string;
}

interface CountedRule {
  remaining: number;
  status: number;
  path: string;
}

/** Injected failures. The server consults it on every request; DemoFaults is its public face. */
export class FaultState {
  failures: CountedRule[] = [];
  probability = { p: 0, status: 500, path: "/" };
  hangs: Array<{ remaining: number; path: string }> = [];
  delay = { ms: 0, path: "/" };
  unstableTies = false;
  pagingInserts: { realm: string | null; kind: EventKind; count: number; remaining: number } | null = null;
  /** Events inserted by `insertWhilePaging`, for tests to check against. */
  readonly insertedWhilePaging: KeycloakUserEvent[] = [];
  readonly rng: Prng;

  constructor(seed: number) {
    this.rng = createPrng(seed ^ 0xfa17);
  }

  /** The status to fail this request with, or null. */
  failureFor(path: string): number | null {
    const rule = this.failures.find((r) => r.remaining > 0 && path.startsWith(r.path));
    if (rule) {
      rule.remaining--;
      this.failures = this.failures.filter((r) => r.remaining > 0);
      return rule.status;
    }
    if (
      this.probability.p > 0 &&
      path.startsWith(this.probability.path) &&
      this.rng.chance(this.probability.p)
    ) {
      return this.probability.status;
    }
    return null;
  }

  shouldHang(path: string): boolean {
    const rule = this.hangs.find((r) => r.remaining > 0 && path.startsWith(r.path));
    if (!rule) return false;
    rule.remaining--;
    this.hangs = this.hangs.filter((r) => r.remaining > 0);
    return true;
  }

  delayFor(path: string): number {
    return this.delay.ms > 0 && path.startsWith(this.delay.path) ? this.delay.ms : 0;
  }

  reset(): void {
    this.failures = [];
    this.probability = { p: 0, status: 500, path: "/" };
    this.hangs = [];
    this.delay = { ms: 0, path: "/" };
    this.unstableTies = false;
    this.pagingInserts = null;
  }
}
