import { z } from "zod";
import { route } from "@/lib/auth/route";
import { getSql } from "@/lib/db/sql";
import { MAX_PUSH_BYTES } from "@/lib/ingest/push/push-limits";
import { recordRejected } from "@/lib/ingest/push/push-stats";
import { sharedPushWriter } from "@/lib/ingest/push/push-writer";
import { receivePush } from "@/lib/ingest/push/receive-push";
import { clientAddress } from "@/lib/server/client-address";
import { getEnv } from "@/lib/server/env";
import { isAppError } from "@/lib/server/errors";
import { one } from "@/lib/server/query-params";
import { readCappedText } from "@/lib/server/read-capped-text";
import { chargedAfterAuth } from "@/lib/server/shared-limiters";

export const dynamic = "force-dynamic";

const query = z.object({ realm: one(z.string().trim().min(1).max(255).optional()) });

/**
 * POST /api/push/events/<source id>: a Keycloak event listener's push (Phase Two's ext-event-webhook or
 * ext-event-http, or Keycloak's own event JSON, one event or an array). 200 once the events are durably
 * stored (a retry or replay is stored once); 401 unsigned or with a bad signature or token; 403 when the
 * source takes no pushes; 400 for a body that is not JSON or holds no event (with the reason, never the body);
 * 413 past 1 MiB; 404 for an unknown source.
 */
export const POST = route({ query }, async ({ request, params, query }) => {
  const sql = getSql();
  const sourceId = String(params.id ?? "");
  let text: string;
  try {
    text = await readCappedText(request, MAX_PUSH_BYTES);
  } catch (err) {
    if (isAppError(err) && /^[0-9a-f-]{36}$/i.test(sourceId))
      await recordRejected(sql, sourceId, `${err.code}: ${err.message}`, Date.now());
    throw err;
  }
  const client = clientAddress(request.headers, getEnv().REALMWATCH_TRUST_PROXY);
  return chargedAfterAuth("/api/push/events/", client, (admit) =>
    receivePush(sql, sharedPushWriter(sql), {
      sourceId,
      headers: {
        signature: request.headers.get("x-keycloak-signature"),
        authorization: request.headers.get("authorization"),
      },
      body: Buffer.from(text, "utf8"),
      defaultRealm: query.realm,
      admit: (id) => admit(`push:${id}`),
    }),
  );
});
