import { route } from "@/lib/auth/route";
import { getSql } from "@/lib/db/sql";
import { receiveReport } from "@/lib/ingest/reports/receive";
import { clientAddress } from "@/lib/server/client-address";
import { getEnv } from "@/lib/server/env";
import { readCappedText } from "@/lib/server/read-capped-text";
import { json } from "@/lib/server/respond";
import { chargedAfterAuth } from "@/lib/server/shared-limiters";
import { HEADERS } from "@/packages/reporter/src/signature";

export const dynamic = "force-dynamic";

/**
 * POST /api/reports: a resource server's signed denial report (docs/report-middleware.md). 401 when unsigned
 * or the signature does not match, 409 for a replayed nonce, 400 for a bad body, 413 past 64 KB; 201 with the
 * cause it was classified as. The token in the body is decoded to a few claims and never stored. The body is
 * read as text here, since the signature covers its exact bytes.
 */
export const POST = route({}, async ({ request }) => {
  const now = Date.now();
  const body = await readCappedText(request);
  // A verified report is charged to its source; one that fails verification to the client address, never to the
  // source it names (which would let anyone block a known source's signed reports).
  const client = clientAddress(request.headers, getEnv().REALMWATCH_TRUST_PROXY);
  const received = await chargedAfterAuth(
    "/api/reports",
    client,
    (admit) =>
      receiveReport(
        getSql(),
        {
          source: request.headers.get(HEADERS.source),
          timestamp: request.headers.get(HEADERS.timestamp),
          nonce: request.headers.get(HEADERS.nonce),
          signature: request.headers.get(HEADERS.signature),
        },
        body,
        now,
        (sourceId) => admit(`source:${sourceId}`),
      ),
    now,
  );
  return json(received, { status: 201 });
});
