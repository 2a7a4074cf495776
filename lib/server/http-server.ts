import http from "node:http";
import type { Socket } from "node:net";
import { getEnv } from "@/lib/server/env";

/**
 * The product's HTTP server (scripts/start.ts around Next, and the bare push receiver the push benchmark and
 * the kill test run), configured in one place: how many connections it serves at once and how long it waits.
 *
 * Each open connection holds memory (its socket, parser and buffers, and while it waits for its answer the
 * request and its body), so an unbounded fleet of senders grows the process past any budget: at 4,096
 * concurrent webhook senders the receiver held 333-364 MiB. Past `maxConnections` (REALMWATCH_MAX_CONNECTIONS)
 * a new connection is still accepted, but a push arriving on it is answered at once with 429 and Retry-After
 * and the connection closed, without reading its body, so it holds nothing for long; other requests (people
 * using the pages) are still served. Node's own limit (http.Server maxConnections, which closes a socket as
 * soon as it is accepted, unanswered) is kept as the hard bound, at HARD_FACTOR times the setting.
 *
 * Why an answer rather than a closed socket: Phase Two's ext-event-webhook retries only an answer. Its
 * HttpSenderEventListenerProvider.send throws SenderException(true), retryable, for a status outside 2xx, but
 * wraps any exception of the request itself (refused, reset, closed before the answer) in SenderException(false),
 * and SenderEventListenerProvider.schedule gives up on a non-retryable one: the event is dropped, never resent
 * (p2-inc/keycloak-events 0.62). A 429 is resent after the ExponentialBackOff (500 ms, times 5, up to 15 min).
 * Nothing acknowledged is lost either way (an answer comes only once the events are stored), but only the
 * answer loses nothing. Log shippers retry a 429 as well (Vector retries 429 and 503 as temporary failures,
 * vectordotdev/vector#10870).
 */
export interface HttpServerOptions {
  /** Connections served at once (default REALMWATCH_MAX_CONNECTIONS). */
  maxConnections?: number;
  /** The requests refused on a connection past the limit (default: pushes, whose senders retry). */
  shed?: (req: http.IncomingMessage) => boolean;
  /** Told of each request so refused, with the limit (to count it for the source it names). */
  onShed?: (path: string, limit: number) => void;
}

/** Node closes connections past this many times the setting as soon as they are accepted. */
export const HARD_FACTOR = 4;

/** An idle keep-alive connection is closed after this long (ms). */
const KEEP_ALIVE_MS = 5_000;
/** A client that has not sent its request's headers after this long is disconnected (ms). */
const HEADERS_MS = 20_000;
/** The longest a request (a streamed log batch included) may take to arrive (ms). */
const REQUEST_MS = 300_000;

const OVER = Symbol("past the connection limit");
type Counted = Socket & { [OVER]?: boolean };

const isPush = (req: http.IncomingMessage) => req.url?.startsWith("/api/push/") ?? false;

export function createHttpServer(handler: http.RequestListener, opts: HttpServerOptions = {}): http.Server {
  const max = opts.maxConnections ?? getEnv().REALMWATCH_MAX_CONNECTIONS;
  const shed = opts.shed ?? isPush;
  let open = 0;
  const server = http.createServer((req, res) => {
    if ((req.socket as Counted)[OVER] && shed(req)) {
      refuse(res);
      opts.onShed?.(req.url ?? "", max);
    } else handler(req, res);
  });
  server.maxConnections = max * HARD_FACTOR;
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.headersTimeout = HEADERS_MS;
  server.requestTimeout = REQUEST_MS;
  server.on("connection", (socket: Counted) => {
    open++;
    if (open > max) socket[OVER] = true;
    socket.once("close", () => open--);
  });
  return server;
}

/**
 * Listens with a backlog as deep as the connections the server may hold (the kernel caps it at
 * net.core.somaxconn): a burst of senders connecting at once waits in the kernel's queue, costing the process
 * nothing, instead of overflowing Node's default of 511, where connections are reset or refused and a sender
 * gets no answer (ext-event-webhook then drops the event, see above).
 */
export function listenHttp(server: http.Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen({ port, host, backlog: Math.max(511, server.maxConnections) }, () => {
      server.off("error", reject);
      resolve();
    });
  });
}

const BUSY = JSON.stringify({
  error: "rate_limited",
  message:
    "The receiver is serving as many connections as it is set to: nothing was stored, send again shortly.",
  details: { reason: "connections", retryAfterSec: 1 },
});

/** 429 with Retry-After, the connection closed after it (the body is not read). */
function refuse(res: http.ServerResponse): void {
  res.writeHead(429, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(BUSY),
    "cache-control": "no-store",
    "retry-after": "1",
    connection: "close",
  });
  res.end(BUSY);
}
