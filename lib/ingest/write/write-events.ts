import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type postgres from "postgres";
import { namesFromAdminEvent } from "@/lib/analytics/admin-names";
import { HISTORY_CHANGED_KEY, RECENT_MS } from "@/lib/analytics/detection-window";
import { type RollupColumns, rollupColumns } from "@/lib/analytics/rollup-cells";
import { daysOf, ensurePartitions, forgetPartitions, placesOf } from "@/lib/db/event-partitions";
import { userIdIs } from "@/lib/db/user-hash";
import { type CopyChunks, copyChunks, copyLine, keepRows } from "@/lib/ingest/write/copy-text";
import {
  type CopyProbe,
  copiesAround,
  copyProbe,
  linkCopies,
  repointCopies,
  withoutStored,
} from "@/lib/ingest/write/link-copies";
import { privacyFilters } from "@/lib/ingest/write/privacy";
import { subtractRollups, upsertRollupColumns } from "@/lib/ingest/write/rollup-batch";
import { saveEntityNames } from "@/lib/ingest/write/save-entity-names";
import type { AdminEventRow, UserEventRow } from "@/lib/keycloak/event-rows";

/**
 * Bulk writes of one batch (one page of a sync, one chunk of an import) in ONE transaction, together with
 * whatever the caller commits alongside (a stream's cursor): either all of it lands or none of it.
 *
 * Rows already stored (the re-read overlap of a sync, a re-import, a second writer) are looked up and dropped
 * under a per-(source, realm) lock, and the rest go by COPY, the fastest path PostgreSQL has. COPY must never
 * meet a server-side error: postgres.js 3.4 leaves the COPY hanging (it never calls back) when the server
 * rejects COPY data after the last chunk, instead of failing the query. Duplicates are ruled out by the lock
 * and the check, malformed text by rows.ts and copy-text.ts, and a timeout turns any hang into an error.
 * (A staging table with INSERT ... ON CONFLICT would be immune, but measured 4x slower.) Rollups count
 * exactly the rows that were inserted: a batch is never counted twice.
 *
 * One event seen twice is stored once or counted once, in the same transaction and under the same lock: a
 * jboss-logging line and the API's event are one row (supersedeLogRows, dropRowsSeenByApi), and an access-log
 * line or report that repeats an event is kept as its copy, not counted (link-copies.ts), whichever came first.
 */
export interface WriteOptions {
  /**
   * Runs inside the same transaction after the rows are written (e.g. advance the sync cursor), told how many
   * rows were new and the ids of the batch that were stored before (the rest are the new ones).
   */
  alongside?: (
    tx: postgres.TransactionSql,
    inserted: number,
    storedBefore: ReadonlySet<string>,
  ) => Promise<void>;
  /**
   * API rows replace log-line rows of the same event (same type, client, user, address and error within
   * LOG_MATCH_WINDOW_MS): a jboss-logging line and the event read from the API are stored once.
   */
  supersedeLogRows?: boolean;
}

/** How far a log line's timestamp may be from the event's own time (the line is written after the commit). */
export const LOG_MATCH_WINDOW_MS = 2000;

export const USER_COLUMNS = [
  "source_id",
  "realm",
  "id",
  "time",
  "type",
  "realm_id",
  "client_id",
  "user_id",
  "session_id",
  "ip_address",
  "error",
  "details",
  "is_failure",
  "username",
  "cause",
  "rule_id",
  "confidence",
  "evidence",
  "catalogue_version",
  "origin",
  "http_method",
  "http_path",
  "http_status",
] as const;

const ADMIN_COLUMNS = [
  "source_id",
  "realm",
  "id",
  "time",
  "realm_id",
  "auth_realm_id",
  "auth_client_id",
  "auth_user_id",
  "auth_ip_address",
  "operation_type",
  "resource_type",
  "resource_path",
  "representation",
  "error",
  "details",
  "origin",
] as const;

export function userLine(r: UserEventRow): string {
  return copyLine([
    r.sourceId,
    r.realm,
    r.id,
    new Date(r.time).toISOString(),
    r.type,
    r.realmId,
    r.clientId,
    r.userId,
    r.sessionId,
    r.ipAddress,
    r.error,
    r.details ? JSON.stringify(r.details) : null,
    r.isFailure ? "t" : "f",
    r.username,
    r.cause,
    r.ruleId,
    r.confidence,
    r.evidence,
    r.catalogueVersion,
    r.origin,
    r.httpMethod,
    r.httpPath,
    r.httpStatus,
  ]);
}

function adminLine(r: AdminEventRow): string {
  return copyLine([
    r.sourceId,
    r.realm,
    r.id,
    new Date(r.time).toISOString(),
    r.realmId,
    r.authRealmId,
    r.authClientId,
    r.authUserId,
    r.authIpAddress,
    r.operationType,
    r.resourceType,
    r.resourcePath,
    r.representation,
    r.error,
    r.details ? JSON.stringify(r.details) : null,
    r.origin,
  ]);
}

async function copyInto(
  tx: postgres.TransactionSql,
  table: string,
  columns: readonly string[],
  chunks: ReadonlyArray<string>,
): Promise<void> {
  const writable = await tx`copy ${tx(table)} (${tx(columns as string[])}) from stdin`.writable();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`COPY into ${table} did not finish within ${COPY_TIMEOUT_MS / 1000} s`)),
      COPY_TIMEOUT_MS,
    );
  });
  try {
    await Promise.race([pipeline(Readable.from(chunks), writable), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const COPY_TIMEOUT_MS = 120_000;

function dedupeById<T extends { id: string }>(rows: ReadonlyArray<T>): T[] {
  const seen = new Set<string>();
  const out: T[] = [];
  for (const r of rows) {
    if (seen.has(r.id)) continue;
    seen.add(r.id);
    out.push(r);
  }
  return out;
}

/** Rows of one (source, realm): the caller groups batches that way. */
function assertOneKey(rows: ReadonlyArray<{ sourceId: string; realm: string }>): {
  sourceId: string;
  realm: string;
} {
  const first = rows[0]!;
  for (const r of rows) {
    if (r.sourceId !== first.sourceId || r.realm !== first.realm) {
      throw new Error("A write batch must hold rows of one source and realm.");
    }
  }
  return first;
}

/** What the existence check needs of a batch: its (source, realm), time span and ids. */
interface BatchKey {
  sourceId: string;
  realm: string;
  minTime: number;
  maxTime: number;
  ids: string[];
}

async function existingIds(
  tx: postgres.TransactionSql,
  table: "user_events" | "admin_events",
  key: BatchKey,
): Promise<Set<string>> {
  // An id always comes with the same time (Keycloak's event, or a fingerprint that includes the time), so the
  // batch's time span bounds the search: a range of the primary key (source, realm, time, id), read once and
  // matched against the batch's ids in a hash. Joined id by id, as the planner chose (it takes an array's unnest
  // for ten rows), each id read the whole range again, since id follows time in the key: a batch of 5,000 API
  // events over seconds that already held 5,000 log rows took 2 s instead of milliseconds.
  const found = await tx<{ id: string }[]>`
    with stored as materialized (
      select id from ${tx(table)}
      where source_id = ${key.sourceId} and realm = ${key.realm}
        and time between ${new Date(key.minTime)} and ${new Date(key.maxTime)}
    )
    select id from stored where id = any(${key.ids}::text[])`;
  return new Set(found.map((r) => r.id));
}

/** The earliest and latest time of the rows (infinite bounds for none). */
export function timeSpan(rows: ReadonlyArray<{ time: number }>): { minTime: number; maxTime: number } {
  let minTime = Number.POSITIVE_INFINITY;
  let maxTime = Number.NEGATIVE_INFINITY;
  for (const r of rows) {
    if (r.time < minTime) minTime = r.time;
    if (r.time > maxTime) maxTime = r.time;
  }
  return { minTime, maxTime };
}

/**
 * A batch of user events as the writer needs it: COPY lines, ids and the time span for the existence check,
 * rollup columns and the usernames seen, but not the row objects. A sync prepares each page as it arrives, so
 * the objects die young instead of living through the write's round trips (measured: holding them made
 * garbage collection a third of the sync's CPU).
 */
export interface PreparedUserBatch extends BatchKey {
  text: CopyChunks;
  /** The UTC days the rows fall on: each needs its partition before the COPY (lib/db/event-partitions.ts). */
  days: number[];
  rollups: RollupColumns;
  names: UserNameSeen[];
  /** The API rows, kept only when they are to replace log rows (supersedeLogRows). */
  apiRows: UserEventRow[] | null;
  /** The lines and reports that may repeat events, and the events they may repeat (link-copies.ts). */
  copies: CopyProbe | null;
  /** Whether the batch holds log-line rows (API rows of the batch may repeat them) ... */
  logRows: boolean;
  /** ... and failed events of the API or a log (access-log lines and reports of the batch may repeat them). */
  failedEvents: boolean;
}

/** Null for an empty batch. The privacy options (privacy.ts) are applied here, before anything is kept. */
export function prepareUserBatch(
  batch: ReadonlyArray<UserEventRow>,
  opts: Pick<WriteOptions, "supersedeLogRows"> = {},
): PreparedUserBatch | null {
  const rows = dedupeById(batch);
  if (rows.length === 0) return null;
  const { sourceId, realm } = assertOneKey(rows);
  const privacy = privacyFilters();
  if (privacy) for (const r of rows) privacy.user(r);
  return {
    sourceId,
    realm,
    ...timeSpan(rows),
    ids: rows.map((r) => r.id),
    text: copyChunks(rows.map(userLine)),
    days: daysOf(rows.map((r) => r.time)),
    rollups: rollupColumns(rows),
    names: userNamesSeen(rows),
    apiRows: opts.supersedeLogRows ? rows.filter((r) => r.origin === "api") : null,
    copies: copyProbe(rows),
    logRows: rows.some((r) => r.origin === "log"),
    failedEvents: rows.some((r) => r.isFailure && (r.origin === "api" || r.origin === "log")),
  };
}

export async function writeUserEvents(
  sql: postgres.Sql,
  batch: ReadonlyArray<UserEventRow>,
  opts: WriteOptions = {},
): Promise<number> {
  return writePreparedUserBatch(sql, prepareUserBatch(batch, opts), opts);
}

export async function writePreparedUserBatch(
  sql: postgres.Sql,
  batch: PreparedUserBatch | null,
  opts: Pick<WriteOptions, "alongside"> = {},
): Promise<number> {
  if (!batch) {
    if (opts.alongside) await sql.begin((tx) => opts.alongside!(tx, 0, new Set()));
    return 0;
  }
  return againIfPartitionGone(sql, () => writeBatchOnce(sql, batch, opts));
}

/**
 * Runs a write (which makes its partitions, then writes in one transaction) once more when one of them is gone:
 * retention detached it between its creation and the COPY (a late write of week-old successes, or of admin
 * events a year old, meets the pass that expires them), or it went after this process last made sure of it
 * (ensurePartitions remembers). The transaction wrote nothing; the partitions are asked for again, made again,
 * and the batch written once more (what is late is expired by the next pass).
 */
async function againIfPartitionGone<T>(sql: postgres.Sql, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (e) {
    if (!isMissingPartition(e)) throw e;
    forgetPartitions(sql);
    return write();
  }
}

/** A partition the batch's rows belong in hangs detached (lockAndCheck saw it before the COPY). */
class PartitionDetached extends Error {}

/**
 * PostgreSQL's "no partition of relation … found for row" (SQLSTATE 23514), a partition the write locks that
 * does not exist ("relation … does not exist", 42P01), or one detached (PartitionDetached).
 */
function isMissingPartition(e: unknown): boolean {
  if (e instanceof PartitionDetached) return true;
  const err = e as { code?: string; message?: string };
  if (err?.code === "23514") return /no partition of relation/.test(err.message ?? "");
  return err?.code === "42P01" && /relation "(?:user|admin)_events_p\d+/.test(err.message ?? "");
}

async function writeBatchOnce(
  sql: postgres.Sql,
  batch: PreparedUserBatch,
  opts: Pick<WriteOptions, "alongside">,
): Promise<number> {
  const { sourceId, realm } = batch;
  // Created before the transaction, then held in it: a row COPY cannot place must never reach the COPY.
  const partitions = await ensurePartitions(sql, "user_events", batch.days);
  return sql.begin(async (tx) => {
    const api = batch.apiRows?.length ? batch.apiRows : null;
    // Whether superseding and linking have anything to do, asked with the existence check (one round trip) and
    // answered for the rows already stored; the batch's own rows are known here. Most batches need neither (a
    // realm fed by one way only), and each would otherwise cost its own round trip on the batch's critical path.
    const probes = [
      api && !batch.logRows ? () => logRowsAround(tx, sourceId, realm, api).execute() : null,
      batch.copies
        ? () => copiesAround(tx, sourceId, realm, batch.copies!, batch.failedEvents).execute()
        : null,
    ];
    const { have, probed } = await lockAndCheck(tx, "user_events", batch, partitions, probes);
    const [logRowsNear, copiesNear] = probed as [
      { any: boolean }[] | null,
      { lines: boolean; events: boolean }[] | null,
    ];
    const isNew = have.size > 0 ? (i: number) => !have.has(batch.ids[i]!) : undefined;
    const inserted = batch.ids.length - have.size;
    const text = isNew ? keepRows(batch.text, isNew) : batch.text.chunks;
    if (inserted > 0) await copyInto(tx, "user_events", USER_COLUMNS, text);
    // Independent statements, sent together and answered in one round trip (see lockAndCheck), with what the
    // caller commits alongside (its statements do not read what superseding and linking change). Names are
    // idempotent (first and last seen only widen): rows already stored may count again.
    await Promise.all([
      upsertRollupColumns(tx, sourceId, realm, batch.rollups, isNew),
      upsertUserNames(tx, sourceId, realm, batch.names),
      inserted > 0 && batch.minTime < Date.now() - RECENT_MS ? markHistoryChanged(tx) : null,
      opts.alongside ? opts.alongside(tx, inserted, have) : null,
    ]);
    if (api && (batch.logRows || logRowsNear?.[0]?.any)) {
      await deleteSupersededLogRows(
        tx,
        sourceId,
        realm,
        have.size > 0 ? api.filter((r) => !have.has(r.id)) : api,
      );
    }
    if (batch.copies) {
      const copies = have.size > 0 ? withoutStored(batch.copies, have) : batch.copies;
      const near = copiesNear?.[0];
      if ((near?.lines || copies.candidates.length > 0) && (near?.events || batch.failedEvents))
        await linkCopies(tx, sourceId, realm, copies);
    }
    return inserted;
  });
}

/** Whether log-line rows lie within the matching window of the API rows (statement built, not sent). */
function logRowsAround(
  tx: postgres.TransactionSql,
  sourceId: string,
  realm: string,
  api: ReadonlyArray<UserEventRow>,
) {
  const { minTime, maxTime } = timeSpan(api);
  return tx<{ any: boolean }[]>`
    select exists(
      select 1 from user_events
      where source_id = ${sourceId} and realm = ${realm} and origin = 'log'
        and time between ${new Date(minTime - LOG_MATCH_WINDOW_MS)} and ${new Date(maxTime + LOG_MATCH_WINDOW_MS)}
    ) as any`;
}

export async function writeAdminEvents(
  sql: postgres.Sql,
  batch: ReadonlyArray<AdminEventRow>,
  opts: WriteOptions = {},
): Promise<number> {
  const rows = dedupeById(batch);
  if (rows.length === 0) {
    if (opts.alongside) await sql.begin((tx) => opts.alongside!(tx, 0, new Set()));
    return 0;
  }
  const key = { ...assertOneKey(rows), ...timeSpan(rows), ids: rows.map((r) => r.id) };
  const privacy = privacyFilters();
  if (privacy) for (const r of rows) privacy.admin(r);
  const times = rows.map((r) => r.time);
  return againIfPartitionGone(sql, async () => {
    // The months' partitions, as for user events' days: created before the transaction, then held in it.
    const partitions = await ensurePartitions(sql, "admin_events", times);
    return sql.begin(async (tx) => {
      const { have } = await lockAndCheck(tx, "admin_events", key, partitions);
      const fresh = have.size > 0 ? rows.filter((r) => !have.has(r.id)) : rows;
      if (fresh.length > 0)
        await copyInto(tx, "admin_events", ADMIN_COLUMNS, copyChunks(fresh.map(adminLine)).chunks);
      await rememberAdminEventNames(tx, key.sourceId, key.realm, fresh);
      if (opts.alongside) await opts.alongside(tx, fresh.length, have);
      return fresh.length;
    });
  });
}

/**
 * The ids of the batch already stored, after taking the batch's locks, and the answers of the caller's probes:
 * - the table and the days' (or months') partitions are share-locked until the transaction ends, so retention
 *   cannot detach one between here and the COPY; a partition gone since ensurePartitions made sure of it (a day
 *   dropped, a tier or a day detached) fails here, before any data is sent, and the batch is retried whole (a
 *   sync's cursor did not move);
 * - every writer of a (source, realm) holds a transaction-level advisory lock, so the check cannot race
 *   another writer and the COPY that follows never meets a duplicate key.
 * The statements are sent together (postgres.js pipelines the queries of one connection issued in the same
 * tick) and PostgreSQL runs them in the order sent, so the check still runs under both locks: one round trip
 * instead of six, which the small batches of webhook pushes pay on every write.
 */
async function lockAndCheck(
  tx: postgres.TransactionSql,
  table: "user_events" | "admin_events",
  key: BatchKey,
  partitions: ReadonlyArray<string>,
  probes: ReadonlyArray<(() => Promise<unknown>) | null> = [],
): Promise<{ have: Set<string>; probed: unknown[] }> {
  // Each query is sent when it is executed, so they are executed here one by one in this order (a query left to
  // Promise.all would only start after existingIds, which sends its own at once). The probes (each executes its
  // statement when called) go last, under the locks.
  // The tables a COPY may place rows in.
  const places = placesOf(table, partitions);
  const held = [
    // The table too, alone (locked whole it would lock every day): a detach of one of its days, even a
    // concurrent one, waits for this transaction.
    tx`lock table only ${tx(table)}, ${tx(partitions as string[])} in access share mode`.execute(),
    tx`select pg_advisory_xact_lock(hashtextextended(${`realmwatch:write:${table}:${key.sourceId}:${key.realm}`}, 0))`.execute(),
    // Events and the cursor commit together, and Keycloak still holds the events: if a crash lost the last
    // commits, both would roll back and the next sync would read them again. So the commit need not wait for
    // the WAL flush.
    tx`set local synchronous_commit = off`.execute(),
    // Whether each still hangs where the COPY will look for it: one detached since ensurePartitions (retention)
    // fails the write here, before any data is sent (postgres.js hangs on a COPY the server refuses).
    tx<{ n: number }[]>`
      select count(*)::int as n from pg_inherits
      where inhrelid = any(select to_regclass(t) from unnest(${places}::text[]) as t)`.execute(),
  ];
  const found = existingIds(tx, table, key);
  const probed = probes.map((probe) => (probe ? probe() : null));
  const [, , , attached, have, ...rest] = await Promise.all([...held, found, ...probed]);
  if ((attached as { n: number }[])[0]?.n !== places.length)
    throw new PartitionDetached(
      `no partition of relation "${table}" for some of the batch's rows: one was detached`,
    );
  return { have: have as Set<string>, probed: rest };
}

async function deleteSupersededLogRows(
  tx: postgres.TransactionSql,
  sourceId: string,
  realm: string,
  rows: ReadonlyArray<UserEventRow>,
): Promise<void> {
  const api = rows.filter((r) => r.origin === "api");
  if (api.length === 0) return;
  // Rows naming their user find their log rows through the per-user index (hashtext(user_id), time), a few rows
  // each; the others through the log rows' own index. Matched through the log rows of the batch's seconds
  // alone, each API row read every log row of its seconds: 5,000 API events against logs shipped at 1,000 lines
  // a second took 3.6-6.2 s.
  const named = api.filter((r) => r.userId !== null);
  const anonymous = api.filter((r) => r.userId === null);
  const gone = [
    ...(named.length > 0
      ? await deleteMatchingLogRows(tx, sourceId, realm, named, userIdIs(tx, tx`a.u`, "l"))
      : []),
    ...(anonymous.length > 0
      ? await deleteMatchingLogRows(tx, sourceId, realm, anonymous, tx`l.user_id is null`)
      : []),
  ];
  if (gone.length === 0) return;
  await repointCopies(
    tx,
    sourceId,
    realm,
    gone.map((g) => ({ fromId: g.id, fromTime: g.time.getTime(), toId: g.api_id, toTime: g.api_time })),
  );
  await subtractRollups(
    tx,
    sourceId,
    realm,
    gone.map((g) => ({
      time: g.time.getTime(),
      type: g.type,
      error: g.error,
      cause: g.cause,
      clientId: g.client_id,
      origin: "log",
      isFailure: g.is_failure,
    })),
  );
}

/** Deletes the log rows that the API rows repeat (same fields within seconds); returns them with their API row. */
async function deleteMatchingLogRows(
  tx: postgres.TransactionSql,
  sourceId: string,
  realm: string,
  api: ReadonlyArray<UserEventRow>,
  sameUser: postgres.Fragment,
) {
  const span = timeSpan(api);
  return tx<
    {
      id: string;
      time: Date;
      type: string;
      error: string | null;
      cause: string | null;
      client_id: string | null;
      is_failure: boolean;
      api_id: string;
      api_time: number;
    }[]
  >`
    delete from user_events l
    using unnest(${api.map((r) => r.time)}::float8[], ${api.map((r) => r.type)}::text[],
                 ${api.map((r) => r.clientId)}::text[], ${api.map((r) => r.userId)}::text[],
                 ${api.map((r) => r.ipAddress)}::text[], ${api.map((r) => r.error)}::text[],
                 ${api.map((r) => r.id)}::text[])
         as a(t, ty, c, u, ip, e, id)
    where l.source_id = ${sourceId} and l.realm = ${realm} and l.origin = 'log' and ${sameUser}
      -- The batch's span bounds the search to the days it covers.
      and l.time between ${new Date(span.minTime - LOG_MATCH_WINDOW_MS)} and ${new Date(span.maxTime + LOG_MATCH_WINDOW_MS)}
      and ${sameEventAs(tx, "l")}
    returning l.id, l.time, l.type, l.error, l.cause, l.client_id, l.is_failure, a.id as api_id, a.t as api_time`;
}

/**
 * When a stored row (`stored`) and a row of the batch (`a`: t, ty, c, ip, e) are one event seen twice, by a
 * server-log line and by the API: the same type, client, address and error within LOG_MATCH_WINDOW_MS of each
 * other. The user is matched by each caller, so that a row naming its user goes through the per-user index.
 */
function sameEventAs(db: postgres.Sql | postgres.TransactionSql, stored: "l" | "x"): postgres.Fragment {
  const r = db(stored);
  return db`
    ${r}.time between to_timestamp(a.t / 1000.0) - make_interval(secs => ${LOG_MATCH_WINDOW_MS / 1000})
                  and to_timestamp(a.t / 1000.0) + make_interval(secs => ${LOG_MATCH_WINDOW_MS / 1000})
    and ${r}.type = a.ty and ${r}.client_id is not distinct from a.c
    and ${r}.ip_address is not distinct from a.ip and ${r}.error is not distinct from a.e`;
}

/** Rows of a log import that the API already delivered (see supersedeLogRows): they are not stored again. */
export async function dropRowsSeenByApi(
  sql: postgres.Sql,
  rows: ReadonlyArray<UserEventRow>,
): Promise<UserEventRow[]> {
  if (rows.length === 0) return [];
  const { sourceId, realm } = assertOneKey(rows);
  const { minTime, maxTime } = timeSpan(rows);
  // Most log imports meet no API rows at all (a realm that never saved events, a source fed only by logs): one
  // probe of the batch's time span rules that out before each row is matched (measured: the per-row match
  // was the import's largest database cost). The probe reads the minute rollups, which count every API row in
  // the transaction that stores it and never take one out (what is subtracted are copies and replaced log rows;
  // a re-classification moves counts between causes of the same minute): through the events' key it read every
  // row of the span, the log rows included (6.8 ms a shipped batch at 5,000 lines a second). Rollups outliving
  // their raw successes only send a batch on to the exact match.
  const [api] = await sql<{ any: boolean }[]>`
    select exists(
      select 1 from rollup_minute
      where source_id = ${sourceId} and realm = ${realm}
        and bucket >= date_trunc('minute', ${new Date(minTime - LOG_MATCH_WINDOW_MS)}::timestamptz)
        and bucket <= ${new Date(maxTime + LOG_MATCH_WINDOW_MS)} and origin = 'api' and events > 0) as any`;
  if (!api?.any) return [...rows];
  // Each row is matched within its own seconds. A row naming its user is looked up through the per-user index
  // (hashtext(user_id), time), a few rows each; matched through the key alone, each row read every event of its
  // seconds (1,000 lines against a realm saving 1,000 events a second: 2.5 s). The batch's span, as constants,
  // lets the planner open only the days it covers.
  const lo = new Date(minTime - LOG_MATCH_WINDOW_MS);
  const hi = new Date(maxTime + LOG_MATCH_WINDOW_MS);
  const same = sql`
    x.source_id = ${sourceId} and x.realm = ${realm} and x.origin = 'api' and x.time between ${lo} and ${hi}
    and ${sameEventAs(sql, "x")}`;
  const matched = await sql<{ i: number }[]>`
    select a.i from unnest(${rows.map((_, i) => i)}::int[], ${rows.map((r) => r.time)}::float8[],
                           ${rows.map((r) => r.type)}::text[], ${rows.map((r) => r.clientId)}::text[],
                           ${rows.map((r) => r.userId)}::text[], ${rows.map((r) => r.ipAddress)}::text[],
                           ${rows.map((r) => r.error)}::text[]) as a(i, t, ty, c, u, ip, e)
    where (a.u is not null and exists (select 1 from user_events x where ${userIdIs(sql, sql`a.u`, "x")} and ${same}))
       or (a.u is null and exists (select 1 from user_events x where x.user_id is null and ${same}))`;
  if (matched.length === 0) return [...rows];
  const drop = new Set(matched.map((m) => m.i));
  return rows.filter((_, i) => !drop.has(i));
}

interface UserNameSeen {
  userId: string;
  username: string;
  first: number;
  last: number;
}

/** Each (user id, username) of the rows with the first and last time it was seen, in key order. */
function userNamesSeen(rows: ReadonlyArray<UserEventRow>): UserNameSeen[] {
  const seen = new Map<string, UserNameSeen>();
  for (const r of rows) {
    if (!r.userId || !r.username) continue;
    const key = `${r.userId}\u0001${r.username}`;
    const s = seen.get(key);
    if (!s) seen.set(key, { userId: r.userId, username: r.username, first: r.time, last: r.time });
    else {
      s.first = Math.min(s.first, r.time);
      s.last = Math.max(s.last, r.time);
    }
  }
  return [...seen.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([, v]) => v);
}

/** Username directory: the usernames seen for each user id, so searches by name survive renames. */
async function upsertUserNames(
  tx: postgres.TransactionSql,
  sourceId: string,
  realm: string,
  list: ReadonlyArray<UserNameSeen>,
): Promise<void> {
  if (list.length === 0) return;
  await tx`
    insert into user_names (source_id, realm, user_id, username, first_seen, last_seen)
    select ${sourceId}::uuid, ${realm}, u.id, u.name, to_timestamp(u.f / 1000.0), to_timestamp(u.l / 1000.0)
    from unnest(${list.map((v) => v.userId)}::text[], ${list.map((v) => v.username)}::text[],
                ${list.map((v) => v.first)}::float8[], ${list.map((v) => v.last)}::float8[]) as u(id, name, f, l)
    on conflict (source_id, realm, user_id, username) do update
      set first_seen = least(user_names.first_seen, excluded.first_seen),
          last_seen = greatest(user_names.last_seen, excluded.last_seen)`;
}

/** The names the batch's representations give (clients, mappers, roles... by id), newest sighting last. */
async function rememberAdminEventNames(
  tx: postgres.TransactionSql,
  sourceId: string,
  realm: string,
  rows: ReadonlyArray<AdminEventRow>,
): Promise<void> {
  const withNames = [...rows]
    .filter((r) => r.representation || r.resourcePath)
    .sort((a, b) => a.time - b.time)
    .map((r) => ({ time: r.time, entries: namesFromAdminEvent(r) }))
    .filter((r) => r.entries.length > 0);
  if (withNames.length === 0) return;
  const latest = withNames[withNames.length - 1]!.time;
  // One statement: later sightings win within the batch because they come last in the map.
  await saveEntityNames(
    tx,
    sourceId,
    realm,
    withNames.flatMap((r) => r.entries),
    latest,
  );
}

/** Events older than what an hourly pattern refresh reads again change the past (detection-window.ts). */
async function markHistoryChanged(tx: postgres.TransactionSql): Promise<void> {
  await tx`
    insert into app_state (key, value, updated_at) values (${HISTORY_CHANGED_KEY}, 'true'::jsonb, now())
    on conflict (key) do update set value = 'true'::jsonb, updated_at = now()`;
}
