import type postgres from "postgres";
import { classifyAccessLogRecord } from "@/lib/classify/classify-access-log-record";
import { classifyRow } from "@/lib/ingest/write/classify-row";
import { dropRowsSeenByApi, writeAdminEvents, writeUserEvents } from "@/lib/ingest/write/write-events";
import {
  type AdminEventRow,
  isRejected,
  toAdminEventRow,
  toUserEventRow,
  type UserEventRow,
} from "@/lib/keycloak/event-rows";
import type { EventOrigin, KeycloakAdminEvent, KeycloakUserEvent } from "@/lib/keycloak/types";
import type { AccessLogRecord } from "@/lib/logs/access-log-record";
import { type DetectedFormat, detectFormat } from "@/lib/logs/detect-format";
import { isDenialCandidate, parseAccessLogLine } from "@/lib/logs/parse-access-log-line";
import { type JsonEventResult, parseEventJson, parseEventJsonDocument } from "@/lib/logs/parse-event-json";
import { parseKeycloakEventLine } from "@/lib/logs/parse-keycloak-event-line";
import { readLines, type SkipReason } from "@/lib/logs/read-lines";
import { assertTimeZone, type TimeAssumption } from "@/lib/logs/resolve-log-time";
import { requestOrigin } from "./request-origin";

/**
 * Imports what Keycloak never records as events, or what a realm never saved: jboss-logging event lines (every
 * variant), event JSON, and HTTP access logs (401/403, and 400 on the token endpoint). Unreadable and
 * hostile lines are skipped with their line numbers; every batch of rows is written atomically, and a
 * re-import stores nothing twice (content fingerprints), so an interrupted import is simply run again.
 * Log rows of events the API already delivered are not stored (see write-events.ts, supersedeLogRows).
 */
export interface ImportOptions {
  sourceId: string;
  /** Realm for lines that name none (access logs of non-Keycloak paths, admin lines). */
  defaultRealm?: string;
  /** Zone of timestamps written without one (default UTC) and the date of time-only timestamps. */
  timeZone?: string;
  defaultDate?: string;
  batchSize?: number;
  maxLineBytes?: number;
  /** Text bytes read (after gzip) past which the import stops with a 413; unset: no limit (the CLI). */
  maxTextBytes?: number;
  onProgress?: (r: ImportReport) => void;
  now?: number;
  /**
   * Where the rows go; by default each batch is written in its own transaction (writeUserEvents,
   * writeAdminEvents). The push receiver passes its shared writer, which commits the batches of concurrent
   * requests together. Resolves with how many rows were new.
   */
  write?: ImportWriter;
}

export interface ImportWriter {
  user(rows: UserEventRow[]): Promise<number>;
  admin(rows: AdminEventRow[]): Promise<number>;
}

export interface ImportReport {
  format: DetectedFormat["format"] | "empty";
  lines: number;
  events: number;
  stored: number;
  alreadyStored: number;
  notEvents: number;
  skipped: number;
  skippedByReason: Partial<Record<SkipReason | "invalid-event", number>>;
  skippedSamples: { lineNo: number; reason: string }[];
  timeAssumptions: Partial<Record<TimeAssumption, number>>;
  assumption: string;
  /** Failures read, by cause id (stored or already stored). */
  causes: Record<string, number>;
  /** Failures read, by origin: "log" (jboss-logging lines), "access-log", "api" (event JSON). */
  origins: Partial<Record<EventOrigin, number>>;
}

const SAMPLE_LIMIT = 100;
const EVENT_JSON_KEY = /"(?:type|operationType)"\s*:\s*"[A-Z_]+"/;

export async function importLog(
  sql: postgres.Sql,
  input: AsyncIterable<Uint8Array | string>,
  opts: ImportOptions,
): Promise<ImportReport> {
  const timeZone = opts.timeZone ?? "UTC";
  assertTimeZone(timeZone);
  const now = opts.now ?? Date.now();
  const batchSize = opts.batchSize ?? 5000;
  const report: ImportReport = {
    format: "empty",
    lines: 0,
    events: 0,
    stored: 0,
    alreadyStored: 0,
    notEvents: 0,
    skipped: 0,
    skippedByReason: {},
    skippedSamples: [],
    timeAssumptions: {},
    causes: {},
    origins: {},
    assumption: `timestamps without a zone are read as ${timeZone}${opts.defaultDate ? `; time-only timestamps are on ${opts.defaultDate}` : ""}; lines without a timestamp get the import time`,
  };
  const realmById = await loadRealmIds(sql, opts.sourceId);
  const clientsOf = await loadClientIds(sql, opts.sourceId);
  const userBatches = new Map<string, UserEventRow[]>();
  const adminBatches = new Map<string, AdminEventRow[]>();

  const skip = (lineNo: number, reason: SkipReason | "invalid-event", detail?: string) => {
    report.skipped++;
    report.skippedByReason[reason] = (report.skippedByReason[reason] ?? 0) + 1;
    if (report.skippedSamples.length < SAMPLE_LIMIT)
      report.skippedSamples.push({ lineNo, reason: detail ? `${reason}: ${detail}` : reason });
  };

  // One batch is written while the next is parsed (measured: the parser otherwise idles ~40% of the time
  // waiting for PostgreSQL); at most one write is in flight, so memory stays bounded by two batches.
  let writing: Promise<void> | null = null;
  const startWrite = async (write: () => Promise<void>) => {
    if (writing) await writing;
    const next = write();
    next.catch(() => {}); // rethrown by the next await of `writing`
    writing = next;
  };
  const flushUser = (realm: string, rows: UserEventRow[]) => {
    userBatches.delete(realm);
    return startWrite(async () => {
      const logRows = rows.filter((r) => r.origin === "log");
      const fresh =
        logRows.length > 0
          ? [...rows.filter((r) => r.origin !== "log"), ...(await dropRowsSeenByApi(sql, logRows))]
          : rows;
      const n = opts.write
        ? await opts.write.user(fresh)
        : await writeUserEvents(sql, fresh, { supersedeLogRows: fresh.some((r) => r.origin === "api") });
      report.stored += n;
      report.alreadyStored += rows.length - n;
      opts.onProgress?.(report);
    });
  };
  const flushAdmin = (realm: string, rows: AdminEventRow[]) => {
    adminBatches.delete(realm);
    return startWrite(async () => {
      const n = opts.write ? await opts.write.admin(rows) : await writeAdminEvents(sql, rows);
      report.stored += n;
      report.alreadyStored += rows.length - n;
      opts.onProgress?.(report);
    });
  };
  const addUser = async (row: UserEventRow, classified = false) => {
    report.events++;
    if (!classified) classifyRow(row);
    if (row.isFailure) {
      if (row.cause) report.causes[row.cause] = (report.causes[row.cause] ?? 0) + 1;
      report.origins[row.origin] = (report.origins[row.origin] ?? 0) + 1;
    }
    const list = userBatches.get(row.realm) ?? [];
    list.push(row);
    userBatches.set(row.realm, list);
    if (list.length >= batchSize) await flushUser(row.realm, list);
  };
  const addAdmin = async (row: AdminEventRow) => {
    report.events++;
    const list = adminBatches.get(row.realm) ?? [];
    list.push(row);
    adminBatches.set(row.realm, list);
    if (list.length >= batchSize) await flushAdmin(row.realm, list);
  };

  const realmOfEvent = (e: { realmName?: string | null; realmId?: string | null }) =>
    e.realmName ||
    (e.realmId ? (realmById.get(e.realmId) ?? e.realmId) : null) ||
    opts.defaultRealm ||
    "(unknown)";

  const userRow = async (lineNo: number, event: KeycloakUserEvent, origin: EventOrigin) => {
    const row = toUserEventRow(event.time ? event : { ...event, time: now }, {
      sourceId: opts.sourceId,
      realm: realmOfEvent(event),
      origin,
    });
    if (isRejected(row)) return skip(lineNo, "invalid-event", row.rejected);
    await addUser(row);
  };
  const adminRow = async (lineNo: number, event: KeycloakAdminEvent, realm: string, origin: EventOrigin) => {
    const row = toAdminEventRow(event.time ? event : { ...event, time: now }, {
      sourceId: opts.sourceId,
      realm,
      origin,
    });
    if (isRejected(row)) return skip(lineNo, "invalid-event", row.rejected);
    await addAdmin(row);
  };
  const accessRow = async (lineNo: number, rec: AccessLogRecord) => {
    if (!isDenialCandidate(rec)) {
      report.notEvents++;
      return;
    }
    const realm = /\/realms\/([^/?#]+)/.exec(rec.path)?.[1] ?? opts.defaultRealm ?? "(unknown)";
    const details: Record<string, string> = {
      method: rec.method,
      path: rec.path,
      status: String(rec.status),
    };
    if (rec.host) details.host = rec.host;
    if (rec.origin) details.origin = rec.origin;
    if (rec.userAgent) details.user_agent = rec.userAgent;
    if (rec.referer) details.referer = rec.referer;
    if (rec.query) details.query = rec.query;
    if (rec.format) details.access_log = rec.format;
    // Access logs name no client unless they log the bearer token; a service's user agent often does
    // ("acme-reporting/2.4 node"): its product name, when it is a client of the realm, names the caller.
    const byAgent = rec.clientId ? null : clientOfUserAgent(rec.userAgent, clientsOf.get(safeRealm(realm)));
    if (byAgent) details.client_from = "user-agent";
    const row = toUserEventRow(
      {
        time: rec.time ?? now,
        type: "HTTP_DENIAL",
        clientId: rec.clientId ?? byAgent,
        userId: rec.bearerSubject ?? null,
        ipAddress: rec.ipAddress,
        error: rec.status === 401 ? "unauthorized" : rec.status === 403 ? "forbidden" : "bad_request",
        details,
      },
      { sourceId: opts.sourceId, realm: safeRealm(realm), origin: "access-log" },
    );
    if (isRejected(row)) return skip(lineNo, "invalid-event", row.rejected);
    row.httpMethod = rec.method.slice(0, 16);
    row.httpPath = rec.path.slice(0, 2048);
    row.httpStatus = rec.status;
    // Classified from the record, not the row: the CORS rules need the request's Origin and Host.
    const verdict = classifyAccessLogRecord({ ...rec, origin: requestOrigin(rec) ?? undefined });
    if (verdict) {
      row.cause = verdict.cause;
      row.ruleId = verdict.ruleId;
      row.confidence = verdict.confidence;
      row.evidence = verdict.evidence;
      row.catalogueVersion = verdict.catalogueVersion;
    }
    await addUser(row, verdict !== null);
  };

  let detected: DetectedFormat | null = null;
  const pending: { lineNo: number; text: string }[] = [];
  let documentText: string[] | null = null;

  const jsonRows = async (lineNo: number, results: JsonEventResult[]) => {
    for (const r of results) {
      if (!r.ok) skip(lineNo, "invalid-event", r.error);
      else if (r.kind === "user") await userRow(lineNo, r.event, "api");
      else await adminRow(lineNo, r.event, realmOfEvent(r.event), "api");
    }
  };

  const handle = async (lineNo: number, text: string, format: DetectedFormat) => {
    if (format.format === "event-json" && format.layout === "document") {
      documentText?.push(text);
      return;
    }
    if (format.format === "event-json") {
      const results = parseEventJson(text);
      if (results !== null) return jsonRows(lineNo, results);
      if (/^\s*[{[]/.test(text) && !isJson(text))
        return skip(lineNo, "invalid-event", "truncated or malformed JSON");
      if (text.trim()) report.notEvents++;
      return;
    }
    // Event JSON pasted into a server log (a mixed file): only lines naming an event type are tried as such.
    if (text.startsWith("{") && EVENT_JSON_KEY.test(text)) {
      const results = parseEventJson(text);
      if (results?.some((r) => r.ok)) return jsonRows(lineNo, results);
      if (!isJson(text)) return skip(lineNo, "invalid-event", "truncated or malformed JSON");
    }
    const parsed = parseKeycloakEventLine(text, { timeZone, defaultDate: opts.defaultDate });
    if (parsed) {
      report.timeAssumptions[parsed.timeAssumption] =
        (report.timeAssumptions[parsed.timeAssumption] ?? 0) + 1;
      if (parsed.kind === "user") await userRow(lineNo, parsed.event, "log");
      else
        await adminRow(
          lineNo,
          parsed.event,
          opts.defaultRealm ?? parsed.authRealmName ?? realmOfEvent(parsed.event),
          "log",
        );
      return;
    }
    const access = parseAccessLogLine(text);
    if (access) return accessRow(lineNo, access);
    report.notEvents++;
  };

  for await (const line of readLines(input, {
    maxLineBytes: opts.maxLineBytes,
    maxTotalBytes: opts.maxTextBytes,
  })) {
    report.lines = line.lineNo;
    if (line.skipped !== undefined) {
      skip(line.lineNo, line.skipped);
      continue;
    }
    if (!detected) {
      pending.push({ lineNo: line.lineNo, text: line.text });
      if (pending.length < 200) continue;
      detected = startFormat(pending.map((p) => p.text));
      if (detected.format === "event-json" && detected.layout === "document") documentText = [];
      for (const p of pending) await handle(p.lineNo, p.text, detected);
      pending.length = 0;
      continue;
    }
    await handle(line.lineNo, line.text, detected);
  }
  if (!detected && pending.length > 0) {
    detected = startFormat(pending.map((p) => p.text));
    if (detected.format === "event-json" && detected.layout === "document") documentText = [];
    for (const p of pending) await handle(p.lineNo, p.text, detected);
  }
  if (documentText) {
    await jsonRows(0, parseEventJsonDocument(documentText.join("\n")));
  }
  report.format = detected?.format ?? "empty";
  for (const [realm, rows] of [...userBatches]) await flushUser(realm, rows);
  for (const [realm, rows] of [...adminBatches]) await flushAdmin(realm, rows);
  if (writing) await writing;
  return report;
}

/** Unknown formats are still tried line by line as Keycloak output (event lines and access-log lines). */
function startFormat(sample: string[]): DetectedFormat {
  const d = detectFormat(sample);
  return d.format === "unknown" ? { ...d, format: "keycloak-log" } : d;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function safeRealm(realm: string): string {
  try {
    return decodeURIComponent(realm).slice(0, 256);
  } catch {
    return realm.slice(0, 256);
  }
}

async function loadRealmIds(sql: postgres.Sql, sourceId: string): Promise<Map<string, string>> {
  const rows = await sql<{ keycloak_id: string; name: string }[]>`
    select keycloak_id, name from realms where keycloak_id is not null
    order by (source_id = ${sourceId}) desc`;
  const map = new Map<string, string>();
  for (const r of rows) if (!map.has(r.keycloak_id)) map.set(r.keycloak_id, r.name);
  return map;
}

/** Each realm's clientIds (the sync's client list and names learnt from admin events), for user agents. */
async function loadClientIds(sql: postgres.Sql, sourceId: string): Promise<Map<string, Set<string>>> {
  const rows = await sql<{ realm: string; name: string }[]>`
    select realm, name from entity_names where source_id = ${sourceId}::uuid and kind = 'client'`;
  const map = new Map<string, Set<string>>();
  for (const r of rows) map.set(r.realm, (map.get(r.realm) ?? new Set()).add(r.name));
  return map;
}

/** The client a user agent names by its first product token ("acme-reporting/2.4 node"), if the realm has it. */
export function clientOfUserAgent(
  userAgent: string | undefined,
  clients: Set<string> | undefined,
): string | null {
  if (!userAgent || !clients || clients.size === 0) return null;
  const product = /^([A-Za-z0-9][A-Za-z0-9._-]{0,254})(?:\/|\s|$)/.exec(userAgent)?.[1];
  return product && clients.has(product) ? product : null;
}
