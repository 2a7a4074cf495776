/**
 * npm run bench -- import [--lines N] [--keep]
 *
 * The parsing half of a log import: readLines + the event and access-log parsers over a generated
 * Keycloak server log in a temp file (default 1,000,000 lines: quoted and unquoted event lines, JSON
 * console records, Keycloak access-log lines, startup noise and stack traces, a few unreadable lines).
 * Reports lines/s (goal 200,000) and peak RSS while parsing. The file is deleted unless --keep.
 */
import { once } from "node:events";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { KeycloakUserEvent } from "@/lib/keycloak/types";
import { formatKeycloakEventLine } from "@/lib/logs/format-keycloak-event-line";
import { parseAccessLogLine } from "@/lib/logs/parse-access-log-line";
import { parseKeycloakEventLine } from "@/lib/logs/parse-keycloak-event-line";
import { readLines } from "@/lib/logs/read-lines";
import { seededRandom as prng } from "@/testkit/seeded-random";
import { SITUATIONS } from "@/testkit/situations";

const GOAL_LINES_PER_SEC = 200_000;

const NOISE = [
  "INFO  [io.quarkus] (main) Keycloak 26.4.2 on JVM (powered by Quarkus 3.27.0) started in 7.215s. Listening on: http://0.0.0.0:8080",
  "INFO  [org.keycloak.services] (main) KC-SERVICES0009: Added user 'admin' to realm 'master'",
  "WARN  [org.keycloak.services] (executor-thread-3) KC-SERVICES0013: Failed authentication: org.keycloak.authentication.AuthenticationFlowException",
  "ERROR [org.keycloak.services.error.KeycloakErrorHandler] (executor-thread-9) Uncaught server error: java.lang.NullPointerException",
];
const STACK =
  "\tat org.keycloak.authentication.AuthenticationProcessor.authenticateOnly(AuthenticationProcessor.java:1038)";
const PATHS = [
  "/realms/acme/protocol/openid-connect/token",
  "/realms/acme/protocol/openid-connect/auth?client_id=shop-frontend&response_type=code",
  "/admin/realms/acme/users/5f0c6a7e-2b1d-4c44-9d1e-0d6f3c1a9b21",
  "/realms/acme/protocol/openid-connect/userinfo",
  "/resources/x1y2z/login/keycloak.v2/css/styles.css",
];

function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length)] as T;
}

function stamp(ms: number): string {
  return new Date(ms).toISOString().replace("T", " ").replace("Z", "").replace(".", ",");
}

/** Message bodies are drawn from a pool built once; each line gets its own timestamp. */
function eventBodies(random: () => number): { body: string; failure: boolean }[] {
  const bodies: { body: string; failure: boolean }[] = [];
  for (let i = 0; i < 2000; i++) {
    const situation = pick(SITUATIONS, random);
    const source =
      situation.event !== undefined && random() < 0.5
        ? situation.event
        : {
            type: pick(["LOGIN", "CODE_TO_TOKEN", "REFRESH_TOKEN"], random),
            clientId: "shop-frontend",
            details: { auth_method: "openid-connect" },
          };
    const event: KeycloakUserEvent = {
      time: 0,
      realmId: "4c3d9a0e-1b7f-4a52-8e61-2f0b9c7d5a13",
      realmName: "acme",
      userId: `u-${Math.floor(random() * 50_000)}`,
      ipAddress: `198.51.100.${Math.floor(random() * 250)}`,
      ...source,
    };
    const style = random() < 0.8 ? "quoted" : "unquoted";
    bodies.push({ body: formatKeycloakEventLine(event, style), failure: event.error != null });
  }
  return bodies;
}

function line(random: () => number, at: number, bodies: { body: string; failure: boolean }[]): string {
  const roll = random();
  if (roll < 0.35) {
    const { body, failure } = pick(bodies, random);
    const level = failure ? "WARN " : "DEBUG";
    const style = random();
    if (style < 0.85 || !body.startsWith('type="'))
      return `${stamp(at)} ${level} [org.keycloak.events] (executor-thread-7) ${body}`;
    return `{"timestamp":"${new Date(at).toISOString()}","loggerName":"org.keycloak.events","level":"${level.trim()}","message":${JSON.stringify(body)}}`;
  }
  if (roll < 0.7) {
    const status = pick([200, 200, 200, 200, 302, 400, 401, 403], random);
    const clf = new Date(at).toUTCString().split(" ");
    const time = `${clf[1]}/${clf[2]}/${clf[3]}:${clf[4]} +0000`;
    return `${stamp(at)} INFO  [org.keycloak.http.access-log] (executor-thread-4) 10.0.${Math.floor(random() * 250)}.9 - - [${time}] "${pick(["GET", "POST"], random)} ${pick(PATHS, random)} HTTP/1.1" ${status} ${Math.floor(random() * 4000)}`;
  }
  if (roll < 0.9995) return random() < 0.5 ? STACK : `${stamp(at)} ${pick(NOISE, random)}`;
  return "\u0001\u0002 binary \u0003";
}

async function generate(path: string, lines: number): Promise<void> {
  const random = prng(42);
  const bodies = eventBodies(random);
  const out = createWriteStream(path);
  let at = Date.UTC(2025, 5, 3, 0, 0, 0);
  let batch: string[] = [];
  for (let i = 0; i < lines; i++) {
    at += Math.floor(random() * 120);
    batch.push(line(random, at, bodies));
    if (batch.length === 10_000) {
      if (!out.write(`${batch.join("\n")}\n`)) await once(out, "drain");
      batch = [];
    }
  }
  if (batch.length > 0) out.write(`${batch.join("\n")}\n`);
  out.end();
  await once(out, "finish");
}

export async function run(args: string[]): Promise<Record<string, unknown>> {
  const linesArg = args.indexOf("--lines");
  const lines =
    linesArg === -1
      ? 1_000_000
      : Math.max(1000, Math.min(10_000_000, Number(args[linesArg + 1]) || 1_000_000));
  const dir = await mkdtemp(join(tmpdir(), "realmwatch-import-"));
  const file = join(dir, "keycloak.log");
  try {
    const generateStart = performance.now();
    await generate(file, lines);
    const bytes = (await stat(file)).size;
    process.stderr.write(
      `import-parse: generated ${lines.toLocaleString("en")} lines (${Math.round(bytes / 2 ** 20)} MiB) in ${Math.round(performance.now() - generateStart)} ms\n`,
    );

    const counts = { userEvents: 0, adminEvents: 0, accessLines: 0, other: 0, unreadable: 0 };
    const options = { defaultDate: "2025-06-03", timeZone: "UTC" };
    let peakRss = process.memoryUsage.rss();
    const start = performance.now();
    for await (const record of readLines(createReadStream(file, { highWaterMark: 256 * 1024 }))) {
      if (record.skipped !== undefined) {
        counts.unreadable++;
        continue;
      }
      const event = parseKeycloakEventLine(record.text, options);
      if (event !== null) {
        if (event.kind === "user") counts.userEvents++;
        else counts.adminEvents++;
      } else if (parseAccessLogLine(record.text) !== null) counts.accessLines++;
      else counts.other++;
      if ((record.lineNo & 0xffff) === 0) peakRss = Math.max(peakRss, process.memoryUsage.rss());
    }
    const seconds = (performance.now() - start) / 1000;
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    const linesPerSec = Math.round(lines / seconds);
    const result = {
      lines,
      fileMiB: Math.round(bytes / 2 ** 20),
      seconds: Math.round(seconds * 100) / 100,
      linesPerSec,
      goalLinesPerSec: GOAL_LINES_PER_SEC,
      meetsGoal: linesPerSec >= GOAL_LINES_PER_SEC,
      peakRssMiB: Math.round(peakRss / 2 ** 20),
      counts,
    };
    process.stderr.write(
      `import-parse: ${linesPerSec.toLocaleString("en")} lines/s (goal ${GOAL_LINES_PER_SEC.toLocaleString("en")}), peak RSS ${result.peakRssMiB} MiB\n`,
    );
    return result;
  } finally {
    if (!args.includes("--keep")) await rm(dir, { recursive: true, force: true });
    else process.stderr.write(`import-parse: kept ${file}\n`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await run(process.argv.slice(2))));
}
