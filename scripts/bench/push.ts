/**
 * npm run bench -- push [--rate 5000] [--line-rate R] [--seconds 60] [--failure-share 0.02] [--concurrency 1024]
 *                         [--profile <dir>]
 * A sender posts ext-event-webhook payloads at --rate events/s: one event per request, signed, as the extension
 * sends them, about --failure-share of them failures and the rest the successes a realm mostly saves
 * (webhookEvent), each retried after a refusal with the extension's backoff, written on raw keep-alive sockets so
 * that the sender's own CPU stays small. It also ships Keycloak log lines at the same rate or --line-rate (every
 * 100 ms the lines gathered so far, at most 4 log requests in flight, as a shipper sends them), all of them
 * *_ERROR lines as a default server log holds. For --seconds, to the push receivers running in their own process
 * (testkit/push-server.ts), while the overview is read once a second.
 * Reports events/s acknowledged and stored, p50/p99 acknowledgement time (and p99 of every answer, refusals of a
 * saturated receiver included), retries, lines/s stored, the overview's latency meanwhile, and the receiver's
 * peak RSS. Goals: p99 < 200 ms, RSS < 300 MB.
 * Also the CPU time the receiver, PostgreSQL (its backends and background processes, read from /proc: the
 * database is local) and the sender spent, in total and per event stored (events and lines count alike), to tell
 * which side limits the rate. --profile writes the receiver's CPU profile (.cpuprofile) into <dir>.
 * The receiver is the product's own server (lib/server/http-server.ts): it serves REALMWATCH_MAX_CONNECTIONS
 * connections at once (default 1,024; set it in the environment) and answers pushes on the others 429. A push
 * that gets no answer at all (a connection refused, reset or closed) is not sent again, as ext-event-webhook
 * does not resend it: such events are reported as dropped.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createHmac, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { connect, type Socket } from "node:net";
import path from "node:path";
import { loadOverview } from "@/lib/screens/overview/load-overview";
import { getEnv } from "@/lib/server/env";
import { createPushSource } from "@/lib/sources/push-source";
import { openBenchDatabase } from "./bench-db";
import { cpuSeconds, postgresPids } from "./processes";

const opt = (args: string[], name: string, fallback: number, zero = false) => {
  const i = args.indexOf(`--${name}`);
  const v = i >= 0 ? Number(args[i + 1]) : fallback;
  if (!Number.isFinite(v) || v < 0 || (v === 0 && !zero))
    throw new Error(`--${name} must be a ${zero ? "non-negative" : "positive"} number`);
  return v;
};

export async function run(args: string[]): Promise<Record<string, unknown>> {
  const rate = opt(args, "rate", 5000);
  const lineRate = args.includes("--line-rate") ? opt(args, "line-rate", rate, true) : rate;
  const seconds = opt(args, "seconds", 60);
  const concurrency = opt(args, "concurrency", 1024);
  const failureShare = opt(args, "failure-share", 0.02, true);
  if (failureShare > 1) throw new Error("--failure-share must be between 0 and 1");
  const profileAt = args.indexOf("--profile");
  const profileDir = profileAt >= 0 ? path.resolve(args[profileAt + 1] ?? ".data/bench/profiles") : null;
  process.env.REALMWATCH_SECRET_KEY ??= "bench-push-secret-key-0123456789abcdef";
  const { db, sql, serverVersion } = await openBenchDatabase();
  const { settings, secrets } = await createPushSource(sql, { name: "bench-push" });
  const { child, port } = await startReceiver(db.url, profileDir);
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  /** Acknowledgement times of pushes sent after the first 5 s (connections opened, code warmed up). */
  const steady: number[] = [];
  /** Every answer's time, whatever its status (a refusal under overload must come fast too). */
  const answers: number[] = [];
  let retried = 0;
  let linesRetried = 0;
  let endAt = Number.POSITIVE_INFINITY;
  let benchStart = 0;
  let sent = 0;
  let acked = 0;
  let failed = 0;
  let dropped = 0;
  let backlog = 0;
  let inFlight = 0;
  let linesSent = 0;
  let linesFailed = 0;
  const overviewMs: number[] = [];
  const failedByStatus: Record<number, number> = {};
  const connectionErrors: Record<string, number> = {};
  /** Refused pushes by the reason the answer gives ("busy": the writer is saturated; "connections"). */
  const refusedByReason: Record<string, number> = {};

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
      req.on("error", (err: NodeJS.ErrnoException) => {
        const code = err.code ?? "error";
        connectionErrors[code] = (connectionErrors[code] ?? 0) + 1;
        resolve(0);
      });
      req.end(body);
    });

  const eventBody = (realm: string, n: number) => JSON.stringify(webhookEvent(realm, n, failureShare));
  const eventPath = `/api/push/events/${settings.sourceId}`;
  const poster = new RawPoster(
    port,
    concurrency,
    (code) => {
      connectionErrors[code] = (connectionErrors[code] ?? 0) + 1;
    },
    (reason) => {
      refusedByReason[reason] = (refusedByReason[reason] ?? 0) + 1;
    },
  );
  /** One webhook request as the extension sends it: its body, signed with the webhook secret. */
  const eventRequest = (body: string) =>
    `POST ${eventPath} HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\ncontent-type: application/json\r\n` +
    `x-keycloak-signature: ${createHmac("sha256", secrets.webhookSecret).update(body).digest("hex")}\r\n` +
    `content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
  const pushEvent = (body: string) => poster.post(eventRequest(body));

  /**
   * One event, posted until it is acknowledged, as ext-event-webhook does (SenderEventListenerProvider
   * reschedules a failed send after its BackOff: 500 ms, then five times longer, giving up after 5 tries). Each
   * answer's time is kept; an event counts as acknowledged once a try gets a 2xx. A try without an answer is
   * the end of it: HttpSenderEventListenerProvider.send turns an exception of the request into a SenderException
   * that is not retryable, and the event is dropped.
   */
  const sendEvent = async () => {
    const message = eventRequest(eventBody("bench", sent));
    sent++;
    inFlight++;
    let wait = RETRY_FIRST_MS;
    for (let attempt = 1; ; attempt++) {
      const t = performance.now();
      const status = await poster.post(message);
      const ms = performance.now() - t;
      answers.push(ms);
      if (status >= 200 && status < 300) {
        acked++;
        latencies.push(ms);
        if (t - benchStart > 5000) steady.push(ms);
        break;
      }
      failedByStatus[status] = (failedByStatus[status] ?? 0) + 1;
      if (status === 0) {
        dropped++;
        break;
      }
      if (attempt >= RETRY_TRIES || performance.now() + wait > endAt + RETRY_GRACE_MS) {
        failed++;
        break;
      }
      retried++;
      await new Promise((r) => setTimeout(r, wait));
      wait *= 5;
    }
    inFlight--;
  };

  let lineNo = 0;
  const shipLines = (count: number, realm: string) => {
    const ts = new Date().toISOString().replace("T", " ").replace("Z", "").replace(".", ",");
    const lines: string[] = [];
    for (let i = 0; i < count; i++, lineNo++)
      lines.push(
        `${ts} WARN  [org.keycloak.events] (executor-thread-${i % 16}) type="CODE_TO_TOKEN_ERROR", realmId="4c3d9a0e-1b7f-4a52-8e61-2f0b9c7d5a13", realmName="${realm}", clientId="svc-${lineNo % 40}", userId="null", ipAddress="10.2.${(lineNo >> 8) & 255}.${lineNo & 255}", error="invalid_client_credentials", grant_type="authorization_code", n="${lineNo}"`,
      );
    const body = `${lines.join("\n")}\n`;
    return () =>
      post(`/api/push/logs/${settings.sourceId}`, body, {
        authorization: `Bearer ${secrets.pushToken}`,
        "content-type": "text/plain",
      });
  };
  // As a log shipper does: a few requests in flight at most, each carrying the lines gathered since the last.
  let linesDue = 0;
  let logRequests = 0;
  const sendLines = async (count: number) => {
    linesSent += count;
    logRequests++;
    // A refused batch is sent again as shippers do (Vector and Fluent Bit retry with backoff), here after 1 s.
    const send = shipLines(count, "bench-logs");
    for (let attempt = 1; ; attempt++) {
      if ((await send()) === 200) break;
      if (attempt >= RETRY_TRIES || performance.now() > endAt + RETRY_GRACE_MS) {
        linesFailed += count;
        break;
      }
      linesRetried += count;
      await new Promise((r) => setTimeout(r, 1000));
    }
    logRequests--;
  };

  // A running server has loaded its code and compiled its hot paths: warm the receiver up first, into realms
  // of their own that the figures leave out.
  process.stderr.write("warming the receiver up\n");
  for (let wave = 0; wave < 20; wave++) {
    const statuses = await Promise.all([
      ...Array.from({ length: 100 }, (_, i) => pushEvent(eventBody("bench-warmup", wave * 100 + i))),
      shipLines(200, "bench-warmup-logs")(),
    ]);
    if (statuses.some((st) => st !== 200))
      throw new Error(`the receiver answered ${statuses.find((st) => st !== 200)} while warming up`);
  }

  process.stderr.write(`pushing ${rate} events/s and ${lineRate} lines/s for ${seconds} s to :${port}\n`);
  const cpuBefore = {
    receiver: cpuSeconds([child.pid!]),
    postgres: cpuSeconds(await postgresPids(sql)),
    sender: process.cpuUsage(),
  };
  const started = performance.now();
  benchStart = started;
  const pending: Promise<void>[] = [];
  endAt = started + seconds * 1000;
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
    if (now >= nextLines && lineRate > 0) {
      nextLines += 100;
      linesDue += Math.round(lineRate / 10);
      if (logRequests < MAX_LOG_REQUESTS) {
        const count = Math.min(linesDue, MAX_LINES_PER_REQUEST);
        linesDue -= count;
        pending.push(sendLines(count));
      }
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
  // Events still waiting for a connection when the time is up are not sent: past the receiver's capacity they
  // would only lengthen the run (they are reported as not sent).
  const notSent = backlog;
  const linesNotSent = linesDue;
  await Promise.all(pending);
  const elapsed = (performance.now() - started) / 1000;
  const peakRssMiB = peakRss(child.pid!);
  const senderCpu = process.cpuUsage(cpuBefore.sender);
  const cpu = {
    receiver: cpuSeconds([child.pid!]) - cpuBefore.receiver,
    postgres: cpuSeconds(await postgresPids(sql)) - cpuBefore.postgres,
    sender: (senderCpu.user + senderCpu.system) / 1e6,
  };
  const [events] = await sql<{ n: number }[]>`
    select count(*)::int as n from user_events where source_id = ${settings.sourceId} and realm = 'bench'`;
  const [lines] = await sql<{ n: number }[]>`
    select count(*)::int as n from user_events where source_id = ${settings.sourceId} and realm = 'bench-logs'`;
  child.kill("SIGTERM");
  if (profileDir) await new Promise((r) => child.once("exit", r));
  agent.destroy();
  poster.close();
  await sql.end({ timeout: 5 });
  await db.stop();
  latencies.sort((a, b) => a - b);
  steady.sort((a, b) => a - b);
  overviewMs.sort((a, b) => a - b);
  answers.sort((a, b) => a - b);
  const pct = (xs: number[], p: number) =>
    xs.length ? Math.round(xs[Math.min(xs.length - 1, Math.floor(xs.length * p))]! * 10) / 10 : null;
  return {
    rateAsked: rate,
    failureShare,
    lineRateAsked: lineRate,
    seconds: Math.round(elapsed * 10) / 10,
    eventsSent: sent,
    eventsNotSent: notSent,
    eventsAcknowledged: acked,
    eventsFailed: failed,
    eventsDropped: dropped,
    failedByStatus,
    refusedByReason,
    connectionErrors,
    eventsStored: events?.n ?? 0,
    eventsStoredPerSec: Math.round((events?.n ?? 0) / elapsed),
    ackP50Ms: pct(latencies, 0.5),
    ackP99Ms: pct(latencies, 0.99),
    ackP50AfterWarmupMs: pct(steady, 0.5),
    ackP99AfterWarmupMs: pct(steady, 0.99),
    answerP99Ms: pct(answers, 0.99),
    eventsRetried: retried,
    linesSent,
    linesNotSent,
    linesFailed,
    linesRetried,
    linesStored: lines?.n ?? 0,
    linesStoredPerSec: Math.round((lines?.n ?? 0) / elapsed),
    overviewP50Ms: pct(overviewMs, 0.5),
    overviewMaxMs: pct(overviewMs, 1),
    cpuSeconds: Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, Math.round(v * 10) / 10])),
    cpuMicrosPerStored: Object.fromEntries(
      Object.entries(cpu).map(([k, v]) => [
        k,
        Math.round((v * 1e6) / Math.max(1, (events?.n ?? 0) + (lines?.n ?? 0))),
      ]),
    ),
    receiverPeakRssMiB: peakRssMiB,
    receiverMaxConnections: getEnv().REALMWATCH_MAX_CONNECTIONS,
    senderConnections: concurrency,
    senderPeakConnections: poster.peakOpen,
    postgres: serverVersion,
  };
}

function startReceiver(
  url: string,
  profileDir: string | null,
): Promise<{ child: ChildProcess; port: number }> {
  // A profiled receiver exits on SIGTERM through process.exit, so that Node writes the profile.
  const profile = profileDir
    ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`, "--import", "./scripts/bench/exit-on-term.ts"]
    : [];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", ...profile, "testkit/push-server.ts"], {
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

/**
 * The n-th webhook event: a failure for about `failureShare` of them (spread evenly over the run), else a success.
 * Successes are what a realm mostly saves (logins, code exchanges, refreshes, service-account logins: the events
 * Keycloak's own load tests drive); failures are a wrong password, a redirect URI not registered (the costliest
 * to classify: the URI is compared with the client's) and an expired code. Users and sessions repeat as a
 * realm's do: 20,000 users, 50 clients, 40 service accounts.
 */
export function webhookEvent(realm: string, n: number, failureShare: number): Record<string, unknown> {
  const user = n % 20_000;
  const userId = `00000000-0000-4000-8000-${user.toString(16).padStart(12, "0")}`;
  const sessionId = `00000000-0000-4000-9000-${(n % 100_000).toString(16).padStart(12, "0")}`;
  const clientId = `app-${n % 50}`;
  const ipAddress = `10.1.${(user >> 8) & 255}.${user & 255}`;
  const username = `user${user}`;
  const base = { uid: randomUUID(), id: randomUUID(), time: Date.now(), realmId: REALM_ID, realmName: realm };
  const auth = { realmId: realm, clientId, userId, ipAddress, username, sessionId };
  // Failures at evenly spaced n (a golden-ratio sequence): about failureShare of any stretch of the run.
  if ((n * 0.6180339887498949) % 1 < failureShare) {
    switch (n % 3) {
      case 0:
        return {
          ...base,
          type: "access.LOGIN_ERROR",
          authDetails: { ...auth, userId: undefined, sessionId: undefined },
          details: { auth_method: "openid-connect", redirect_uri: "https://evil.example.net/cb", username },
          error: "invalid_redirect_uri",
        };
      case 1:
        return {
          ...base,
          type: "access.LOGIN_ERROR",
          authDetails: { ...auth, sessionId: undefined },
          details: {
            auth_method: "openid-connect",
            auth_type: "code",
            redirect_uri: `https://${clientId}.example.com/cb`,
            code_id: randomUUID(),
            username,
          },
          error: "invalid_user_credentials",
        };
      default:
        return {
          ...base,
          type: "access.CODE_TO_TOKEN_ERROR",
          authDetails: { ...auth, userId: undefined, sessionId: undefined },
          details: {
            grant_type: "authorization_code",
            code_id: randomUUID(),
            client_auth_method: "client-secret",
          },
          error: "invalid_code",
        };
    }
  }
  switch (n % 4) {
    case 0:
      return {
        ...base,
        type: "access.LOGIN",
        authDetails: auth,
        details: {
          auth_method: "openid-connect",
          auth_type: "code",
          redirect_uri: `https://${clientId}.example.com/cb`,
          consent: "no_consent_required",
          code_id: sessionId,
          username,
        },
      };
    case 1:
      return {
        ...base,
        type: "access.CODE_TO_TOKEN",
        authDetails: auth,
        details: {
          token_id: randomUUID(),
          grant_type: "authorization_code",
          refresh_token_type: "Refresh",
          scope: "openid profile email",
          refresh_token_id: randomUUID(),
          code_id: sessionId,
          client_auth_method: "client-secret",
        },
      };
    case 2:
      return {
        ...base,
        type: "access.REFRESH_TOKEN",
        authDetails: auth,
        details: {
          token_id: randomUUID(),
          grant_type: "refresh_token",
          refresh_token_type: "Refresh",
          scope: "openid profile email",
          refresh_token_id: randomUUID(),
          updated_refresh_token_id: randomUUID(),
          client_auth_method: "client-secret",
        },
      };
    default:
      return {
        ...base,
        type: "access.CLIENT_LOGIN",
        authDetails: {
          ...auth,
          clientId: `svc-${n % 40}`,
          userId: `00000000-0000-4000-a000-${(n % 40).toString(16).padStart(12, "0")}`,
          username: `service-account-svc-${n % 40}`,
        },
        details: {
          token_id: randomUUID(),
          grant_type: "client_credentials",
          scope: "profile email",
          client_auth_method: "client-secret",
          username: `service-account-svc-${n % 40}`,
        },
      };
  }
}

const REALM_ID = "4c3d9a0e-1b7f-4a52-8e61-2f0b9c7d5a13";

/** Log requests in flight at most, and lines per request at most (a shipper's batch). */
const MAX_LOG_REQUESTS = 4;
const MAX_LINES_PER_REQUEST = 10_000;

/** The child's peak resident set (VmHWM), in MiB. */
function peakRss(pid: number): number | null {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return kb ? Math.round(Number(kb) / 1024) : null;
  } catch {
    return null;
  }
}

/** A failed push is tried again after 500 ms, then 2.5 s..., 5 tries in all (ext-event-webhook's BackOff). */
const RETRY_FIRST_MS = 500;
const RETRY_TRIES = 5;
/** Past the end of the run, retries still wait this long at most. */
const RETRY_GRACE_MS = 10_000;

/**
 * HTTP/1.1 keep-alive POSTs written whole on raw sockets, one request in flight per connection (as the
 * extension's HTTP client does), reading only the status line and Content-Length of each answer: the sender's
 * own cost per request stays a fraction of node:http's (measured 190 us per request with an Agent), so the
 * figures measure the receiver. Up to `max` connections; requests past that wait for a free one.
 */
class RawPoster {
  private idle: RawConnection[] = [];
  private waiting: { message: string; done: (status: number) => void }[] = [];
  private open = 0;
  /** The most connections open at once. */
  peakOpen = 0;

  constructor(
    private readonly port: number,
    private readonly max: number,
    private readonly onError: (code: string) => void,
    /** Told the `details.reason` of each refusal (an answer of 400 or more). */
    private readonly onRefused: (reason: string) => void,
  ) {}

  /** Resolves with the answer's status, 0 when the connection failed before an answer. */
  post(message: string): Promise<number> {
    return new Promise((done) => this.send(message, done));
  }

  close(): void {
    for (const c of this.idle) c.socket.destroy();
    this.idle = [];
  }

  private send(message: string, done: (status: number) => void): void {
    const conn = this.idle.pop() ?? (this.open < this.max ? this.connect() : null);
    if (!conn) {
      this.waiting.push({ message, done });
      return;
    }
    conn.done = done;
    conn.socket.write(message);
  }

  private connect(): RawConnection {
    this.open++;
    if (this.open > this.peakOpen) this.peakOpen = this.open;
    const socket = connect(this.port, "127.0.0.1");
    socket.setNoDelay(true);
    const conn: RawConnection = { socket, buffer: null, done: null };
    socket.on("data", (chunk: Buffer) => this.read(conn, chunk));
    socket.on("error", (err: NodeJS.ErrnoException) => this.onError(err.code ?? "error"));
    socket.on("close", () => {
      this.open--;
      const i = this.idle.indexOf(conn);
      if (i >= 0) this.idle.splice(i, 1);
      const done = conn.done;
      conn.done = null;
      done?.(0);
      this.next();
    });
    return conn;
  }

  private read(conn: RawConnection, chunk: Buffer): void {
    const buf = conn.buffer ? Buffer.concat([conn.buffer, chunk]) : chunk;
    const headEnd = buf.indexOf("\r\n\r\n");
    if (headEnd < 0) {
      conn.buffer = buf;
      return;
    }
    const head = buf.toString("latin1", 0, headEnd);
    const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
    if (buf.length < headEnd + 4 + length) {
      conn.buffer = buf;
      return;
    }
    conn.buffer = null;
    const status = Number(head.slice(9, 12));
    if (status >= 400) {
      const body = buf.toString("utf8", headEnd + 4, headEnd + 4 + length);
      this.onRefused(/"reason":"([^"]*)"/.exec(body)?.[1] ?? String(status));
    }
    const done = conn.done;
    conn.done = null;
    if (/\r\nconnection: *close/i.test(head)) conn.socket.destroy();
    else this.idle.push(conn);
    done?.(status);
    this.next();
  }

  private next(): void {
    const job = this.waiting.shift();
    if (job) this.send(job.message, job.done);
  }
}

interface RawConnection {
  socket: Socket;
  buffer: Buffer | null;
  done: ((status: number) => void) | null;
}
