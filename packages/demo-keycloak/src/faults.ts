import type { KeycloakUserEvent } from "@/lib/keycloak/types";
import type { DemoState } from "./demo-state";
import type { EventKind } from "./event-store";

/** Fault injection for tests and demos. Faults never touch the control API under `/__demo`. */
export interface DemoFaults {
  /** Answer the next `count` requests under `path` (default: all) with a 5xx (default 500). */
  failNext(count: number, opts?: { status?: number; path?: string }): void;
  /** Answer each request under `path` with a 5xx with probability p, drawn from the seeded PRNG; 0 ends it. */
  failWithProbability(p: number, opts?: { status?: number; path?: string }): void;
  /** Hold the next `count` requests open without answering, until the client gives up (close() still works). */
  hangNext(count: number, opts?: { path?: string }): void;
  /** Delay every answer under `path` by `ms` (0 ends it). */
  slow(ms: number, opts?: { path?: string }): void;
  /** Every access token issued so far is refused with 401 until the client authenticates again. */
  expireTokensNow(): void;
  /** Rows with the same time come back in a different order on each request (a database without a tie-breaker). */
  setUnstableTies(on: boolean): void;
  /**
   * After each of the next `pages` event pages served (default 1), insert `count` events: half inside
   * the time range of the page just served, half at the current time.
   */
  insertWhilePaging(opts: { count: number; pages?: number; realm?: string; kind?: EventKind }): void;
  /** What insertWhilePaging inserted so far. */
  readonly insertedWhilePaging: readonly KeycloakUserEvent[];
  /**
   * Adds `count` successful CODE_TO_TOKEN events stamped `time` (default now) that only become visible
   * `lagMs` later: Keycloak stores a success when its transaction commits.
   */
  lateVisible(realm: string, opts: { count: number; lagMs: number; time?: number }): KeycloakUserEvent[];
  /** Refuse connections: the listener closes; up() reopens it on the same port. */
  down(): Promise<void>;
  up(): Promise<void>;
  /** Clears every fault (not a down listener: call up()). */
  reset(): void;
}

export function createFaults(
  state: DemoState,
  listener: { down(): Promise<void>; up(): Promise<void> },
): DemoFaults {
  const f = state.faults;
  return {
    failNext: (count, opts) => {
      f.failures.push({ remaining: count, status: opts?.status ?? 500, path: opts?.path ?? "/" });
    },
    failWithProbability: (p, opts) => {
      f.probability = { p, status: opts?.status ?? 500, path: opts?.path ?? "/" };
    },
    hangNext: (count, opts) => {
      f.hangs.push({ remaining: count, path: opts?.path ?? "/" });
    },
    slow: (ms, opts) => {
      f.delay = { ms, path: opts?.path ?? "/" };
    },
    expireTokensNow: () => state.tokens.revokeAll(),
    setUnstableTies: (on) => {
      f.unstableTies = on;
    },
    insertWhilePaging: (opts) => {
      f.pagingInserts = {
        realm: opts.realm ?? null,
        kind: opts.kind ?? "user",
        count: opts.count,
        remaining: opts.pages ?? 1,
      };
    },
    get insertedWhilePaging() {
      return f.insertedWhilePaging;
    },
    lateVisible: (realmName, opts) => {
      const realm = state.realms.get(realmName);
      if (!realm) throw new Error(`unknown realm ${realmName}`);
      const now = state.now();
      const users = [...realm.users.values()].filter((u) => !u.serviceAccountClientId);
      const events: KeycloakUserEvent[] = Array.from({ length: opts.count }, () => {
        const user = f.rng.pick(users);
        const sessionId = f.rng.uuid();
        return {
          id: f.rng.uuid(),
          time: opts.time ?? now,
          type: "CODE_TO_TOKEN",
          realmId: realm.id,
          clientId: "realmwatch-web",
          userId: user.id,
          sessionId,
          ipAddress: "203.0.113.200",
          details: { grant_type: "authorization_code", code_id: sessionId, token_id: f.rng.uuid() },
        };
      });
      state.store.addUserEvents(realmName, events, { visibleAt: now + opts.lagMs });
      return events;
    },
    down: () => listener.down(),
    up: () => listener.up(),
    reset: () => f.reset(),
  };
}
