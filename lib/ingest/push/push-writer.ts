import type postgres from "postgres";
import { classifyRow } from "@/lib/ingest/write/classify-row";
import { writeAdminEvents, writeUserEvents } from "@/lib/ingest/write/write-events";
import type { AdminEventRow, UserEventRow } from "@/lib/keycloak/event-rows";
import { recordAccepted } from "./push-stats";

/**
 * Pushes arrive one event per request (ext-event-webhook sends each event on its own), thousands a second. Each
 * written in its own transaction would serialize on the writer's per-(source, realm) lock; instead, pushes
 * that arrive within a few milliseconds are written together, through the same write path as synced events
 * (write-events.ts: existence check, COPY, rollups, copy linking, API rows replacing log rows), and each push
 * is answered when the batch holding it is durably stored:
 * - the writer commits with synchronous_commit off (a sync can re-read what a crash loses; a sender whose
 *   push was acknowledged will not resend it), so every batch ends with an ordinary commit (recordAccepted),
 *   which returns only once the WAL up to it, and so every event before it, is flushed;
 * - batches are written one after another, so a retry of an event whose first copy is still in flight waits
 *   for that copy to be durable before it is answered as already stored; what arrives while a batch is written
 *   forms the next batch, so batches grow with the load and the per-transaction cost is paid per batch.
 * A batch that fails fails every push in it (the senders retry); nothing is acknowledged that was not stored.
 */
export interface PushBatch {
  user: UserEventRow[];
  admin: AdminEventRow[];
}

export interface PushWriterOptions {
  /** How long the first push of a batch waits for company (ms). */
  maxDelayMs?: number;
  /** A batch this large is written at once. */
  maxRows?: number;
  now?: () => number;
}

interface Job {
  batch: PushBatch;
  resolve: (stored: number) => void;
  reject: (err: unknown) => void;
}

export class PushWriter {
  private queue: Job[] = [];
  private queuedRows = 0;
  private timer: NodeJS.Timeout | null = null;
  /** The batch being written; pushes arriving meanwhile wait for it and form the next batch together. */
  private running: Promise<void> | null = null;
  private readonly maxDelayMs: number;
  private readonly maxRows: number;
  private readonly now: () => number;

  constructor(
    private readonly sql: postgres.Sql,
    opts: PushWriterOptions = {},
  ) {
    this.maxDelayMs = opts.maxDelayMs ?? 4;
    this.maxRows = opts.maxRows ?? 2_000;
    this.now = opts.now ?? Date.now;
  }

  /** Classifies and stores the rows; resolves with how many were new, once they are durable. */
  write(batch: PushBatch): Promise<number> {
    for (const row of batch.user) classifyRow(row);
    return new Promise<number>((resolve, reject) => {
      this.queue.push({ batch, resolve, reject });
      this.queuedRows += batch.user.length + batch.admin.length;
      if (this.queuedRows >= this.maxRows) this.flushSoon(0);
      else this.flushSoon(this.maxDelayMs);
    });
  }

  /** Resolves when everything queued so far is written (for shutdown and tests). */
  async drain(): Promise<void> {
    while (this.queue.length > 0 || this.running || this.timer) {
      if (this.timer) {
        clearTimeout(this.timer);
        this.timer = null;
      }
      this.startFlush();
      if (this.running) await this.running;
    }
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
    const jobs = this.queue;
    if (jobs.length === 0) return;
    this.queue = [];
    this.queuedRows = 0;
    this.running = this.flush(jobs)
      .catch((err) => {
        for (const job of jobs) job.reject(err);
      })
      .finally(() => {
        this.running = null;
        if (this.queue.length > 0) this.startFlush();
      });
  }

  private async flush(jobs: Job[]): Promise<void> {
    const groups = new Map<string, { user: UserEventRow[]; admin: AdminEventRow[]; jobs: Set<Job> }>();
    const group = (sourceId: string, realm: string) => {
      const key = `${sourceId}\u0000${realm}`;
      let g = groups.get(key);
      if (!g) {
        g = { user: [], admin: [], jobs: new Set() };
        groups.set(key, g);
      }
      return g;
    };
    for (const job of jobs) {
      for (const r of job.batch.user) group(r.sourceId, r.realm).user.push(r);
      for (const r of job.batch.admin) group(r.sourceId, r.realm).admin.push(r);
      for (const r of [...job.batch.user, ...job.batch.admin]) group(r.sourceId, r.realm).jobs.add(job);
    }
    const failed = new Map<Job, unknown>();
    const stored = new Map<Job, number>();
    const accepted = new Map<string, number>();
    for (const g of groups.values()) {
      try {
        let inserted = 0;
        if (g.user.length > 0)
          inserted += await writeUserEvents(this.sql, g.user, { supersedeLogRows: true });
        if (g.admin.length > 0) inserted += await writeAdminEvents(this.sql, g.admin);
        const sourceId = (g.user[0] ?? g.admin[0])!.sourceId;
        accepted.set(sourceId, (accepted.get(sourceId) ?? 0) + g.user.length + g.admin.length);
        // New rows are told to the one push of the group (a retry sees 0); several pushes share the count.
        for (const job of g.jobs)
          stored.set(job, (stored.get(job) ?? 0) + (g.jobs.size === 1 ? inserted : 0));
      } catch (err) {
        for (const job of g.jobs) failed.set(job, err);
      }
    }
    try {
      await recordAccepted(this.sql, accepted, this.now());
    } catch (err) {
      for (const job of jobs) if (!failed.has(job)) failed.set(job, err);
    }
    for (const job of jobs) {
      const err = failed.get(job);
      if (err !== undefined) job.reject(err);
      else job.resolve(stored.get(job) ?? 0);
    }
  }
}

const KEY = Symbol.for("realmwatch.push-writer");
type Holder = { [KEY]?: PushWriter };

/** One writer per server process (Next may load this module more than once: keep it global). */
export function sharedPushWriter(sql: postgres.Sql): PushWriter {
  const holder = globalThis as Holder;
  holder[KEY] ??= new PushWriter(sql);
  return holder[KEY];
}
