import type postgres from "postgres";
import { writeAdminEvents, writeUserEvents } from "@/lib/ingest/write/write-events";
import type { AdminEventRow, UserEventRow } from "@/lib/keycloak/event-rows";
import { AppError, isAppError } from "@/lib/server/errors";
import { addAccepted, countRefusal, mergeRefusals, type RefusalCounts, writeRefusals } from "./push-stats";

/**
 * Group commit of everything pushed. Webhook pushes arrive one event per request (ext-event-webhook sends each
 * event on its own), thousands a second, and log shippers send a batch of lines every few hundred
 * milliseconds. Each written in its own transaction would serialize on the writer's per-(source, realm) lock
 * and hold a pooled connection while it waits; instead, what arrives within a few milliseconds is written
 * together, through the same write path as synced events (write-events.ts: existence check, COPY, rollups,
 * copy linking, API rows replacing log rows), and each request is answered when the batch holding its rows is
 * durably stored:
 * - one transaction per (source, realm) of the batch (two when it holds admin events), a few of them side by
 *   side, each committed with synchronous_commit on (the write path sets it off for the sync, which can
 *   re-read what a crash loses; a sender whose push was acknowledged will not resend it), so it returns only
 *   once the WAL holding its rows is flushed; the source's accepted count goes into the same transaction;
 * - batches are written one after another, so a retry of an event whose first copy is still in flight waits
 *   for that copy to be durable before it is answered as already stored; what arrives while a batch is written
 *   forms the next batch, so batches grow with the load and the per-transaction cost is paid per batch.
 * A transaction that fails fails every request with rows in it (the senders retry); nothing is acknowledged
 * that was not stored. Rows come classified (receive-push.ts, the log import).
 *
 * Pushes refused while the writer is saturated are counted per source and minute in memory, not written one
 * by one (the database is what is saturated), and go into push_minutes with the next batch, in its first
 * transaction: counted once when it commits, kept for the batch after when it fails. Refusals with no batch
 * after them (the last one ended meanwhile) are written on their own a second later, and drain() writes what
 * is left.
 */
export interface PushBatch {
  user: UserEventRow[];
  admin: AdminEventRow[];
}

export interface PushWriterOptions {
  /** How long the first push of a batch waits for company (ms). */
  maxDelayMs?: number;
  /**
   * A batch this large is written at once, and no batch takes more (a request's rows are never split): what
   * is queued beyond it waits for the next batch, so a flood of log lines cannot make one batch so long that
   * the pushes queued behind it wait seconds.
   */
  maxRows?: number;
  /** Transactions of one batch written side by side (each holds a pooled connection). */
  parallel?: number;
  /**
   * Rows waiting or being written past which the writer is saturated: the receivers then refuse new pushes
   * with 429 and Retry-After (the senders retry) instead of queueing without bound, so memory stays bounded
   * at any offered rate and those already queued are still answered in time.
   */
  maxPendingRows?: number;
  /** Likewise in requests waiting or being written (each holds its connection and parsed body meanwhile). */
  maxPendingPushes?: number;
  now?: () => number;
}

interface Job {
  batch: PushBatch;
  rows: number;
  resolve: (stored: number) => void;
  reject: (err: unknown) => void;
}

/** The rows of one (source, realm) in a batch, and which request each came from. */
interface Group {
  sourceId: string;
  user: UserEventRow[];
  userJobs: Job[];
  admin: AdminEventRow[];
  adminJobs: Job[];
}

export class PushWriter {
  private queue: Job[] = [];
  private queuedRows = 0;
  /** Rows and requests of the batch being written. */
  private writingRows = 0;
  private writingJobs = 0;
  private timer: NodeJS.Timeout | null = null;
  /** The batch being written; pushes arriving meanwhile wait for it and form the next batch together. */
  private running: Promise<void> | null = null;
  private readonly maxDelayMs: number;
  private readonly maxRows: number;
  private readonly parallel: number;
  private readonly maxPendingRows: number;
  private readonly maxPendingPushes: number;
  private readonly now: () => number;
  /** Pushes refused while saturated and not yet written to push_minutes. */
  private refusals: RefusalCounts = new Map();
  private refusalTimer: NodeJS.Timeout | null = null;
  /** Refusals being written on their own (no batch came to carry them). */
  private refusalsWriting: Promise<void> | null = null;

  constructor(
    private readonly sql: postgres.Sql,
    opts: PushWriterOptions = {},
  ) {
    this.maxDelayMs = opts.maxDelayMs ?? 4;
    this.maxRows = opts.maxRows ?? 5_000;
    this.parallel = opts.parallel ?? 2;
    this.maxPendingRows = opts.maxPendingRows ?? 20_000;
    this.maxPendingPushes = opts.maxPendingPushes ?? 2_000;
    this.now = opts.now ?? Date.now;
  }

  /** Stores the (classified) rows; resolves with how many were new, once they are durable. */
  write(batch: PushBatch): Promise<number> {
    const rows = batch.user.length + batch.admin.length;
    if (rows === 0) return Promise.resolve(0);
    return new Promise<number>((resolve, reject) => {
      this.queue.push({ batch, rows, resolve, reject });
      this.queuedRows += rows;
      if (this.queuedRows >= this.maxRows) this.flushSoon(0);
      else this.flushSoon(this.maxDelayMs);
    });
  }

  /** The requests and rows waiting or being written. */
  pending(): { pushes: number; rows: number } {
    return { pushes: this.queue.length + this.writingJobs, rows: this.queuedRows + this.writingRows };
  }

  /** True while the rows or requests waiting or being written reach their limit: new pushes are refused. */
  saturated(): boolean {
    const { pushes, rows } = this.pending();
    return rows >= this.maxPendingRows || pushes >= this.maxPendingPushes;
  }

  /**
   * Refuses a push of the source (429, Retry-After: 1 s) while the writer is saturated, and counts the refusal
   * with its reason (the Sources page's rejected pushes).
   */
  admitOrThrow(sourceId: string, now: number = this.now()): void {
    if (!this.saturated()) return;
    const { pushes, rows } = this.pending();
    this.countRefused(
      sourceId,
      `busy: the receiver was storing earlier pushes (${n(pushes)} pushes, ${n(rows)} rows waiting); ` +
        `refused with Retry-After: ${RETRY_AFTER_SEC} s, the sender sends it again`,
      now,
    );
    throw new AppError(
      "rate_limited",
      "The receiver is busy storing earlier pushes: nothing was stored, send again shortly.",
      { reason: "busy", retryAfterSec: RETRY_AFTER_SEC },
    );
  }

  /**
   * Counts a push refused before it reached the writer (the server's connection limit) or by it; written with
   * the next batch like the writer's own refusals. Sources are checked when written: an unknown one is not
   * recorded, and at most MAX_REFUSAL_KEYS sources and minutes are held meanwhile.
   */
  countRefused(sourceId: string, reason: string, now: number = this.now()): void {
    if (this.refusals.size >= MAX_REFUSAL_KEYS) return;
    countRefusal(this.refusals, sourceId, reason, now);
    this.settleRefusals();
  }

  /**
   * Runs the route's rate limit for the source (`admit`, which throws to refuse); a refusal is counted like the
   * writer's own, without a write per refusal, before it is thrown on.
   */
  admitBy(admit: ((sourceId: string) => void) | undefined, sourceId: string, now: number = this.now()): void {
    try {
      admit?.(sourceId);
    } catch (err) {
      if (isAppError(err) && err.code === "rate_limited")
        this.countRefused(sourceId, `rate_limited: ${err.message}`, now);
      throw err;
    }
  }

  /** Refusals counted and not yet written (tests). */
  unwrittenRefusals(): number {
    let count = 0;
    for (const r of this.refusals.values()) count += r.count;
    return count;
  }

  /** Resolves when everything queued so far is written, refusals counted included (for shutdown and tests). */
  async drain(): Promise<void> {
    while (this.queue.length > 0 || this.running || this.timer) {
      if (this.timer) {
        clearTimeout(this.timer);
        this.timer = null;
      }
      this.startFlush();
      if (this.running) await this.running;
    }
    if (this.refusalTimer) {
      clearTimeout(this.refusalTimer);
      this.refusalTimer = null;
    }
    await this.refusalsWriting;
    await this.writeRefusalsAlone();
  }

  /** Writes the refusals counted so far on their own; on failure they are kept for the next write. */
  private async writeRefusalsAlone(): Promise<void> {
    const taken = this.takeRefusals();
    if (!taken) return;
    try {
      await writeRefusals(this.sql, taken);
    } catch (err) {
      mergeRefusals(this.refusals, taken);
      throw err;
    }
  }

  /** The refusals counted so far, taken out to be written (null when there are none). */
  private takeRefusals(): RefusalCounts | null {
    if (this.refusals.size === 0) return null;
    const taken = this.refusals;
    this.refusals = new Map();
    return taken;
  }

  /**
   * Refusals that no batch will carry (none running or queued) are written on their own a little later; a
   * batch that starts meanwhile carries them instead.
   */
  private settleRefusals(): void {
    if (this.refusals.size === 0 || this.refusalTimer || this.refusalsWriting) return;
    if (this.running || this.queue.length > 0) return;
    this.refusalTimer = setTimeout(() => {
      this.refusalTimer = null;
      if (this.running || this.queue.length > 0 || this.refusals.size === 0) return;
      this.refusalsWriting = this.writeRefusalsAlone()
        .catch(() => {}) // kept by writeRefusalsAlone for the next write
        .finally(() => {
          this.refusalsWriting = null;
          this.settleRefusals();
        });
    }, REFUSALS_ALONE_MS);
    this.refusalTimer.unref?.();
  }

  private flushSoon(delay: number): void {
    // While a batch is being written, the queue simply grows: it is written as one batch when that one is done.
    if (this.running) return;
    if (this.timer && delay > 0) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.startFlush();
    }, delay);
  }

  private startFlush(): void {
    if (this.running) return;
    if (this.queue.length === 0) return;
    // In order of arrival, up to maxRows (at least one request).
    let take = 0;
    let rows = 0;
    while (take < this.queue.length && (take === 0 || rows + this.queue[take]!.rows <= this.maxRows))
      rows += this.queue[take++]!.rows;
    const jobs = this.queue.splice(0, take);
    this.queuedRows -= rows;
    this.writingRows = rows;
    this.writingJobs = jobs.length;
    this.running = this.flush(jobs)
      .catch((err) => {
        for (const job of jobs) job.reject(err);
      })
      .finally(() => {
        this.running = null;
        this.writingRows = 0;
        this.writingJobs = 0;
        if (this.queue.length > 0) this.startFlush();
        else this.settleRefusals();
      });
  }

  private async flush(jobs: Job[]): Promise<void> {
    const groups = new Map<string, Group>();
    const group = (sourceId: string, realm: string) => {
      const key = `${sourceId}\u0000${realm}`;
      let g = groups.get(key);
      if (!g) {
        g = { sourceId, user: [], userJobs: [], admin: [], adminJobs: [] };
        groups.set(key, g);
      }
      return g;
    };
    for (const job of jobs) {
      for (const r of job.batch.user) {
        const g = group(r.sourceId, r.realm);
        g.user.push(r);
        g.userJobs.push(job);
      }
      for (const r of job.batch.admin) {
        const g = group(r.sourceId, r.realm);
        g.admin.push(r);
        g.adminJobs.push(job);
      }
    }
    const failed = new Map<Job, unknown>();
    const stored = new Map<Job, number>();
    const now = this.now();
    const pending = [...groups.values()];
    // The refusals counted so far ride in the first group's first transaction.
    const refusals = this.takeRefusals();
    const carrier = refusals ? pending[0] : undefined;
    let refusalsStored = false;
    const writeGroup = async (g: Group) => {
      try {
        // Each request is told the rows that were new; a row sent twice in one batch is new once.
        const credit = (rows: ReadonlyArray<{ id: string }>, owners: Job[], before: ReadonlySet<string>) => {
          const seen = new Set<string>();
          rows.forEach((r, i) => {
            if (before.has(r.id) || seen.has(r.id)) return;
            seen.add(r.id);
            const job = owners[i]!;
            stored.set(job, (stored.get(job) ?? 0) + 1);
          });
        };
        const durably =
          (rows: number, credited: (before: ReadonlySet<string>) => void, carry: RefusalCounts | null) =>
          async (tx: postgres.TransactionSql, _inserted: number, before: ReadonlySet<string>) => {
            // The statements in one round trip (postgres.js pipelines them).
            await Promise.all([
              tx`set local synchronous_commit = on`,
              addAccepted(tx, g.sourceId, rows, now),
              carry ? writeRefusals(tx, carry) : null,
            ]);
            credited(before);
          };
        const carryUser = g === carrier && g.user.length > 0 ? refusals : null;
        const carryAdmin = g === carrier && g.user.length === 0 ? refusals : null;
        if (g.user.length > 0) {
          await writeUserEvents(this.sql, g.user, {
            supersedeLogRows: true,
            alongside: durably(g.user.length, (before) => credit(g.user, g.userJobs, before), carryUser),
          });
          if (carryUser) refusalsStored = true;
        }
        if (g.admin.length > 0) {
          await writeAdminEvents(this.sql, g.admin, {
            alongside: durably(g.admin.length, (before) => credit(g.admin, g.adminJobs, before), carryAdmin),
          });
          if (carryAdmin) refusalsStored = true;
        }
      } catch (err) {
        for (const job of [...g.userJobs, ...g.adminJobs]) failed.set(job, err);
      }
    };
    const worker = async () => {
      for (let g = pending.shift(); g; g = pending.shift()) await writeGroup(g);
    };
    await Promise.all(Array.from({ length: Math.min(this.parallel, pending.length) }, worker));
    // Not committed: counted with the next batch instead.
    if (refusals && !refusalsStored) mergeRefusals(this.refusals, refusals);
    for (const job of jobs) {
      const err = failed.get(job);
      if (err !== undefined) job.reject(err);
      else job.resolve(stored.get(job) ?? 0);
    }
  }
}

/** What a refused sender is told to wait (Retry-After). */
const RETRY_AFTER_SEC = 1;
/** How long refusals no batch carries wait before they are written on their own (ms). */
const REFUSALS_ALONE_MS = 1_000;
/** Sources and minutes of refusals held in memory at most until they are written. */
const MAX_REFUSAL_KEYS = 10_000;

const n = (x: number) => x.toLocaleString("en-US");
const PUSH_PATH =
  /^\/api\/push\/(?:events|logs)\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:[/?]|$)/i;

const KEY = Symbol.for("realmwatch.push-writer");
type Holder = { [KEY]?: PushWriter };

/** One writer per server process (Next may load this module more than once: keep it global). */
export function sharedPushWriter(sql: postgres.Sql): PushWriter {
  const holder = globalThis as Holder;
  holder[KEY] ??= new PushWriter(sql);
  return holder[KEY];
}

/** Writes what the server process's writer holds (at shutdown, once no request is being answered). */
export async function drainSharedPushWriter(): Promise<void> {
  await (globalThis as Holder)[KEY]?.drain();
}

/**
 * Counts a push the server refused because it was serving its limit of connections (lib/server/http-server.ts),
 * for the source its path names, in `writer` (the server process's own by default; none before the first push
 * reached it, and then nothing is counted).
 */
export function countConnectionRefusal(
  path: string,
  limit: number,
  writer: PushWriter | undefined = (globalThis as Holder)[KEY],
): void {
  const sourceId = PUSH_PATH.exec(path)?.[1];
  if (!sourceId || !writer) return;
  writer.countRefused(
    sourceId.toLowerCase(),
    `connections: the receiver was serving its limit of ${n(limit)} connections (REALMWATCH_MAX_CONNECTIONS); ` +
      `refused with Retry-After: ${RETRY_AFTER_SEC} s, the sender sends it again`,
  );
}
