import { createHash } from "node:crypto";
import type postgres from "postgres";
import { z } from "zod";
import { importLog } from "@/lib/ingest/import/import-log";
import { reportRow } from "@/lib/ingest/reports/report-row";
import { writeUserEvents } from "@/lib/ingest/write/write-events";
import type { UserEventRow } from "@/lib/keycloak/event-rows";
import { isAppError } from "@/lib/server/errors";

/**
 * The zero-configuration demo's denials that Keycloak never records as events: access-log lines (admin REST
 * 403s, refused CORS preflights, token-endpoint 403s) and resource-server reports, pulled from the demo
 * server's control API (`GET /__demo/access-log|reports?after=N`) and stored the way a real deployment
 * stores them: access lines through importLog, reports through reportRow, the path POST /api/reports takes
 * after the signature check.
 *
 * The `after` cursors live in app_state under `demo-feed:<sourceId>`. A cursor is saved after its page is
 * stored, so a crash between the two re-reads one page: access lines are fingerprinted and reports carry a
 * nonce derived from their content, so nothing is stored twice.
 */
export interface DemoFeedOptions {
  /** Lines or reports per request to the demo server. */
  pageSize?: number;
  /** Pages per kind per call: bounds one poll's work while the demo's 14-day history is caught up. */
  maxPages?: number;
  fetch?: typeof fetch;
}

export interface DemoFeedResult {
  accessLines: number;
  accessEventsStored: number;
  reports: number;
  reportsStored: number;
  /** True while either cursor is behind the demo server (call again). */
  more: boolean;
}

const cursorsSchema = z.object({ accessLog: z.number().int().min(0), reports: z.number().int().min(0) });
type Cursors = z.infer<typeof cursorsSchema>;

const linesPage = z.object({ lines: z.array(z.string()), next: z.number().int().min(0) });
const reportsPage = z.object({ reports: z.array(z.unknown()), next: z.number().int().min(0) });

export async function feedDemoDenials(
  sql: postgres.Sql,
  demoUrl: string,
  sourceId: string,
  options: DemoFeedOptions = {},
): Promise<DemoFeedResult> {
  const pageSize = options.pageSize ?? 5000;
  const maxPages = options.maxPages ?? 10;
  const get = options.fetch ?? fetch;
  const base = demoUrl.replace(/\/+$/, "");
  const key = `demo-feed:${sourceId}`;
  const cursors = await loadCursors(sql, key);
  const result: DemoFeedResult = {
    accessLines: 0,
    accessEventsStored: 0,
    reports: 0,
    reportsStored: 0,
    more: false,
  };

  const page = async <T>(path: string, after: number, schema: z.ZodType<T>) => {
    const res = await get(`${base}${path}?after=${after}&limit=${pageSize}`, {
      signal: AbortSignal.timeout(15_000),
    });
    if (!res.ok) throw new Error(`The demo server answered ${res.status} to ${path}.`);
    return schema.parse(await res.json());
  };

  for (let i = 0; i < maxPages; i++) {
    const p = await page("/__demo/access-log", cursors.accessLog, linesPage);
    if (p.next < cursors.accessLog) {
      // The demo server restarted (its log is in memory): read it again from its beginning.
      cursors.accessLog = 0;
      continue;
    }
    if (p.lines.length === 0) break;
    const report = await importLog(sql, linesOf(p.lines), { sourceId });
    result.accessLines += p.lines.length;
    result.accessEventsStored += report.stored;
    cursors.accessLog = p.next;
    await saveCursors(sql, key, cursors);
    result.more = i === maxPages - 1;
  }

  for (let i = 0; i < maxPages; i++) {
    const p = await page("/__demo/reports", cursors.reports, reportsPage);
    if (p.next < cursors.reports) {
      cursors.reports = 0;
      continue;
    }
    if (p.reports.length === 0) break;
    result.reports += p.reports.length;
    result.reportsStored += await storeDemoReports(sql, sourceId, p.reports);
    cursors.reports = p.next;
    await saveCursors(sql, key, cursors);
    result.more ||= i === maxPages - 1;
  }
  return result;
}

async function* linesOf(lines: string[]): AsyncIterable<string> {
  yield `${lines.join("\n")}\n`;
}

/**
 * The report endpoint's path minus the signature (the demo server is trusted): the same checks, claims and
 * classification (reportRow), written in one batch per realm. The nonce is the body's hash and the signed
 * time the report's own, so a report fed twice has the same id and is stored once.
 */
async function storeDemoReports(sql: postgres.Sql, sourceId: string, reports: unknown[]): Promise<number> {
  const byRealm = new Map<string, UserEventRow[]>();
  for (const report of reports) {
    const body = JSON.stringify(report);
    const time = (report as { time?: unknown } | null)?.time;
    const at = typeof time === "number" && Number.isFinite(time) ? time : Date.now();
    const nonce = createHash("sha256").update(body).digest("base64url").slice(0, 43);
    try {
      const { row } = reportRow(sourceId, nonce, at, body);
      const rows = byRealm.get(row.realm);
      if (rows) rows.push(row);
      else byRealm.set(row.realm, [row]);
    } catch (err) {
      // A report the endpoint would refuse with 400 is the demo's bug, not a reason to stop the feed.
      if (!isAppError(err)) throw err;
    }
  }
  let stored = 0;
  for (const rows of byRealm.values()) stored += await writeUserEvents(sql, rows);
  return stored;
}

async function loadCursors(sql: postgres.Sql, key: string): Promise<Cursors> {
  const [row] = await sql<{ value: unknown }[]>`select value from app_state where key = ${key}`;
  const parsed = cursorsSchema.safeParse(row?.value);
  return parsed.success ? parsed.data : { accessLog: 0, reports: 0 };
}

async function saveCursors(sql: postgres.Sql, key: string, cursors: Cursors): Promise<void> {
  await sql`
    insert into app_state (key, value, updated_at) values (${key}, ${sql.json(cursors)}, now())
    on conflict (key) do update set value = excluded.value, updated_at = now()`;
}

/**
 * The feed as a job the realmwatch server runs after each sync (lib/jobs.ts `before`): only the demo start path
 * adds it, when it started this demo Keycloak (REALMWATCH_DEMO_KEYCLOAK_URL).
 */
export function demoFeedJob(demoUrl: string): { name: string; run(sql: postgres.Sql): Promise<void> } {
  return {
    name: "demo feed",
    run: async (sql) => {
      const [demo] = await sql<{ id: string }[]>`select id from sources where name = 'demo'`;
      if (demo) await feedDemoDenials(sql, demoUrl, demo.id);
    },
  };
}
