import { type ChildProcess, spawn } from "node:child_process";
import type http from "node:http";
import { type AddressInfo, connect, type Socket } from "node:net";
import { afterAll, afterEach, expect, it, vi } from "vitest";
import { parseEnv } from "@/lib/server/env";
import { createHttpServer, HARD_FACTOR } from "@/lib/server/http-server";
import { keycloakSignature, phaseTwoLoginError } from "@/testkit/push-payloads";
import { testDatabaseUrl, testSql } from "../helpers/db";
import { createTestPushSource, removeTestPushSource } from "../ingest/push/push-source-fixture";

/**
 * The product's server bounds the connections it serves: past the limit a push is answered 429 with Retry-After
 * and its connection closed (a sender retries an answer, not a dropped socket), other requests are still
 * served, and past the hard bound Node closes new connections unanswered.
 */
let server: http.Server | null = null;
const sockets: Socket[] = [];
let child: ChildProcess | null = null;
const sql = (() => {
  testDatabaseUrl();
  return testSql(1);
})();

afterAll(() => sql.end());

afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  if (server) {
    server.closeAllConnections();
    await new Promise((r) => server?.close(r));
    server = null;
  }
  child?.kill("SIGKILL");
  child = null;
});

interface Answer {
  status: number;
  head: string;
  body: string;
}

/** A raw connection, its answers read one by one, and whether the server closed it. */
function open(port: number) {
  const socket = connect(port, "127.0.0.1");
  sockets.push(socket);
  let buffer = "";
  let closed = false;
  const waiters: (() => void)[] = [];
  const wake = () => {
    for (const w of waiters.splice(0)) w();
  };
  socket.setEncoding("latin1");
  socket.on("data", (chunk: string) => {
    buffer += chunk;
    wake();
  });
  socket.on("error", () => undefined);
  socket.on("close", () => {
    closed = true;
    wake();
  });
  const connected = new Promise<void>((r) => socket.once("connect", () => r()));
  return {
    connected,
    send(path: string, body = '{"type":"LOGIN_ERROR"}', headers: Record<string, string> = {}) {
      const more = Object.entries(headers)
        .map(([k, v]) => `${k}: ${v}\r\n`)
        .join("");
      socket.write(
        `POST ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n${more}` +
          `content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
    },
    /** The next whole answer, or null when the connection closed without one. */
    async answer(): Promise<Answer | null> {
      for (;;) {
        const end = buffer.indexOf("\r\n\r\n");
        if (end >= 0) {
          const head = buffer.slice(0, end);
          const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
          if (buffer.length >= end + 4 + length) {
            const body = buffer.slice(end + 4, end + 4 + length);
            buffer = buffer.slice(end + 4 + length);
            return { status: Number(head.slice(9, 12)), head, body };
          }
        }
        if (closed) return null;
        await new Promise<void>((r) => waiters.push(r));
      }
    },
    get closed() {
      return closed;
    },
  };
}

/** Waits until the server counts `n` open connections. */
const connectionsAre = (n: number) =>
  vi.waitFor(
    () =>
      new Promise<void>((resolve, reject) =>
        server?.getConnections((err, open) =>
          err ? reject(err) : open === n ? resolve() : reject(new Error(`${open} connections, not ${n}`)),
        ),
      ),
  );

it("serves the first connections, answers a push on one past the limit 429 and closes it, and serves the rest again once they close", async () => {
  const held: http.ServerResponse[] = [];
  const shed: [string, number][] = [];
  server = createHttpServer(
    (req, res) => {
      req.resume();
      // Pushes wait for their answer (as they do while their events are written); other requests are answered.
      if (req.url?.startsWith("/api/push/")) req.on("end", () => held.push(res));
      else res.end("page");
    },
    { maxConnections: 3, onShed: (path, limit) => shed.push([path, limit]) },
  );
  await new Promise<void>((r) => server?.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;

  const accepted = [open(port), open(port), open(port)];
  for (const c of accepted) {
    await c.connected;
    c.send("/api/push/events/source-a");
  }
  await vi.waitFor(() => expect(held).toHaveLength(3));

  // Two more senders: their pushes are answered at once, without waiting for the held ones.
  const extra = [open(port), open(port)];
  for (const [i, c] of extra.entries()) {
    await c.connected;
    c.send(`/api/push/events/source-${i}`);
  }
  for (const c of extra) {
    const answer = await c.answer();
    expect(answer?.status).toBe(429);
    expect(answer?.head).toMatch(/\r\nretry-after: 1\r\n/i);
    expect(answer?.head).toMatch(/\r\nconnection: close\r\n/i);
    expect(JSON.parse(answer?.body ?? "{}")).toMatchObject({
      error: "rate_limited",
      details: { reason: "connections", retryAfterSec: 1 },
    });
    expect(await c.answer()).toBeNull();
    expect(c.closed).toBe(true);
  }
  // Each refusal is told with its path and the limit (the product counts it for the source).
  expect(shed.sort()).toEqual([
    ["/api/push/events/source-0", 3],
    ["/api/push/events/source-1", 3],
  ]);
  // A page asked on a connection past the limit is still served.
  const person = open(port);
  await person.connected;
  person.send("/");
  expect((await person.answer())?.status).toBe(200);
  person.send("/");
  expect((await person.answer())?.body).toBe("page");

  // The accepted pushes are answered, each on its own connection.
  for (const res of held) res.end("stored");
  for (const c of accepted) expect(await c.answer()).toMatchObject({ status: 200, body: "stored" });
  held.length = 0;

  // Once the connections close, a new sender is served again.
  for (const s of sockets.splice(0)) s.destroy();
  await connectionsAre(0);
  const later = open(port);
  await later.connected;
  later.send("/api/push/events/source-a");
  await vi.waitFor(() => expect(held).toHaveLength(1));
  held[0]?.end("stored");
  expect(await later.answer()).toMatchObject({ status: 200, body: "stored" });
});

it("closes connections past the hard bound unanswered", async () => {
  server = createHttpServer((_req, res) => res.end("ok"), { maxConnections: 1 });
  let dropped = 0;
  server.on("drop", () => dropped++);
  await new Promise<void>((r) => server?.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  const kept = Array.from({ length: HARD_FACTOR }, () => open(port));
  for (const c of kept) await c.connected;
  await connectionsAre(HARD_FACTOR);
  const past = open(port);
  await past.connected;
  past.send("/");
  expect(await past.answer()).toBeNull();
  expect(dropped).toBe(1);
  // The first connection is served; those past the limit but within the bound are served for pages too.
  kept[0]?.send("/");
  expect((await kept[0]?.answer())?.status).toBe(200);
  kept[HARD_FACTOR - 1]?.send("/");
  expect((await kept[HARD_FACTOR - 1]?.answer())?.status).toBe(200);
});

it("the bare push receiver (the push benchmark's) takes REALMWATCH_MAX_CONNECTIONS and counts what it refuses for the source", async () => {
  const { sourceId, secret } = await createTestPushSource(sql, "http-server-test");
  child = spawn(process.execPath, ["--import", "tsx", "testkit/push-server.ts"], {
    env: {
      ...process.env,
      DATABASE_URL: testDatabaseUrl(),
      PUSH_SERVER_PORT: "0",
      REALMWATCH_MAX_CONNECTIONS: "1",
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child?.stdout?.on("data", (d: Buffer) => {
      const m = /listening (\d+)/.exec(d.toString());
      if (m) resolve(Number(m[1]));
    });
    child?.once("exit", (code) => reject(new Error(`the push receiver exited (${code})`)));
  });
  const first = open(port);
  await first.connected;
  const second = open(port);
  await second.connected;
  // A signed push on the second connection is refused before the receiver reads it; the first connection's
  // push, to a source that does not exist, reaches the receiver (404).
  const body = JSON.stringify(phaseTwoLoginError());
  second.send(`/api/push/events/${sourceId}`, body, {
    "x-keycloak-signature": keycloakSignature(body, secret),
  });
  const refused = await second.answer();
  expect(refused?.status).toBe(429);
  expect(JSON.parse(refused?.body ?? "{}").details).toEqual({ reason: "connections", retryAfterSec: 1 });
  first.send("/api/push/events/00000000-0000-4000-8000-00000000dead");
  expect((await first.answer())?.status).toBe(404);
  // The refusal is counted for the source (no batch follows it: it is written on its own shortly after).
  await vi.waitFor(
    async () => {
      const rows = await sql<{ rejected: number; reason: string }[]>`
        select rejected, last_reject_reason as reason from push_minutes where source_id = ${sourceId}`;
      expect(rows).toEqual([
        {
          rejected: 1,
          reason:
            "connections: the receiver was serving its limit of 1 connections (REALMWATCH_MAX_CONNECTIONS); refused with Retry-After: 1 s, the sender sends it again",
        },
      ]);
    },
    { timeout: 10_000, interval: 200 },
  );
  // Nothing of the push was stored.
  const [stored] = await sql<
    { n: number }[]
  >`select count(*)::int as n from user_events where source_id = ${sourceId}`;
  expect(stored?.n).toBe(0);
  await removeTestPushSource(sql, sourceId);
});

it("serves 1,024 connections unless REALMWATCH_MAX_CONNECTIONS says otherwise, and names the variable when it is bad", () => {
  expect(parseEnv({}).REALMWATCH_MAX_CONNECTIONS).toBe(1024);
  expect(parseEnv({ REALMWATCH_MAX_CONNECTIONS: "4096" }).REALMWATCH_MAX_CONNECTIONS).toBe(4096);
  for (const bad of ["0", "-5", "1.5", "many"])
    expect(() => parseEnv({ REALMWATCH_MAX_CONNECTIONS: bad })).toThrow(/REALMWATCH_MAX_CONNECTIONS/);
});
