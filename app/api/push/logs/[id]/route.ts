import { z } from "zod";
import { route } from "@/lib/auth/route";
import { getSql } from "@/lib/db/sql";
import { sharedPushWriter } from "@/lib/ingest/push/push-writer";
import { receiveLogStream } from "@/lib/ingest/push/receive-log-stream";
import { clientAddress } from "@/lib/server/client-address";
import { getEnv } from "@/lib/server/env";
import { AppError } from "@/lib/server/errors";
import { one } from "@/lib/server/query-params";
import { chargedAfterAuth } from "@/lib/server/shared-limiters";

export const dynamic = "force-dynamic";

const query = z.object({
  realm: one(z.string().trim().min(1).max(255).optional()),
  tz: one(z.string().trim().min(1).max(64).optional()),
});

/**
 * POST /api/push/logs/<source id> with `Authorization: Bearer <push token>`: newline-delimited Keycloak log
 * lines from a log shipper (Vector, Fluent Bit, Logstash). The body is streamed; lines longer than 64 KiB are
 * skipped and counted. The answer (what was read, stored, already stored, skipped) comes once it is stored.
 */
export const POST = route({ query }, async ({ request, params, query }) => {
  const body = request.body;
  if (!body) throw new AppError("bad_request", "Send the log lines as the request body.");
  const client = clientAddress(request.headers, getEnv().REALMWATCH_TRUST_PROXY);
  const sql = getSql();
  return chargedAfterAuth("/api/push/logs/", client, (admit) =>
    receiveLogStream(sql, sharedPushWriter(sql), {
      sourceId: String(params.id ?? ""),
      authorization: request.headers.get("authorization"),
      body: body as unknown as AsyncIterable<Uint8Array>,
      defaultRealm: query.realm,
      timeZone: query.tz,
      admit: (id) => admit(`push:${id}`),
    }),
  );
});
