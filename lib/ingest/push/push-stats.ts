import type postgres from "postgres";

/**
 * Per push source and minute: events accepted, pushes rejected and the last rejection's reason (the Sources
 * page shows them). Accepted events are counted in the transaction that stores them (push-writer.ts), and so
 * are the pushes the writer refused while saturated (counted in memory meanwhile: RefusalCounts).
 */
const KEEP_DAYS = 7;

function minuteOf(ms: number): Date {
  return new Date(Math.floor(ms / 60_000) * 60_000);
}

/** Adds accepted events of a source, within the caller's transaction. */
export async function addAccepted(
  tx: postgres.TransactionSql,
  sourceId: string,
  count: number,
  now: number,
): Promise<void> {
  await tx`
    insert into push_minutes (source_id, minute, accepted, last_event_at)
    values (${sourceId}::uuid, ${minuteOf(now)}, ${count}, ${new Date(now)})
    on conflict (source_id, minute) do update
      set accepted = push_minutes.accepted + excluded.accepted,
          last_event_at = greatest(push_minutes.last_event_at, excluded.last_event_at)`;
}

/** Pushes refused in one minute for one source, not yet in push_minutes. */
export interface RefusalCount {
  sourceId: string;
  /** Start of the minute (ms). */
  minute: number;
  count: number;
  /** The last refusal's time and reason. */
  lastAt: number;
  reason: string;
}

/** Refusals counted in memory, by source and minute. */
export type RefusalCounts = Map<string, RefusalCount>;

/** Counts `count` refusals of a source at `now` (in its minute), the latest one's reason kept. */
export function countRefusal(
  counts: RefusalCounts,
  sourceId: string,
  reason: string,
  now: number,
  count = 1,
): void {
  const minute = minuteOf(now).getTime();
  const key = `${sourceId}\u0000${minute}`;
  const had = counts.get(key);
  if (!had) counts.set(key, { sourceId, minute, count, lastAt: now, reason });
  else {
    had.count += count;
    if (now >= had.lastAt) {
      had.lastAt = now;
      had.reason = reason;
    }
  }
}

/** Adds counts taken out of `from` back into `into` (a write that failed: they are written with the next). */
export function mergeRefusals(into: RefusalCounts, from: RefusalCounts): void {
  for (const r of from.values()) countRefusal(into, r.sourceId, r.reason, r.lastAt, r.count);
}

/**
 * Writes counted refusals in one statement, in the caller's transaction or on its own. Sources deleted
 * meanwhile are skipped (a missing source must not fail the batch that carries them); a minute that already
 * has rejections (written directly by recordRejected) adds to them and keeps the later reason.
 */
export async function writeRefusals(
  sql: postgres.Sql | postgres.TransactionSql,
  counts: RefusalCounts,
): Promise<void> {
  const all = [...counts.values()];
  if (all.length === 0) return;
  await sql`
    insert into push_minutes (source_id, minute, rejected, last_rejected_at, last_reject_reason)
    select s.id, r.minute, r.n, r.at, r.reason
    from unnest(
      ${all.map((r) => r.sourceId)}::uuid[], ${all.map((r) => new Date(r.minute).toISOString())}::timestamptz[],
      ${all.map((r) => r.count)}::int[], ${all.map((r) => new Date(r.lastAt).toISOString())}::timestamptz[],
      ${all.map((r) => r.reason.slice(0, 300))}::text[]
    ) as r(source_id, minute, n, at, reason)
    join sources s on s.id = r.source_id
    on conflict (source_id, minute) do update
      set rejected = push_minutes.rejected + excluded.rejected,
          last_reject_reason = case
            when push_minutes.last_rejected_at is null or excluded.last_rejected_at >= push_minutes.last_rejected_at
            then excluded.last_reject_reason else push_minutes.last_reject_reason end,
          last_rejected_at = greatest(push_minutes.last_rejected_at, excluded.last_rejected_at)`;
}

/** One rejected push (or `count` rejected lines of a log stream) and why; unknown sources are not recorded. */
export async function recordRejected(
  sql: postgres.Sql,
  sourceId: string,
  reason: string,
  now: number,
  count = 1,
): Promise<void> {
  await sql`
    insert into push_minutes (source_id, minute, rejected, last_rejected_at, last_reject_reason)
    select id, ${minuteOf(now)}, ${count}, ${new Date(now)}, ${reason.slice(0, 300)}
    from sources where id = ${sourceId}::uuid
    on conflict (source_id, minute) do update
      set rejected = push_minutes.rejected + excluded.rejected,
          last_rejected_at = excluded.last_rejected_at, last_reject_reason = excluded.last_reject_reason`;
}

export interface PushActivity {
  lastEventAt: number | null;
  /** Accepted events per minute over the last five minutes. */
  eventsPerMinute: number;
  /** Rejected pushes over the last 24 hours. */
  rejected24h: number;
  lastRejectedAt: number | null;
  lastRejectReason: string | null;
}

/** Each push source's activity, by source id. Old minutes are dropped on the way. */
export async function readPushActivity(sql: postgres.Sql, now: number): Promise<Map<string, PushActivity>> {
  await sql`delete from push_minutes where minute < ${new Date(now - KEEP_DAYS * 86_400_000)}`;
  const rows = await sql<
    {
      source_id: string;
      last_event_at: Date | null;
      recent: number;
      rejected: number;
      last_rejected_at: Date | null;
      last_reject_reason: string | null;
    }[]
  >`
    select source_id, max(last_event_at) as last_event_at,
           coalesce(sum(accepted) filter (where minute > ${new Date(now - 5 * 60_000)}), 0)::int as recent,
           coalesce(sum(rejected) filter (where minute > ${new Date(now - 86_400_000)}), 0)::int as rejected,
           max(last_rejected_at) as last_rejected_at,
           (array_agg(last_reject_reason order by last_rejected_at desc nulls last))[1] as last_reject_reason
    from push_minutes group by source_id`;
  return new Map(
    rows.map((r) => [
      r.source_id,
      {
        lastEventAt: r.last_event_at?.getTime() ?? null,
        eventsPerMinute: Math.round((r.recent / 5) * 10) / 10,
        rejected24h: r.rejected,
        lastRejectedAt: r.last_rejected_at?.getTime() ?? null,
        lastRejectReason: r.last_reject_reason,
      },
    ]),
  );
}
