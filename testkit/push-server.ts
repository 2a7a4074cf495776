/**
 * The push receivers alone on a bare HTTP server (no Next), for tests that kill it while pushes arrive and for
 * `npm run bench -- push` (which starts it as a child process): POST /api/push/events/<source id> and
 * /api/push/logs/<source id>, the same receivePush / PushWriter and receiveLogStream the routes use. Prints
 * its port.
 * Env: DATABASE_URL, PUSH_SERVER_PORT (0: any), REALMWATCH_SECRET_KEY.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createSql } from "@/lib/db/sql";
import { PushWriter } from "@/lib/ingest/push/push-writer";
import { receiveLogStream } from "@/lib/ingest/push/receive-log-stream";
import { receivePush } from "@/lib/ingest/push/receive-push";
import { errorResponse } from "@/lib/server/respond";

const sql = createSql(process.env.DATABASE_URL ?? "", 8);
const writer = new PushWriter(sql);

const server = createServer(async (req, res) => {
  const [, channel, sourceId = ""] = /^\/api\/push\/(events|logs)\/([^/?]+)/.exec(req.url ?? "") ?? [];
  let status = 200;
  let body: unknown;
  try {
    if (channel === "logs") {
      body = await receiveLogStream(sql, writer, {
        sourceId,
        authorization: req.headers.authorization ?? null,
        body: req,
      });
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    body = await receivePush(sql, writer, {
      sourceId,
      headers: {
        signature: (req.headers["x-keycloak-signature"] as string | undefined) ?? null,
        authorization: req.headers.authorization ?? null,
      },
      body: Buffer.concat(chunks),
    });
  } catch (err) {
    const answer = errorResponse(err);
    status = answer.status;
    body = await answer.json();
  }
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
});

server.listen(Number(process.env.PUSH_SERVER_PORT ?? 0), "127.0.0.1", () => {
  process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`);
});
