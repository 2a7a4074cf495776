/**
 * npm run -s classify [-- options] < input
 *
 * Reads Keycloak output on stdin (`kubectl logs keycloak`, docker-compose, journald, JSON console logs,
 * any mix with non-event lines, Keycloak's own access log) or event JSON from the Admin REST API (one
 * object per line, arrays, or one pretty-printed document), and writes one JSON object per event to
 * stdout: the parsed fields plus cause, confidence, evidence, fix and ruleId (null for successes).
 * A summary of skipped lines goes to stderr. Exit 0 unless stdin cannot be read (1) or an option is bad (2).
 *
 * Options:
 *   --date yyyy-MM-dd        date for lines that carry only a time (WildFly) or no year (syslog); default today (UTC)
 *   --tz <IANA zone>         zone for timestamps without one; default UTC
 *   --keycloak-version <v>   server version, where it changes a verdict (e.g. 26.4.2)
 *   --causes-doc             print docs/causes.md (generated from the catalogue) and exit
 */
import { once } from "node:events";
import { classify, classifyUserEvent } from "@/lib/classify/classify";
import { classifyAccessLogRecord } from "@/lib/classify/classify-access-log-record";
import type { Classification, ClassifyContext } from "@/lib/classify/types";
import type { EventOrigin, KeycloakAdminEvent, KeycloakUserEvent } from "@/lib/keycloak/types";
import type { AccessLogRecord } from "@/lib/logs/access-log-record";
import { isDenialCandidate, parseAccessLogLine } from "@/lib/logs/parse-access-log-line";
import { type JsonEventResult, parseEventJson, parseEventJsonDocument } from "@/lib/logs/parse-event-json";
import { type EventLineOptions, parseKeycloakEventLine } from "@/lib/logs/parse-keycloak-event-line";
import { readLines, type SkipReason } from "@/lib/logs/read-lines";
import { assertTimeZone } from "@/lib/logs/resolve-log-time";
import { unwrapJsonLogLine } from "@/lib/logs/unwrap-json-log-line";
import { renderCausesDoc } from "@/scripts/docs/render-causes-doc";

interface Options {
  lineOptions: EventLineOptions;
  ctx: ClassifyContext;
  causesDoc: boolean;
}

const MAX_LISTED_LINES = 20;
const MAX_DOCUMENT_BYTES = 512 * 1024 * 1024;

function parseArgs(argv: string[]): Options {
  const options: Options = {
    lineOptions: { defaultDate: new Date().toISOString().slice(0, 10), timeZone: "UTC" },
    ctx: {},
    causesDoc: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${arg} needs a value`);
      return next;
    };
    if (arg === "--causes-doc") options.causesDoc = true;
    else if (arg === "--date") {
      const date = value();
      if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`--date must be yyyy-MM-dd, not "${date}"`);
      options.lineOptions.defaultDate = date;
    } else if (arg === "--tz") {
      const zone = value();
      assertTimeZone(zone);
      options.lineOptions.timeZone = zone;
    } else if (arg === "--keycloak-version") options.ctx.keycloakVersion = value();
    else throw new Error(`unknown option ${arg}`);
  }
  return options;
}

/** Batches output lines and respects stdout's backpressure. */
class Output {
  private buffer: string[] = [];
  private bytes = 0;
  async write(record: object): Promise<void> {
    const line = `${JSON.stringify(record)}\n`;
    this.buffer.push(line);
    this.bytes += line.length;
    if (this.bytes >= 64 * 1024) await this.flush();
  }
  async flush(): Promise<void> {
    if (this.buffer.length === 0) return;
    const chunk = this.buffer.join("");
    this.buffer = [];
    this.bytes = 0;
    if (!process.stdout.write(chunk)) await once(process.stdout, "drain");
  }
}

function verdictFields(verdict: Classification | null) {
  return {
    cause: verdict?.cause ?? null,
    confidence: verdict?.confidence ?? null,
    evidence: verdict?.evidence ?? null,
    fix: verdict?.fix ?? null,
    ruleId: verdict?.ruleId ?? null,
  };
}

/** `time` is null for log lines without a usable timestamp (the parser's event.time is 0 then). */
function userRecord(
  event: KeycloakUserEvent,
  origin: EventOrigin,
  ctx: ClassifyContext,
  extra: object,
  time: number | null = event.time,
) {
  return {
    kind: "user",
    origin,
    ...extra,
    type: event.type,
    error: event.error ?? null,
    ...verdictFields(classifyUserEvent(event, origin, ctx)),
    time,
    realmId: event.realmId ?? null,
    realmName: event.realmName ?? null,
    clientId: event.clientId ?? null,
    userId: event.userId ?? null,
    sessionId: event.sessionId ?? null,
    ipAddress: event.ipAddress ?? null,
    details: event.details ?? null,
  };
}

function adminRecord(
  event: KeycloakAdminEvent,
  origin: EventOrigin,
  ctx: ClassifyContext,
  extra: object,
  time: number | null = event.time,
) {
  // Stock Keycloak writes admin events only on success; an error here comes from an extension.
  const verdict =
    event.error == null
      ? null
      : classify({ origin, type: `ADMIN_${event.operationType}`, error: event.error }, ctx);
  return {
    kind: "admin",
    origin,
    ...extra,
    type: null,
    operationType: event.operationType,
    error: event.error ?? null,
    ...verdictFields(verdict),
    time,
    realmId: event.realmId ?? event.authDetails?.realmId ?? null,
    clientId: event.authDetails?.clientId ?? null,
    userId: event.authDetails?.userId ?? null,
    ipAddress: event.authDetails?.ipAddress ?? null,
    resourceType: event.resourceType ?? null,
    resourcePath: event.resourcePath ?? null,
    details: event.details ?? null,
  };
}

function httpRecord(record: AccessLogRecord, ctx: ClassifyContext, lineNo: number) {
  const verdict = classifyAccessLogRecord(record, ctx);
  return {
    kind: "http",
    origin: "access-log",
    lineNo,
    type: "HTTP_DENIAL",
    error: null,
    ...verdictFields(verdict),
    time: record.time,
    clientId: record.clientId ?? null,
    userId: record.bearerSubject ?? null,
    ipAddress: record.ipAddress,
    method: record.method,
    path: record.path,
    status: record.status,
    format: record.format,
  };
}

async function writeJsonResults(
  out: Output,
  results: JsonEventResult[],
  ctx: ClassifyContext,
  lineNo?: number,
) {
  let written = 0;
  for (const result of results) {
    if (!result.ok) continue;
    const extra = lineNo === undefined ? {} : { lineNo };
    await out.write(
      result.kind === "user"
        ? userRecord(result.event, "api", ctx, extra)
        : adminRecord(result.event, "api", ctx, extra),
    );
    written++;
  }
  return written;
}

function looksLikeDocumentStart(text: string): boolean {
  const trimmed = text.trim();
  if (!(trimmed.startsWith("[") || trimmed.startsWith("{"))) return false;
  return parseEventJson(trimmed) === null && unwrapJsonLogLine(trimmed) === null;
}

async function main(): Promise<void> {
  let options: Options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`classify: ${(error as Error).message}\n`);
    process.exit(2);
  }
  if (options.causesDoc) {
    process.stdout.write(renderCausesDoc());
    return;
  }
  const { ctx, lineOptions } = options;
  const out = new Output();
  let notEvents = 0;
  let unreadable = 0;
  const unreadableLines: string[] = [];
  let document: string[] | null = null;
  let documentBytes = 0;
  let seenContent = false;

  const noteUnreadable = (lineNo: number, reason: SkipReason) => {
    unreadable++;
    if (unreadableLines.length < MAX_LISTED_LINES) unreadableLines.push(`${lineNo} (${reason})`);
  };

  try {
    for await (const line of readLines(process.stdin)) {
      if (line.skipped !== undefined) {
        noteUnreadable(line.lineNo, line.skipped);
        continue;
      }
      const text = line.text;
      if (document !== null) {
        documentBytes += text.length + 1;
        if (documentBytes <= MAX_DOCUMENT_BYTES) document.push(text);
        else noteUnreadable(line.lineNo, "too-long");
        continue;
      }
      if (text.trim().length === 0) continue;
      if (!seenContent) {
        seenContent = true;
        // A pretty-printed REST response (or an array saved from curl) is read whole at the end.
        if (looksLikeDocumentStart(text)) {
          document = [text];
          documentBytes = text.length + 1;
          continue;
        }
      }
      const first = text.trimStart()[0];
      if (first === "{" || first === "[") {
        const json = parseEventJson(text);
        if (json !== null && (await writeJsonResults(out, json, ctx, line.lineNo)) > 0) continue;
      }
      const event = parseKeycloakEventLine(text, lineOptions);
      if (event !== null) {
        const extra = { lineNo: line.lineNo, timeAssumption: event.timeAssumption, level: event.level };
        await out.write(
          event.kind === "user"
            ? userRecord(event.event, "log", ctx, extra, event.loggedAt)
            : {
                ...adminRecord(event.event, "log", ctx, extra, event.loggedAt),
                realmName: event.authRealmName,
              },
        );
        continue;
      }
      const access = parseAccessLogLine(text);
      if (access !== null && isDenialCandidate(access)) {
        await out.write(httpRecord(access, ctx, line.lineNo));
        continue;
      }
      notEvents++;
    }
  } catch (error) {
    await out.flush();
    process.stderr.write(`classify: cannot read stdin: ${(error as Error).message}\n`);
    process.exit(1);
  }

  if (document !== null) {
    const results = parseEventJsonDocument(document.join("\n"));
    await writeJsonResults(out, results, ctx);
    notEvents += results.filter((r) => !r.ok).length;
  }
  await out.flush();

  const listed =
    unreadable === 0
      ? ""
      : `: line numbers ${unreadableLines.join(", ")}${unreadable > unreadableLines.length ? ", …" : ""}`;
  process.stderr.write(
    `skipped ${notEvents + unreadable} lines (${notEvents} not events, ${unreadable} unreadable${listed})\n`,
  );
}

await main();
