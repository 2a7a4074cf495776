/**
 * npm run bench -- classify [--seconds S]
 *
 * Classifier throughput on one core:
 * (a) classifyIfFailure on already-parsed events: a seeded mix of every situation of the events reference
 *     (failures and access-log denials) and the successes around them; goal 1,000,000 events/s;
 * (b) parseKeycloakEventLine + classify on Keycloak console lines (quoted and unquoted events, JSON console
 *     records, access-log lines, startup noise); goal 300,000 lines/s.
 * Each measurement runs for S seconds (default 2) after a short warm-up.
 */
import { fileURLToPath } from "node:url";
import { classifyIfFailure, classifyUserEvent } from "@/lib/classify/classify";
import { classifyAccessLogRecord } from "@/lib/classify/classify-access-log-record";
import type { ClassifyContext, ClassifyInput } from "@/lib/classify/types";
import type { KeycloakUserEvent } from "@/lib/keycloak/types";
import { formatKeycloakEventLine } from "@/lib/logs/format-keycloak-event-line";
import { isDenialCandidate, parseAccessLogLine } from "@/lib/logs/parse-access-log-line";
import { parseKeycloakEventLine } from "@/lib/logs/parse-keycloak-event-line";
import { seededRandom as prng } from "@/testkit/seeded-random";
import { SITUATIONS } from "@/testkit/situations";

const GOAL_EVENTS_PER_SEC = 1_000_000;
const GOAL_LINES_PER_SEC = 300_000;
const POOL = 20_000;
const SUCCESS_SHARE = 0.6;

const SUCCESSES: Omit<KeycloakUserEvent, "time">[] = [
  {
    type: "LOGIN",
    clientId: "shop-frontend",
    details: { auth_method: "openid-connect", auth_type: "code", username: "alice" },
  },
  {
    type: "CODE_TO_TOKEN",
    clientId: "shop-frontend",
    details: { grant_type: "authorization_code", token_id: "t1" },
  },
  {
    type: "REFRESH_TOKEN",
    clientId: "shop-frontend",
    details: { grant_type: "refresh_token", refresh_token_type: "Refresh" },
  },
  { type: "USER_INFO_REQUEST", clientId: "shop-frontend", details: { auth_method: "validate_access_token" } },
  { type: "CLIENT_LOGIN", clientId: "reports-job", details: { grant_type: "client_credentials" } },
  { type: "LOGOUT", clientId: "shop-frontend", details: { redirect_uri: "https://shop.example.com/" } },
];

function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length)] as T;
}

interface Item {
  input: ClassifyInput;
  ctx: ClassifyContext | undefined;
}

function eventMix(random: () => number): Item[] {
  const items: Item[] = [];
  for (let i = 0; i < POOL; i++) {
    const user = `u-${Math.floor(random() * 5000)}`;
    if (random() < SUCCESS_SHARE) {
      const success = pick(SUCCESSES, random);
      items.push({
        input: { origin: "api", ...success, userId: user, ipAddress: "203.0.113.24" },
        ctx: undefined,
      });
      continue;
    }
    const situation = pick(SITUATIONS, random);
    const input: ClassifyInput = situation.event
      ? {
          origin: "api",
          ...situation.event,
          userId: situation.event.userId ?? user,
          ipAddress: "203.0.113.24",
        }
      : { origin: "access-log", type: "HTTP_DENIAL", http: situation.http };
    items.push({ input, ctx: situation.context });
  }
  return items;
}

const NOISE = [
  "2025-06-03 09:14:01,002 INFO  [io.quarkus] (main) Keycloak 26.4.2 on JVM (powered by Quarkus 3.27.0) started in 7.215s.",
  "2025-06-03 09:14:01,010 INFO  [org.keycloak.services] (main) KC-SERVICES0009: Added user 'admin' to realm 'master'",
  "2025-06-03 09:14:03,440 WARN  [org.keycloak.services] (executor-thread-3) KC-SERVICES0013: Failed authentication: org.keycloak.authentication.AuthenticationFlowException",
  "\tat org.keycloak.authentication.AuthenticationProcessor.authenticateOnly(AuthenticationProcessor.java:1038)",
];

function logLines(random: () => number): string[] {
  const lines: string[] = [];
  for (let i = 0; i < POOL; i++) {
    const roll = random();
    if (roll < 0.3) {
      lines.push(pick(NOISE, random));
      continue;
    }
    if (roll < 0.45) {
      const status = pick([200, 200, 200, 302, 401, 403], random);
      const path = pick(
        ["/admin/realms/acme/users/5f0c", "/realms/acme/protocol/openid-connect/token", "/api/orders"],
        random,
      );
      lines.push(
        `2025-06-03 09:14:07,512 INFO  [org.keycloak.http.access-log] (executor-thread-4) 10.0.0.9 - - [03/Jun/2025:09:14:07 +0000] "GET ${path} HTTP/1.1" ${status} 52`,
      );
      continue;
    }
    const situation = pick(
      SITUATIONS.filter((s) => s.event !== undefined),
      random,
    );
    const source =
      random() < SUCCESS_SHARE ? pick(SUCCESSES, random) : (situation.event ?? pick(SUCCESSES, random));
    const event: KeycloakUserEvent = {
      time: 0,
      realmId: "4c3d9a0e-1b7f-4a52-8e61-2f0b9c7d5a13",
      realmName: "acme",
      ipAddress: "203.0.113.24",
      userId: null,
      clientId: null,
      ...source,
    };
    const style = random();
    if (style < 0.6) {
      lines.push(
        `2025-06-03 09:14:07,321 WARN  [org.keycloak.events] (executor-thread-12) ${formatKeycloakEventLine(event, "quoted")}`,
      );
    } else if (style < 0.85) {
      lines.push(
        `09:14:07,321 WARN  [org.keycloak.events] (default task-3) ${formatKeycloakEventLine(event, "unquoted")}`,
      );
    } else {
      lines.push(
        JSON.stringify({
          timestamp: "2025-06-03T09:14:07.321Z",
          loggerName: "org.keycloak.events",
          level: "WARN",
          message: formatKeycloakEventLine(event, "quoted"),
        }),
      );
    }
  }
  return lines;
}

/** Calls `step(i)` over and over for `seconds`, checking the clock every 4,096 calls. */
function measure(seconds: number, step: (i: number) => void): { perSec: number; count: number } {
  const warmUntil = performance.now() + 200;
  let i = 0;
  while (performance.now() < warmUntil) for (let k = 0; k < 4096; k++) step(i++);
  const start = performance.now();
  const end = start + seconds * 1000;
  let count = 0;
  while (performance.now() < end) {
    for (let k = 0; k < 4096; k++) step(count++);
  }
  const elapsed = (performance.now() - start) / 1000;
  return { perSec: Math.round(count / elapsed), count };
}

export async function run(args: string[]): Promise<Record<string, unknown>> {
  const secondsArg = args.indexOf("--seconds");
  const seconds = secondsArg === -1 ? 2 : Math.min(30, Math.max(0.2, Number(args[secondsArg + 1]) || 2));

  const items = eventMix(prng(1));
  const failures = items.filter((item) => classifyIfFailure(item.input, item.ctx) !== null).length;
  let sink = 0;
  const events = measure(seconds, (i) => {
    const item = items[i % POOL] as Item;
    const verdict = classifyIfFailure(item.input, item.ctx);
    if (verdict !== null) sink += verdict.confidence;
  });

  const lines = logLines(prng(2));
  const lineOptions = { defaultDate: "2025-06-03", timeZone: "Europe/Berlin" };
  const parsed = measure(seconds, (i) => {
    const line = lines[i % POOL] as string;
    const event = parseKeycloakEventLine(line, lineOptions);
    if (event !== null) {
      if (event.kind === "user") sink += classifyUserEvent(event.event, "log")?.confidence ?? 0;
      return;
    }
    const access = parseAccessLogLine(line);
    if (access !== null && isDenialCandidate(access))
      sink += classifyAccessLogRecord(access)?.confidence ?? 0;
  });

  const result = {
    classifyEventsPerSec: events.perSec,
    classifyGoalPerSec: GOAL_EVENTS_PER_SEC,
    classifyMeetsGoal: events.perSec >= GOAL_EVENTS_PER_SEC,
    parseClassifyLinesPerSec: parsed.perSec,
    parseClassifyGoalPerSec: GOAL_LINES_PER_SEC,
    parseClassifyMeetsGoal: parsed.perSec >= GOAL_LINES_PER_SEC,
    mix: {
      events: POOL,
      failureShare: Math.round((failures / POOL) * 100) / 100,
      situations: SITUATIONS.length,
    },
    secondsPerMeasurement: seconds,
    checksum: Math.round(sink),
  };
  process.stderr.write(
    `classify: ${events.perSec.toLocaleString("en")} events/s (goal ${GOAL_EVENTS_PER_SEC.toLocaleString("en")}), ` +
      `parse+classify: ${parsed.perSec.toLocaleString("en")} lines/s (goal ${GOAL_LINES_PER_SEC.toLocaleString("en")})\n`,
  );
  return result;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await run(process.argv.slice(2))));
}
