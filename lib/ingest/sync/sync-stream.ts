import type postgres from "postgres";
import {
  type AdminEventRow,
  isRejected,
  toAdminEventRow,
  toUserEventRow,
  type UserEventRow,
} from "@/lib/keycloak/event-rows";
import type { EventKind, EventPageQuery, KeycloakSession } from "@/lib/keycloak/session";
import { prepareUserBatch, timeSpan, writeAdminEvents, writePreparedUserBatch } from "../write/write-events";

/**
 * One sync stream: the user events or the admin events of one realm of one source.
 *
 * "ranged" (Keycloak 26.2+: epoch-ms dates, direction=asc, event ids). Every run reads the fixed window
 * [cursor - overlap, Keycloak's now - settle], oldest first. "Now" is Keycloak's clock (the `Date` header of
 * its answers, see KeycloakSession.serverNow), never ours: Keycloak stamps events with its own clock
 * (EventBuilder), so a window ending on a clock that runs ahead of Keycloak's would pass events that are not
 * written yet, and the cursor would leave them behind the overlap for good. Keycloak orders by time only with no
 * tie-breaker, dates are inclusive, and success events become visible at commit with an earlier time, so:
 *  - each run re-reads before the cursor and dedupes on id (see agedRead: a short overlap, and the stretch that
 *    has just become an overlap old);
 *  - the window ends a little in the past and is fixed for the whole run;
 *  - after a full page ending at time T the next request starts AT T (never T+1) with first=0, so ties
 *    straddling the page boundary are read again, not skipped; a millisecond holding more than a page of
 *    events is read whole in one request, since offsets over rows in no stable order can skip rows;
 *  - every page is written together with the cursor in one transaction, so a killed run resumes where it
 *    stopped and a re-run stores nothing twice.
 *
 * "daily" (older Keycloak: no id, no direction, yyyy-MM-dd dates in the server's JVM time zone, newest first;
 * admin-event dateTo meant the start of that day). Every run pages newest-first from a dateFrom one day before
 * the cursor minus the overlap (any server time zone is covered) with no dateTo, until it reaches events older
 * than cursor - overlap. Rows are keyed by a content fingerprint. New events arriving at the top while paging
 * shift later pages down, which only repeats rows (deduped), never skips them; each page starts at the first
 * event of the previous page's oldest millisecond, so a tie run is always read whole. The cursor moves only
 * when a run completes: a killed run is repeated from the top, harmlessly.
 */
export type SyncMode = "ranged" | "daily";

/** One page converted and ready to write with the cursor it proves. */
interface Batch {
  minTime: number | null;
  maxTime: number | null;
  write: (cursor: number | null) => Promise<number>;
}

export interface StreamSettings {
  overlapMs: number;
  /**
   * A shorter overlap for most runs (REALMWATCH_SYNC_SHORT_OVERLAP_SEC); unset, every run re-reads the whole
   * overlap. See agedRead.
   */
  shortOverlapMs?: number;
  settleMs: number;
  pageSize: number;
  /** realmwatch's clock; Keycloak's is read from the session. */
  now?: () => number;
  /** Fills cause, rule and evidence of failure rows before they are written. */
  classify?: (row: UserEventRow) => void;
  onPage?: (p: StreamProgress) => void;
  signal?: AbortSignal;
}

export interface StreamKey {
  sourceId: string;
  realm: string;
  kind: EventKind;
}

export interface StreamProgress {
  key: StreamKey;
  mode: SyncMode;
  pages: number;
  read: number;
  inserted: number;
  rejected: number;
  lastEventTime: number | null;
}

export interface StreamResult extends StreamProgress {
  cursor: number | null;
  rejectedSamples: string[];
  /** Keycloak's clock minus ours (ms), from the `Date` header of its answers; null when it sends none. */
  clockSkewMs: number | null;
}

/**
 * What a ranged run reads. Keycloak stamps an event when it happens but it may become visible later (a slow
 * request's commit, a cluster node whose clock is behind): an event visible at most the overlap (300 s) late must
 * still be read. Re-reading the whole overlap on every poll (10 s) reads each event 30 times: at 5,000 events/s,
 * 1.5 million events a poll from Keycloak's database. So each run reads, in this order:
 *  - the new events, from the cursor to the window's end (moving the cursor): first, since they are what a
 *    person waits for (read after the short overlap, at 5,000 events/s they waited for 150,000 known events);
 *  - the short overlap before the cursor (10 s: what becomes visible a little late, read at the next poll. Keycloak
 *    persists a user event through the request's EntityManager, JpaEventStoreProvider.onEvent, so it is visible
 *    when the request commits: a slow request's events, seconds after their time; the window's end is already
 *    the settle time, 5 s, in the past);
 *  - the aged stretch: the events that have just become an overlap old, from aged_until (the stream's record of
 *    how far that re-read has come, kept with the cursor) to the window's end less the overlap, then aged_until
 *    moves there. Each event is read once more when it is an overlap old, when anything up to the overlap late is
 *    visible; each poll reads about a poll's worth of it, so no poll re-reads the whole overlap and the lag
 *    stays even (it did once per overlap: the 10-minute sustained bench's lag peaked at 90 s).
 * A stream with no aged_until yet (its first run, or a release before it) reads the whole overlap once.
 * Without a short overlap (unset or not shorter than the overlap) every run reads the whole overlap.
 */
export function agedRead(
  cursor: number | null,
  agedUntil: number | null,
  windowEnd: number,
  settings: Pick<StreamSettings, "overlapMs" | "shortOverlapMs">,
): {
  from: number;
  again: { from: number; to: number } | null;
  aged: { from: number; to: number } | null;
  agedUntil: number | null;
} {
  const short = settings.shortOverlapMs;
  if (cursor === null) return { from: 0, again: null, aged: null, agedUntil: windowEnd - settings.overlapMs };
  if (short === undefined || short >= settings.overlapMs)
    return { from: cursor - settings.overlapMs, again: null, aged: null, agedUntil: null };
  const agedTo = windowEnd - settings.overlapMs;
  if (agedUntil === null)
    return { from: cursor - settings.overlapMs, again: null, aged: null, agedUntil: agedTo };
  const again = { from: cursor - short, to: cursor };
  // The windows from the short overlap on read what they hold at least an overlap after its time too: the aged
  // stretch ends where they start (a run far behind, catching up, reads each event once).
  const to = Math.min(agedTo, again.from);
  return {
    from: cursor,
    again: short > 0 ? again : null,
    aged: to > agedUntil ? { from: agedUntil, to } : null,
    agedUntil: Math.max(agedUntil, agedTo),
  };
}

interface StreamState {
  cursor: number | null;
  lastEventTime: number | null;
  /** sync_streams.aged_until: see agedRead. */
  agedUntil: number | null;
}

async function readState(sql: postgres.Sql, key: StreamKey): Promise<StreamState> {
  const [row] = await sql<
    { cursor_time: Date | null; last_event_time: Date | null; aged_until: Date | null }[]
  >`
    select cursor_time, last_event_time, aged_until from sync_streams
    where source_id = ${key.sourceId} and realm = ${key.realm} and kind = ${key.kind}`;
  return {
    cursor: row?.cursor_time?.getTime() ?? null,
    lastEventTime: row?.last_event_time?.getTime() ?? null,
    agedUntil: row?.aged_until?.getTime() ?? null,
  };
}

export async function ensureStream(sql: postgres.Sql, key: StreamKey, mode: SyncMode): Promise<void> {
  await sql`
    insert into sync_streams (source_id, realm, kind, mode, status)
    values (${key.sourceId}, ${key.realm}, ${key.kind}, ${mode}, 'idle')
    on conflict (source_id, realm, kind) do update set mode = excluded.mode`;
}

async function advance(
  tx: postgres.TransactionSql,
  key: StreamKey,
  cursor: number | null,
  lastEventTime: number | null,
  inserted: number,
): Promise<void> {
  await tx`
    update sync_streams set
      cursor_time = greatest(cursor_time, ${cursor === null ? null : new Date(cursor)}::timestamptz),
      last_event_time = greatest(last_event_time, ${lastEventTime === null ? null : new Date(lastEventTime)}::timestamptz),
      events_total = events_total + ${inserted},
      pages_total = pages_total + 1,
      updated_at = now()
    where source_id = ${key.sourceId} and realm = ${key.realm} and kind = ${key.kind}`;
}

export async function syncStream(
  session: KeycloakSession,
  sql: postgres.Sql,
  key: StreamKey,
  mode: SyncMode,
  settings: StreamSettings,
): Promise<StreamResult> {
  await ensureStream(sql, key, mode);
  const state = await readState(sql, key);
  const progress: StreamResult = {
    key,
    mode,
    pages: 0,
    read: 0,
    inserted: 0,
    rejected: 0,
    lastEventTime: state.lastEventTime,
    cursor: state.cursor,
    rejectedSamples: [],
    clockSkewMs: null,
  };
  const ctx = { sourceId: key.sourceId, realm: key.realm, origin: "api" as const };

  const rejectedSeen = new Set<string>();
  const toRows = (page: Record<string, unknown>[], legacy: boolean) => {
    const rows: (UserEventRow | AdminEventRow)[] = [];
    const occurrences = new Map<string, number>();
    for (const raw of page) {
      const row = key.kind === "user" ? toUserEventRow(raw, ctx) : toAdminEventRow(raw, ctx);
      if (isRejected(row)) {
        // Rows are read more than once (the overlap, page boundaries): count each rejected event once a run.
        const seen = JSON.stringify(raw);
        if (rejectedSeen.has(seen)) continue;
        rejectedSeen.add(seen);
        progress.rejected++;
        if (progress.rejectedSamples.length < 10) progress.rejectedSamples.push(row.rejected);
        continue;
      }
      if (legacy && row.id.startsWith("fp:")) {
        // Identical events within one page are distinct events (a page is one consistent read).
        const n = (occurrences.get(row.id) ?? 0) + 1;
        occurrences.set(row.id, n);
        if (n > 1) row.id = `${row.id}#${n}`;
      }
      if (key.kind === "user") settings.classify?.(row as UserEventRow);
      rows.push(row);
    }
    return rows;
  };

  // Only realms that also receive log imports pay for matching API rows against log rows.
  const [logRows] =
    key.kind === "user"
      ? await sql<{ any: boolean }[]>`
          select exists(select 1 from user_events where source_id = ${key.sourceId} and realm = ${key.realm}
                        and origin = 'log') as any`
      : [{ any: false }];
  const supersedeLogRows = Boolean(logRows?.any);

  /**
   * A page ready to write: user events are prepared for COPY right away (see PreparedUserBatch), so only
   * the text and a few columns wait for the previous page's write.
   */
  const toBatch = (page: Record<string, unknown>[], legacy: boolean): Batch => {
    const rows = toRows(page, legacy);
    const span = rows.length > 0 ? timeSpan(rows) : null;
    const minTime = span?.minTime ?? null;
    const maxTime = span?.maxTime ?? null;
    const prepared =
      key.kind === "user" ? prepareUserBatch(rows as UserEventRow[], { supersedeLogRows }) : null;
    const admin = key.kind === "user" ? [] : (rows as AdminEventRow[]);
    return {
      minTime,
      maxTime,
      write: (cursor) => {
        const alongside = (tx: postgres.TransactionSql, inserted: number) =>
          advance(tx, key, cursor, maxTime, inserted);
        return key.kind === "user"
          ? writePreparedUserBatch(sql, prepared, { alongside })
          : writeAdminEvents(sql, admin, { alongside });
      },
    };
  };

  const fetch = async (q: EventPageQuery) => {
    settings.signal?.throwIfAborted();
    const page = await session.listEvents(key.realm, key.kind, q);
    progress.pages++;
    progress.read += page.length;
    return page;
  };

  const report = (batch: Batch, inserted: number) => {
    progress.inserted += inserted;
    const t = batch.maxTime;
    if (t !== null && (progress.lastEventTime === null || t > progress.lastEventTime))
      progress.lastEventTime = t;
    settings.onPage?.(progress);
  };

  // Keycloak's clock: a token request (or the session's last answer) carries it in its `Date` header.
  await session.accessToken();
  const serverNow = session.serverNow();
  const P = settings.pageSize;

  if (mode === "ranged") {
    // Without a `Date` header our clock is the only one, but the cursor then never passes the newest event
    // Keycloak has shown (stamped by its clock, so not in its future).
    const windowEnd = (serverNow ?? (settings.now ?? Date.now)()) - settings.settleMs;
    const provenEnd = (): number | null => {
      if (serverNow !== null) return windowEnd + 1;
      const newest = progress.lastEventTime;
      return newest === null ? null : Math.min(windowEnd, newest - settings.settleMs) + 1;
    };
    // A cursor ahead of Keycloak's clock (set by our clock before this was measured) must not hide the
    // window: read back from Keycloak's now instead.
    const startCursor = state.cursor === null ? null : Math.min(state.cursor, windowEnd + 1);
    const reads = agedRead(startCursor, state.agedUntil, windowEnd, settings);
    // Rows read again (the overlap, a run killed mid-page, the tail of each page re-read as the head of the
    // next) are recognised and skipped by the writer.
    // Reads [from, to] page by page; with `moves`, each page's write also moves the cursor to what it proves.
    const readWindow = async (start: number, to: number, moves: boolean) => {
      let from = start;
      // A page is parsed and classified as soon as it arrives: the next page's work overlaps this one's write.
      const pageAt = (dateFrom: number) => {
        const p = fetch({
          dateFrom: String(dateFrom),
          dateTo: String(to),
          first: 0,
          max: P,
          direction: "asc",
        }).then((page) => ({
          // The raw page is garbage once converted: keep only what paging needs.
          count: page.length,
          last: page.length > 0 ? Number(page[page.length - 1]?.time) : null,
          batch: toBatch(page, false),
        }));
        p.catch(() => {}); // awaited below; a prefetch abandoned by a failed write must not go unhandled
        return p;
      };
      let next = pageAt(from);
      for (;;) {
        const { count, last, batch } = await next;
        const full = count >= P;
        const advances = full && last !== null && Number.isFinite(last) && last > from;
        // The next page is fetched while this one is written: HTTP and PostgreSQL work side by side.
        if (advances) next = pageAt(last);
        // A full page proves everything before its last time was read; a short page ends the window.
        const cursor = !moves ? null : full ? (last ?? from) : provenEnd();
        report(batch, await batch.write(cursor));
        if (!full) break;
        if (advances) {
          from = last;
          continue;
        }
        // More than a page of events share the millisecond `from`. Their order can change between requests
        // (no tie-breaker), so offsets could skip some: that millisecond is read whole in one request (a
        // negative max removes Keycloak's limit).
        const tie = await fetch({
          dateFrom: String(from),
          dateTo: String(from),
          first: 0,
          max: -1,
          direction: "asc",
        });
        const tieBatch = toBatch(tie, false);
        report(tieBatch, await tieBatch.write(moves ? from : null));
        from += 1;
        next = pageAt(from);
      }
    };
    // The new events first (they are what a person waits for), then what is read again (agedRead).
    await readWindow(Math.max(0, reads.from), windowEnd, true);
    if (reads.again) await readWindow(Math.max(0, reads.again.from), reads.again.to, false);
    if (reads.aged) await readWindow(Math.max(0, reads.aged.from), reads.aged.to, false);
    const end = provenEnd();
    if (end !== null && (progress.cursor === null || end > progress.cursor)) progress.cursor = end;
    if (reads.agedUntil !== null && reads.agedUntil !== state.agedUntil)
      await sql`
        update sync_streams set aged_until = greatest(aged_until, ${new Date(reads.agedUntil)}::timestamptz)
        where source_id = ${key.sourceId} and realm = ${key.realm} and kind = ${key.kind}`;
  } else {
    const stopBefore = state.cursor === null ? null : state.cursor - settings.overlapMs;
    const dateFrom = stopBefore === null ? undefined : utcDay(stopBefore - 86_400_000);
    let first = 0;
    let max = P;
    let newest: number | null = null;
    for (;;) {
      const page = await fetch({ dateFrom, first, max });
      const batch = toBatch(page, true);
      if (batch.maxTime !== null && (newest === null || batch.maxTime > newest)) newest = batch.maxTime;
      report(batch, await batch.write(null));
      const oldest = batch.minTime;
      if (page.length < max || (stopBefore !== null && oldest !== null && oldest < stopBefore)) break;
      // Events sharing the page's oldest time may continue on the next page in another order (no
      // tie-breaker): the next page starts at the first of them, so the whole run comes in one response. A
      // run that fills the page is read again with a larger page.
      const run = trailingTimeRun(page);
      if (run < page.length) {
        first += page.length - run;
        max = P;
      } else max *= 2;
    }
    // The pass is complete: everything up to the newest event seen (as visible now) is read.
    const cursor = newest ?? state.cursor;
    if (cursor !== null) await sql.begin((tx) => advance(tx, key, cursor, null, 0));
    progress.cursor = cursor;
  }
  progress.clockSkewMs = session.serverClock?.skewMs ?? null;
  return progress;
}

function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** How many events at the end of a page share the time of its last event. */
function trailingTimeRun(page: Record<string, unknown>[]): number {
  const last = page[page.length - 1]?.time;
  let n = 0;
  while (n < page.length && page[page.length - 1 - n]?.time === last) n++;
  return n;
}
