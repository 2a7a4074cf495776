/**
 * The push receivers alone on a bare HTTP server (no Next), for tests that kill it while pushes arrive and for
 * `npm run bench -- push` (which starts it as a child process): POST /api/push/events/<source id> and
 * /api/push/logs/<source id>, the same receivePush / PushWriter and receiveLogStream the routes use. Prints
 * its port. Refusals carry the routes' status and Retry-After (a saturated writer answers 429).
 * The server is the product's own (lib/server/http-server.ts: REALMWATCH_MAX_CONNECTIONS and its timeouts).
 * Env: DATABASE_URL, PUSH_SERVER_PORT (0: any), REALMWATCH_SECRET_KEY, REALMWATCH_MAX_CONNECTIONS.
 */
import type { ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createSql } from "@/lib/db/sql";
import { countConnectionRefusal, PushWriter } from "@/lib/ingest/push/push-writer";
import { receiveLogStream } from "@/lib/ingest/push/receive-log-stream";
import { receivePush } from "@/lib/ingest/push/receive-push";
import { createHttpServer, listenHttp } from "@/lib/server/http-server";
import { errorResponse } from "@/lib/server/respond";

const sql = createSql(process.env.DATABASE_URL ?? "", 8);
const writer = new PushWriter(sql);

const server = createHttpServer(
  (req, res) => {
    const [, channel, sourceId = ""] = /^\/api\/push\/(events|logs)\/([^/?]+)/.exec(req.url ?? "") ?? [];
    if (channel === "logs") {
      answer(
        res,
        receiveLogStream(sql, writer, {
          sourceId,
          authorization: req.headers.authorization ?? null,
          body: req,
        }),
      );
      return;
    }
    // The body as it arrives, without an async iterator per request (measured in the receiver's profile).
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () =>
      answer(
        res,
        receivePush(sql, writer, {
          sourceId,
          headers: {
            signature: (req.headers["x-keycloak-signature"] as string | undefined) ?? null,
            authorization: req.headers.authorization ?? null,
          },
          body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks),
        }),
      ),
    );
  },
  { onShed: (path, limit) => countConnectionRefusal(path, limit, writer) },
);

/**
 * 200 with the receipt, or the error's status, body and headers (Retry-After) as the routes answer it; with its
 * Content-Length, not chunked, so that a sender reading answers by their length reads each whole.
 */
function answer(res: ServerResponse, receipt: Promise<unknown>): void {
  const send = (status: number, body: unknown, retryAfter?: string | null) => {
    const text = JSON.stringify(body);
    const headers: Record<string, string | number> = {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(text),
    };
    if (retryAfter) headers["retry-after"] = retryAfter;
    res.writeHead(status, headers);
    res.end(text);
  };
  receipt.then(
    (body) => send(200, body),
    async (err: unknown) => {
      const failure = errorResponse(err);
      send(failure.status, await failure.json(), failure.headers.get("retry-after"));
    },
  );
}

await listenHttp(server, Number(process.env.PUSH_SERVER_PORT ?? 0), "127.0.0.1");
process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`);
