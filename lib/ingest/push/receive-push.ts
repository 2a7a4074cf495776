import type postgres from "postgres";
import { classifyRow } from "@/lib/ingest/write/classify-row";
import {
  type AdminEventRow,
  isRejected,
  toAdminEventRow,
  toUserEventRow,
  type UserEventRow,
} from "@/lib/keycloak/event-rows";
import { AppError } from "@/lib/server/errors";
import { pushSourceOrThrow } from "@/lib/sources/push-source";
import { authenticatePush, type PushHeaders } from "./authenticate-push";
import { type PushedEvent, parsePushBody } from "./push-payload";
import { recordRejected } from "./push-stats";
import type { PushWriter } from "./push-writer";

/**
 * The receiving side of a webhook push. Order matters: the source is known and the sender authenticated
 * before the body is parsed; a refused push is counted with its reason (shown on the Sources page) and
 * answered with a short code and a message that never quotes the body; an accepted one is answered only once
 * its events are durably stored (push-writer.ts), and refused with 429 and Retry-After while the writer is
 * saturated (the senders retry; nothing queues without bound). Retries and replays are stored once
 * (Keycloak's event id, else the content fingerprint, as for imports and the sync).
 */
export interface PushReceipt {
  received: number;
  /** Events not stored before (a retry or a replay counts 0). */
  stored: number;
  /** Elements that are not Keycloak events (other Phase Two event families). */
  ignored: number;
  /** Elements that could not be read, with the first reasons. */
  invalid: number;
  invalidReasons: string[];
}

export interface PushRequest {
  sourceId: string;
  headers: PushHeaders;
  body: Buffer;
  /** Realm of events that name none that realmwatch knows (the `realm` query parameter). */
  defaultRealm?: string;
  now?: number;
  /**
   * Called once the push is authenticated and before anything is stored: throws to refuse (a rate limit; the
   * refusal is counted).
   */
  admit?: (sourceId: string) => void;
}

/** Strict: a body that is not UTF-8 is refused rather than read with replacement characters. */
const UTF8 = new TextDecoder("utf-8", { fatal: true });

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function receivePush(
  sql: postgres.Sql,
  writer: PushWriter,
  req: PushRequest,
): Promise<PushReceipt> {
  const now = req.now ?? Date.now();
  const source = await pushSourceOrThrow(sql, req.sourceId, now);
  // Under overload the cheapest refusal comes first: before the signature is checked or the body read.
  writer.admitOrThrow(source.sourceId, now);
  const refuse = async (
    code: "unauthorized" | "forbidden" | "bad_request",
    reason: string,
    message: string,
  ) => {
    await recordRejected(sql, source.sourceId, `${reason}: ${message}`, now);
    return new AppError(code, message, { reason });
  };

  const auth = await authenticatePush(source, req.headers, req.body, now);
  if (!auth.ok)
    throw await refuse(auth.status === 403 ? "forbidden" : "unauthorized", auth.reason, auth.message);
  writer.admitBy(req.admit, source.sourceId, now);

  let text: string;
  try {
    text = UTF8.decode(req.body);
  } catch {
    throw await refuse("bad_request", "not_utf8", "The body is not UTF-8 text.");
  }
  const payload = parsePushBody(text);
  if ("error" in payload) throw await refuse("bad_request", payload.error, payload.message);

  const batch: { user: UserEventRow[]; admin: AdminEventRow[] } = { user: [], admin: [] };
  const invalidReasons = [...payload.invalid];
  for (const pushed of payload.events) {
    // Most payloads name their realm: no promise per event then.
    const realm = namedRealm(pushed) ?? (await realmOf(sql, source.sourceId, pushed, req.defaultRealm, now));
    const ctx = { sourceId: source.sourceId, realm, origin: "api" as const };
    if (pushed.kind === "user") {
      const row = toUserEventRow(pushed.event, ctx);
      if (isRejected(row)) {
        invalidReasons.push(row.rejected);
        continue;
      }
      row.username ??= pushed.username?.slice(0, 512) ?? null;
      classifyRow(row);
      batch.user.push(row);
    } else {
      const row = toAdminEventRow(pushed.event, ctx);
      if (isRejected(row)) invalidReasons.push(row.rejected);
      else batch.admin.push(row);
    }
  }
  const received = batch.user.length + batch.admin.length;
  if (received === 0 && payload.ignored === 0)
    throw await refuse(
      "bad_request",
      "no_events",
      `No event could be stored: ${invalidReasons[0] ?? "none found"}.`,
    );
  if (invalidReasons.length > 0)
    await recordRejected(
      sql,
      source.sourceId,
      `invalid_event: ${invalidReasons[0]}`,
      now,
      invalidReasons.length,
    );
  const stored = received > 0 ? await writer.write(batch) : 0;
  return {
    received,
    stored,
    ignored: payload.ignored,
    invalid: invalidReasons.length,
    invalidReasons: invalidReasons.slice(0, 5),
  };
}

/**
 * The realm of an event whose payload does not name it (namedRealm): the name of the realm with its id (as
 * the sync recorded it), else the `realm` parameter. Older Phase Two versions put the realm's name in realmId;
 * Keycloak's representations put its UUID there.
 */
async function realmOf(
  sql: postgres.Sql,
  sourceId: string,
  pushed: PushedEvent,
  defaultRealm: string | undefined,
  now: number,
): Promise<string> {
  const id = (pushed.event as { realmId?: string | null }).realmId;
  const byId = id && UUID.test(id) ? await realmNameOfId(sql, sourceId, id, now) : null;
  return (byId || defaultRealm || id || "(unknown)").slice(0, 256);
}

/** The realm's name when the payload says it. */
function namedRealm(pushed: PushedEvent): string | null {
  const named = (pushed.event as { realmName?: string | null }).realmName || pushed.realmHint;
  return named ? named.slice(0, 256) : null;
}

/** Realm names by Keycloak realm id, this source's first; known ids cached 10 minutes, unknown ones 5 seconds. */
const realmCache = new Map<string, { name: string | null; until: number }>();

async function realmNameOfId(
  sql: postgres.Sql,
  sourceId: string,
  id: string,
  now: number,
): Promise<string | null> {
  const key = `${sourceId}/${id}`;
  const hit = realmCache.get(key);
  if (hit && now < hit.until) return hit.name;
  const [row] = await sql<{ name: string }[]>`
    select name from realms where keycloak_id = ${id}
    order by (source_id = ${sourceId}::uuid) desc limit 1`;
  if (realmCache.size > 10_000) realmCache.clear();
  realmCache.set(key, { name: row?.name ?? null, until: now + (row ? 600_000 : 5_000) });
  return row?.name ?? null;
}
