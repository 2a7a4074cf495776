/**
 * npm run bench -- push [--rate 5000] [--seconds 60] [--concurrency 1024]
 * A sender posts ext-event-webhook payloads (one event per request, signed, as the extension sends them) at
 * --rate events/s and Keycloak log lines at the same rate (batches every 100 ms to the log endpoint) for
 * --seconds, to the push receivers running in their own process (testkit/push-server.ts), while the overview
 * is read once a second. Reports events/s acknowledged and stored, p50/p99 acknowledgement time, lines/s
 * stored, the overview's latency meanwhile, and the receiver's peak RSS. Goals: p99 < 200 ms, RSS < 300 MB.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createHmac, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { loadOverview } from "@/lib/screens/overview/load-overview";
import { createPushSource } from "@/lib/sources/push-source";
import { openBenchDatabase } from "./bench-db";

const opt = (args: string[], name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  const v = i >= 0 ? Number(args[i + 1]) : fallback;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} must be a positive number`);
  return v;
};

export async function run(args: string[]): Promise<Record<string, unknown>> {
  const rate = opt(args, "rate", 5000);
  const seconds = opt(args, "seconds", 60);
  const concurrency = opt(args, "concurrency", 1024);
  process.env.REALMWATCH_SECRET_KEY ??= "bench-push-secret-key-0123456789abcdef";
  const { db, sql, serverVersion } = await openBenchDatabase();
  const { settings, secrets } = await createPushSource(sql, { name: "bench-push" });
  const { child, port } = await startReceiver(db.url);
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  /** Acknowledgement times of pushes sent after the first 5 s (connections opened, code warmed up). */
  const steady: number[] = [];
  let benchStart = 0;
  let sent = 0;
  let acked = 0;
  let failed = 0;
  let backlog = 0;
  let inFlight = 0;
  let linesSent = 0;
  let linesFailed = 0;
  const overviewMs: number[] = [];

  const post = (path: string, body: string, headers: Record<string, string>) =>
    new Promise<number>((resolve) => {
      const req = request(
        {
          host: "127.0.0.1",
          port,
          path,
          method: "POST",
          agent,
          headers: { ...headers, "content-length": Buffer.byteLength(body) },
        },
        (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode ?? 0));
        },
      );
      req.on("error", () => resolve(0));
      req.end(body);
    });

  const sendEvent = async () => {
    const now = Date.now();
    const body = JSON.stringify({
      uid: randomUUID(),
      id: randomUUID(),
      time: now,
      realmId: "4c3d9a0e-1b7f-4a52-8e61-2f0b9c7d5a13",
      realmName: "bench",
      type: "access.LOGIN_ERROR",
      authDetails: {
        realmId: "bench",
        clientId: `app-${sent % 50}`,
        ipAddress: `10.1.${(sent >> 8) & 255}.${sent & 255}`,
        username: `user${sent % 5000}`,
      },
      details: {
        auth_method: "openid-connect",
        redirect_uri: "https://evil.example.net/cb",
        username: `user${sent % 5000}`,
      },
      error: "invalid_redirect_uri",
    });
    sent++;
    inFlight++;
    const t = performance.now();
    const status = await post(`/api/push/events/${settings.sourceId}`, body, {
      "content-type": "application/json",
      "x-keycloak-signature": createHmac("sha256", secrets.webhookSecret).update(body).digest("hex"),
    });
    inFlight--;
    if (status >= 200 && status < 300) {
      acked++;
      latencies.push(performance.now() - t);
      if (t - benchStart > 5000) steady.push(performance.now() - t);
    } else failed++;
  };

  let lineNo = 0;
  const sendLines = async (count: number) => {
    const ts = new Date().toISOString().replace("T", " ").replace("Z", "").replace(".", ",");
    const lines: string[] = [];
    for (let i = 0; i < count; i++, lineNo++)
      lines.push(
        `${ts} WARN  [org.keycloak.events] (executor-thread-${i % 16}) type="CODE_TO_TOKEN_ERROR", realmId="4c3d9a0e-1b7f-4a52-8e61-2f0b9c7d5a13", realmName="bench-logs", clientId="svc-${lineNo % 40}", userId="null", ipAddress="10.2.${(lineNo >> 8) & 255}.${lineNo & 255}", error="invalid_client_credentials", grant_type="authorization_code", n="${lineNo}"`,
      );
    linesSent += count;
    const status = await post(`/api/push/logs/${settings.sourceId}`, `${lines.join("\n")}\n`, {
      authorization: `Bearer ${secrets.pushToken}`,
      "content-type": "text/plain",
    });
    if (status !== 200) linesFailed += count;
  };

  process.stderr.write(`pushing ${rate} events/s and ${rate} lines/s for ${seconds} s to :${port}\n`);
  const started = performance.now();
  benchStart = started;
  const pending: Promise<void>[] = [];
  const endAt = started + seconds * 1000;
  let due = 0;
  let nextLines = started;
  let nextOverview = started;
  let nextReport = started + 5000;
  while (performance.now() < endAt) {
    const elapsed = (performance.now() - started) / 1000;
    due = Math.floor(elapsed * rate) - sent - backlog;
    for (let i = 0; i < due; i++) {
      if (inFlight >= concurrency) {
        backlog++;
        continue;
      }
      pending.push(sendEvent());
    }
    // Events the sender could not start (all connections busy) are sent as soon as one frees up.
    while (backlog > 0 && inFlight < concurrency) {
      backlog--;
      pending.push(sendEvent());
    }
    const now = performance.now();
    if (now >= nextLines) {
      nextLines += 100;
      pending.push(sendLines(Math.round(rate / 10)));
    }
    if (now >= nextOverview) {
      nextOverview += 1000;
      pending.push(
        (async () => {
          const t = performance.now();
          await loadOverview(sql, "admin", {}, Date.now());
          overviewMs.push(performance.now() - t);
        })(),
      );
    }
    if (now >= nextReport) {
      nextReport += 5000;
      process.stderr.write(
        `  ${Math.round((now - started) / 1000)} s: ${acked} acknowledged, ${inFlight} in flight, ${backlog} waiting\n`,
      );
    }
    if (pending.length > 10_000) pending.splice(0, pending.length - 10_000);
    await new Promise((r) => setTimeout(r, 5));
  }
  while (backlog > 0) {
    backlog--;
    pending.push(sendEvent());
  }
  await Promise.all(pending);
  const elapsed = (performance.now() - started) / 1000;
  const peakRssMiB = peakRss(child.pid!);
  const [events] = await sql<{ n: number }[]>`
    select count(*)::int as n from user_events where source_id = ${settings.sourceId} and realm = 'bench'`;
  const [lines] = await sql<{ n: number }[]>`
    select count(*)::int as n from user_events where source_id = ${settings.sourceId} and realm = 'bench-logs'`;
  child.kill("SIGTERM");
  agent.destroy();
  await sql.end({ timeout: 5 });
  await db.stop();
  latencies.sort((a, b) => a - b);
  steady.sort((a, b) => a - b);
  overviewMs.sort((a, b) => a - b);
  const pct = (xs: number[], p: number) =>
    xs.length ? Math.round(xs[Math.min(xs.length - 1, Math.floor(xs.length * p))]! * 10) / 10 : null;
  return {
    rateAsked: rate,
    seconds: Math.round(elapsed * 10) / 10,
    eventsSent: sent,
    eventsAcknowledged: acked,
    eventsFailed: failed,
    eventsStored: events?.n ?? 0,
    eventsStoredPerSec: Math.round((events?.n ?? 0) / elapsed),
    ackP50Ms: pct(latencies, 0.5),
    ackP99Ms: pct(latencies, 0.99),
    ackP50AfterWarmupMs: pct(steady, 0.5),
    ackP99AfterWarmupMs: pct(steady, 0.99),
    linesSent,
    linesFailed,
    linesStored: lines?.n ?? 0,
    linesStoredPerSec: Math.round((lines?.n ?? 0) / elapsed),
    overviewP50Ms: pct(overviewMs, 0.5),
    overviewMaxMs: pct(overviewMs, 1),
    receiverPeakRssMiB: peakRssMiB,
    postgres: serverVersion,
  };
}

function startReceiver(url: string): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "testkit/push-server.ts"], {
      env: { ...process.env, DATABASE_URL: url, PUSH_SERVER_PORT: "0" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    child.stdout?.on("data", (d: Buffer) => {
      const m = /listening (\d+)/.exec(d.toString());
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.once("exit", (code) => reject(new Error(`the push receiver exited (${code})`)));
  });
}

/** The child's peak resident set (VmHWM), in MiB. */
function peakRss(pid: number): number | null {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return kb ? Math.round(Number(kb) / 1024) : null;
  } catch {
    return null;
  }
}
