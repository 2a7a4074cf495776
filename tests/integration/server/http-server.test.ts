import { type ChildProcess, spawn } from "node:child_process";
import type http from "node:http";
import { type AddressInfo, connect, type Socket } from "node:net";
import { afterEach, expect, it, vi } from "vitest";
import { parseEnv } from "@/lib/server/env";
import { createHttpServer, HARD_FACTOR } from "@/lib/server/http-server";
import { testDatabaseUrl } from "../helpers/db";

/**
 * The product's server bounds the connections it serves: past the limit a push is answered 429 with Retry-After
 * and its connection closed (a sender retries an answer, not a dropped socket), other requests are still
 * served, and past the hard bound Node closes new connections unanswered.
 */
let server: http.Server | null = null;
const sockets: Socket[] = [];
let child: ChildProcess | null = null;

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
    send(path: string, body = '{"type":"LOGIN_ERROR"}') {
      socket.write(
        `POST ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n` +
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
  server = createHttpServer(
    (req, res) => {
      req.resume();
      // Pushes wait for their answer (as they do while their events are written); other requests are answered.
      if (req.url?.startsWith("/api/push/")) req.on("end", () => held.push(res));
      else res.end("page");
    },
    { maxConnections: 3 },
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
  for (const c of extra) {
    await c.connected;
    c.send("/api/push/events/source-a");
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

it("the bare push receiver (the push benchmark's) takes REALMWATCH_MAX_CONNECTIONS", async () => {
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
  // Both name a source that does not exist: the first connection's push reaches the receiver (404), the
  // second's is refused before it.
  const unknown = "/api/push/events/00000000-0000-4000-8000-00000000dead";
  second.send(unknown);
  expect((await second.answer())?.status).toBe(429);
  first.send(unknown);
  expect((await first.answer())?.status).toBe(404);
});

it("serves 1,024 connections unless REALMWATCH_MAX_CONNECTIONS says otherwise, and names the variable when it is bad", () => {
  expect(parseEnv({}).REALMWATCH_MAX_CONNECTIONS).toBe(1024);
  expect(parseEnv({ REALMWATCH_MAX_CONNECTIONS: "4096" }).REALMWATCH_MAX_CONNECTIONS).toBe(4096);
  for (const bad of ["0", "-5", "1.5", "many"])
    expect(() => parseEnv({ REALMWATCH_MAX_CONNECTIONS: bad })).toThrow(/REALMWATCH_MAX_CONNECTIONS/);
});
