import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type postgres from "postgres";
import { copyLine } from "./copy-text";
import { upsertRollups } from "./rollup-batch";
import type { AdminEventRow, UserEventRow } from "./rows";

/**
 * Bulk writes of one batch (one page of a sync, one chunk of an import) in ONE transaction, together with
 * whatever the caller commits alongside (a stream's cursor): either all of it lands or none of it.
 *
 * Rows whose key may already be stored (the re-read overlap of a sync, a re-import) are looked up first and
 * dropped; the rest go in by COPY, the fastest path PostgreSQL has. If COPY still meets a duplicate (a second
 * writer got there first, which the per-stream lock normally prevents) the batch is retried through a staging
 * table with ON CONFLICT DO NOTHING. Rollups and the username directory are updated from exactly the rows that
 * were inserted, so a batch counted twice is impossible.
 */
export interface WriteOptions {
  /** Some rows may already be stored: check keys first. */
  mayExist: boolean;
  /** Runs inside the same transaction after the rows are written (e.g. advance the sync cursor). */
  alongside?: (tx: postgres.TransactionSql, inserted: number) => Promise<void>;
}

const USER_COLUMNS = [
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

function userLine(r: UserEventRow): string {
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
  lines: Iterable<string>,
): Promise<void> {
  const writable = await tx`copy ${tx(table)} (${tx(columns as string[])}) from stdin`.writable();
  // Chunks of many lines: one write per row would dominate the cost.
  async function* chunks() {
    let buf = "";
    for (const line of lines) {
      buf += line;
      if (buf.length > 262_144) {
        yield buf;
        buf = "";
      }
    }
    if (buf) yield buf;
  }
  await pipeline(Readable.from(chunks()), writable);
}

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

async function existingIds(
  tx: postgres.TransactionSql,
  table: "user_events" | "admin_events",
  sourceId: string,
  realm: string,
  ids: string[],
): Promise<Set<string>> {
  const found = await tx<{ id: string }[]>`
    select id from ${tx(table)} where source_id = ${sourceId} and realm = ${realm} and id = any(${ids}::text[])`;
  return new Set(found.map((r) => r.id));
}

function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: string }).code === "23505";
}

export async function writeUserEvents(
  sql: postgres.Sql,
  batch: ReadonlyArray<UserEventRow>,
  opts: WriteOptions,
): Promise<number> {
  const rows = dedupeById(batch);
  if (rows.length === 0) {
    if (opts.alongside) await sql.begin((tx) => opts.alongside!(tx, 0));
    return 0;
  }
  const { sourceId, realm } = assertOneKey(rows);
  const run = (viaStaging: boolean) =>
    sql.begin(async (tx) => {
      let fresh = rows;
      if (opts.mayExist || viaStaging) {
        const have = await existingIds(
          tx,
          "user_events",
          sourceId,
          realm,
          rows.map((r) => r.id),
        );
        fresh = rows.filter((r) => !have.has(r.id));
      }
      if (viaStaging && fresh.length > 0) {
        await tx`create temp table staging_user_events (like user_events including defaults) on commit drop`;
        await copyInto(tx, "staging_user_events", USER_COLUMNS, fresh.map(userLine));
        const inserted = await tx<{ id: string }[]>`
          insert into user_events select * from staging_user_events
          on conflict (source_id, realm, id) do nothing returning id`;
        const ids = new Set(inserted.map((r) => r.id));
        fresh = fresh.filter((r) => ids.has(r.id));
      } else if (fresh.length > 0) {
        await copyInto(tx, "user_events", USER_COLUMNS, fresh.map(userLine));
      }
      await upsertRollups(tx, sourceId, realm, fresh);
      await upsertUserNames(tx, fresh);
      if (opts.alongside) await opts.alongside(tx, fresh.length);
      return fresh.length;
    });
  try {
    return await run(false);
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    return run(true);
  }
}

export async function writeAdminEvents(
  sql: postgres.Sql,
  batch: ReadonlyArray<AdminEventRow>,
  opts: WriteOptions,
): Promise<number> {
  const rows = dedupeById(batch);
  if (rows.length === 0) {
    if (opts.alongside) await sql.begin((tx) => opts.alongside!(tx, 0));
    return 0;
  }
  const { sourceId, realm } = assertOneKey(rows);
  const run = (viaStaging: boolean) =>
    sql.begin(async (tx) => {
      let fresh = rows;
      if (opts.mayExist || viaStaging) {
        const have = await existingIds(
          tx,
          "admin_events",
          sourceId,
          realm,
          rows.map((r) => r.id),
        );
        fresh = rows.filter((r) => !have.has(r.id));
      }
      if (viaStaging && fresh.length > 0) {
        await tx`create temp table staging_admin_events (like admin_events including defaults) on commit drop`;
        await copyInto(tx, "staging_admin_events", ADMIN_COLUMNS, fresh.map(adminLine));
        const inserted = await tx<{ id: string }[]>`
          insert into admin_events select * from staging_admin_events
          on conflict (source_id, realm, id) do nothing returning id`;
        const ids = new Set(inserted.map((r) => r.id));
        fresh = fresh.filter((r) => ids.has(r.id));
      } else if (fresh.length > 0) {
        await copyInto(tx, "admin_events", ADMIN_COLUMNS, fresh.map(adminLine));
      }
      if (opts.alongside) await opts.alongside(tx, fresh.length);
      return fresh.length;
    });
  try {
    return await run(false);
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    return run(true);
  }
}

/** Username directory: the usernames seen for each user id, so searches by name survive renames. */
async function upsertUserNames(
  tx: postgres.TransactionSql,
  rows: ReadonlyArray<UserEventRow>,
): Promise<void> {
  const seen = new Map<string, { userId: string; username: string; first: number; last: number }>();
  let sourceId = "";
  let realm = "";
  for (const r of rows) {
    if (!r.userId || !r.username) continue;
    sourceId = r.sourceId;
    realm = r.realm;
    const key = `${r.userId}\u0001${r.username}`;
    const s = seen.get(key);
    if (!s) seen.set(key, { userId: r.userId, username: r.username, first: r.time, last: r.time });
    else {
      s.first = Math.min(s.first, r.time);
      s.last = Math.max(s.last, r.time);
    }
  }
  if (seen.size === 0) return;
  const list = [...seen.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([, v]) => v);
  await tx`
    insert into user_names (source_id, realm, user_id, username, first_seen, last_seen)
    select ${sourceId}::uuid, ${realm}, u.id, u.name, to_timestamp(u.f / 1000.0), to_timestamp(u.l / 1000.0)
    from unnest(${list.map((v) => v.userId)}::text[], ${list.map((v) => v.username)}::text[],
                ${list.map((v) => v.first)}::float8[], ${list.map((v) => v.last)}::float8[]) as u(id, name, f, l)
    on conflict (source_id, realm, user_id, username) do update
      set first_seen = least(user_names.first_seen, excluded.first_seen),
          last_seen = greatest(user_names.last_seen, excluded.last_seen)`;
}
