/**
 * npm run bench -- import [--lines N] [--batch N] [--keep]
 *
 * A log import end to end: a generated 1,000,000-line Keycloak server log (jboss-logging event lines quoted
 * and unquoted, JSON console records, the HTTP access log with its 401/403/400 answers, startup noise, stack
 * traces and a few unreadable lines) is streamed from a temp file through importLog into a fresh PostgreSQL:
 * read, parse, classify, de-duplicate, COPY, rollups, in atomic batches. Reports lines/s, events stored and
 * peak RSS, and the parse-only lines/s of the same file (readLines + parsers, no database) for comparison.
 * The goal is 200,000 lines/s with bounded memory; the result says whether it was met.
 */
import { once } from "node:events";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { importLog } from "@/lib/ingest/import/import-log";
import type { KeycloakUserEvent } from "@/lib/keycloak/types";
import { formatKeycloakEventLine } from "@/lib/logs/format-keycloak-event-line";
import { parseAccessLogLine } from "@/lib/logs/parse-access-log-line";
import { parseKeycloakEventLine } from "@/lib/logs/parse-keycloak-event-line";
import { readLines } from "@/lib/logs/read-lines";
import { seededRandom as prng } from "@/testkit/seeded-random";
import { SITUATIONS } from "@/testkit/situations";
import { openBenchDatabase, rssSampler } from "./bench-db";

const GOAL_LINES_PER_SEC = 200_000;
const DAY = "2025-06-03";
const READ_CHUNK = 256 * 1024;

export async function run(args: string[]): Promise<Record<string, unknown>> {
  const { values } = parseArgs({
    args,
    options: {
      lines: { type: "string", default: "1000000" },
      batch: { type: "string", default: "5000" },
      keep: { type: "boolean", default: false },
    },
  });
  const lines = Math.max(1000, Math.min(10_000_000, Number(values.lines) || 1_000_000));
  const batchSize = Math.max(100, Number(values.batch) || 5000);
  const log = (m: string) => process.stderr.write(`[bench import] ${m}\n`);
  const dir = await mkdtemp(join(tmpdir(), "realmwatch-import-"));
  const file = join(dir, "keycloak.log");
  try {
    const generated = performance.now();
    await generateLog(file, lines);
    const bytes = (await stat(file)).size;
    log(`generated ${lines.toLocaleString("en")} lines (${mib(bytes)} MiB) in ${ms(generated)} ms`);

    const parseOnly = await parseOnlyRate(file);
    log(`parse only: ${parseOnly.linesPerSec.toLocaleString("en")} lines/s`);

    const { db, sql, serverVersion } = await openBenchDatabase();
    try {
      const [source] = await sql<{ id: string }[]>`
        insert into sources (id, name, kind, updated_at) values (gen_random_uuid(), 'bench-import', 'import', now())
        returning id`;
      const rss = rssSampler();
      const cpu = process.cpuUsage();
      const start = performance.now();
      let lastLog = start;
      const report = await importLog(sql, createReadStream(file, { highWaterMark: READ_CHUNK }), {
        sourceId: source!.id,
        timeZone: "UTC",
        defaultDate: DAY,
        batchSize,
        onProgress: (r) => {
          const now = performance.now();
          if (now - lastLog < 2000) return;
          lastLog = now;
          log(`${r.lines.toLocaleString("en")} lines, ${r.stored.toLocaleString("en")} stored`);
        },
      });
      const seconds = (performance.now() - start) / 1000;
      const used = process.cpuUsage(cpu);
      rss.stop();
      const [count] = await sql<{ n: number }[]>`select count(*)::int as n from user_events`;
      const linesPerSec = Math.round(lines / seconds);
      log(
        `end to end: ${linesPerSec.toLocaleString("en")} lines/s (goal ${GOAL_LINES_PER_SEC.toLocaleString("en")}), ${report.stored.toLocaleString("en")} events stored, peak RSS ${rss.peakMiB()} MiB`,
      );
      return {
        lines,
        fileMiB: mib(bytes),
        batchSize,
        seconds: Math.round(seconds * 100) / 100,
        linesPerSec,
        goalLinesPerSec: GOAL_LINES_PER_SEC,
        meetsGoal: linesPerSec >= GOAL_LINES_PER_SEC,
        eventsPerSec: Math.round(report.stored / seconds),
        events: report.events,
        eventsStored: report.stored,
        userEventRows: count?.n ?? 0,
        skipped: report.skipped,
        otherLines: report.notEvents,
        peakRssMiB: rss.peakMiB(),
        // This process's CPU for the import (PostgreSQL's is not included): steadier than wall time.
        cpuMicrosPerLine: Math.round(((used.user + used.system) / lines) * 100) / 100,
        parseOnly,
        postgres: serverVersion,
      };
    } finally {
      await sql.end({ timeout: 5 });
      await db.stop();
    }
  } finally {
    if (values.keep) log(`kept ${file}`);
    else await rm(dir, { recursive: true, force: true });
  }
}

/** readLines and the line parsers over the same file, no classification and no database: the ceiling. */
async function parseOnlyRate(file: string): Promise<{ seconds: number; linesPerSec: number }> {
  const options = { timeZone: "UTC", defaultDate: DAY };
  let lines = 0;
  const start = performance.now();
  for await (const line of readLines(createReadStream(file, { highWaterMark: READ_CHUNK }))) {
    lines = line.lineNo;
    if (line.skipped !== undefined) continue;
    if (parseKeycloakEventLine(line.text, options) === null) parseAccessLogLine(line.text);
  }
  const seconds = (performance.now() - start) / 1000;
  return { seconds: Math.round(seconds * 100) / 100, linesPerSec: Math.round(lines / seconds) };
}

// ---- the generated log ----

const pick = <T>(items: readonly T[], random: () => number): T =>
  items[Math.floor(random() * items.length)] as T;

const NOISE = [
  "INFO  [org.keycloak.services] (main) KC-SERVICES0009: Added user 'admin' to realm 'master'",
  "WARN  [org.keycloak.services] (executor-thread-3) KC-SERVICES0013: Failed authentication: org.keycloak.authentication.AuthenticationFlowException",
  "ERROR [org.keycloak.services.error.KeycloakErrorHandler] (executor-thread-9) Uncaught server error: java.lang.NullPointerException",
  "INFO  [org.infinispan.CLUSTER] (jgroups-9,kc-0) ISPN000094: Received new cluster view for channel ISPN: [kc-0|3] (2) [kc-0, kc-1]",
];
const STACK =
  "\tat org.keycloak.authentication.AuthenticationProcessor.authenticateOnly(AuthenticationProcessor.java:1038)";
/** Requests as a busy realm sees them: mostly successes, some denials Keycloak writes no event for. */
const REQUESTS: readonly { method: string; path: string; statuses: readonly number[] }[] = [
  {
    method: "POST",
    path: "/realms/acme/protocol/openid-connect/token",
    statuses: [200, 200, 200, 200, 400, 401, 403],
  },
  {
    method: "GET",
    path: "/realms/acme/protocol/openid-connect/auth?client_id=shop-frontend&response_type=code",
    statuses: [200, 302, 302, 400],
  },
  {
    method: "GET",
    path: "/admin/realms/acme/users/5f0c6a7e-2b1d-4c44-9d1e-0d6f3c1a9b21",
    statuses: [200, 200, 403, 401],
  },
  { method: "GET", path: "/realms/acme/protocol/openid-connect/userinfo", statuses: [200, 200, 200, 403] },
  { method: "OPTIONS", path: "/realms/acme/protocol/openid-connect/token", statuses: [200, 200, 403] },
  { method: "GET", path: "/resources/x1y2z/login/keycloak.v2/css/styles.css", statuses: [200, 304] },
];

function stamp(ms: number): string {
  return new Date(ms).toISOString().replace("T", " ").replace("Z", "").replace(".", ",");
}

function clfTime(ms: number): string {
  const [, day, month, year, time] = new Date(ms).toUTCString().split(" ");
  return `${day}/${month}/${year}:${time} +0000`;
}

/** Event bodies drawn from the catalogue's situations; each line gets its own time, user and address. */
function eventBodies(random: () => number): { event: Omit<KeycloakUserEvent, "time">; failure: boolean }[] {
  return Array.from({ length: 2000 }, () => {
    const situation = pick(SITUATIONS, random);
    const base =
      situation.event !== undefined && random() < 0.5
        ? situation.event
        : {
            type: pick(["LOGIN", "CODE_TO_TOKEN", "REFRESH_TOKEN"], random),
            clientId: "shop-frontend",
            details: { auth_method: "openid-connect" },
          };
    const event = { realmId: "4c3d9a0e-1b7f-4a52-8e61-2f0b9c7d5a13", realmName: "acme", ...base };
    return { event, failure: event.error != null };
  });
}

function logLine(random: () => number, at: number, bodies: ReturnType<typeof eventBodies>): string {
  const roll = random();
  if (roll < 0.35) {
    const { event, failure } = pick(bodies, random);
    const full: KeycloakUserEvent = {
      ...event,
      time: at,
      userId: `u-${Math.floor(random() * 50_000)}`,
      ipAddress: `198.51.${Math.floor(random() * 200)}.${Math.floor(random() * 250)}`,
    };
    const body = formatKeycloakEventLine(full, random() < 0.8 ? "quoted" : "unquoted");
    const level = failure ? "WARN" : "DEBUG";
    if (random() < 0.85)
      return `${stamp(at)} ${level.padEnd(5)} [org.keycloak.events] (executor-thread-7) ${body}`;
    return `{"timestamp":"${new Date(at).toISOString()}","loggerName":"org.keycloak.events","level":"${level}","message":${JSON.stringify(body)}}`;
  }
  if (roll < 0.7) {
    const request = pick(REQUESTS, random);
    const status = pick(request.statuses, random);
    const ip = `10.0.${Math.floor(random() * 250)}.${Math.floor(random() * 250)}`;
    const referer =
      request.method === "OPTIONS" || random() < 0.2 ? "https://app.acme.example/checkout" : "-";
    return `${stamp(at)} INFO  [org.keycloak.http.access-log] (executor-thread-4) ${ip} - - [${clfTime(at)}] "${request.method} ${request.path} HTTP/1.1" ${status} ${Math.floor(random() * 4000)} "${referer}" "Mozilla/5.0 (X11; Linux x86_64) Firefox/126.0"`;
  }
  if (roll < 0.9995) return random() < 0.5 ? STACK : `${stamp(at)} ${pick(NOISE, random)}`;
  return "\u0001\u0002 binary \u0003";
}

async function generateLog(path: string, lines: number): Promise<void> {
  const random = prng(42);
  const bodies = eventBodies(random);
  const out = createWriteStream(path);
  let at = Date.parse(`${DAY}T00:00:00Z`);
  let batch: string[] = [];
  for (let i = 0; i < lines; i++) {
    at += Math.floor(random() * 80);
    batch.push(logLine(random, at, bodies));
    if (batch.length === 10_000) {
      if (!out.write(`${batch.join("\n")}\n`)) await once(out, "drain");
      batch = [];
    }
  }
  if (batch.length > 0) out.write(`${batch.join("\n")}\n`);
  out.end();
  await once(out, "finish");
}

const mib = (bytes: number) => Math.round(bytes / 2 ** 20);
const ms = (since: number) => Math.round(performance.now() - since);
