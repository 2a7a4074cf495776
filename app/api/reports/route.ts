import { route } from "@/lib/auth/route";
import { getSql } from "@/lib/db/sql";
import { readCappedText } from "@/lib/ingest/reports/read-capped-text";
import { receiveReport } from "@/lib/ingest/reports/receive";
import { json } from "@/lib/server/respond";
import { HEADERS } from "@/packages/reporter/src/signature";

export const dynamic = "force-dynamic";

/**
 * POST /api/reports: a resource server's signed denial report (docs/report-middleware.md). 401 when unsigned
 * or the signature does not match, 409 for a replayed nonce, 400 for a bad body, 413 past 64 KB; 201 with the
 * cause it was classified as. The token in the body is decoded to a few claims and never stored. The body is
 * read as text here, since the signature covers its exact bytes.
 */
export const POST = route({}, async ({ request }) => {
  const body = await readCappedText(request);
  const received = await receiveReport(
    getSql(),
    {
      source: request.headers.get(HEADERS.source),
      timestamp: request.headers.get(HEADERS.timestamp),
      nonce: request.headers.get(HEADERS.nonce),
      signature: request.headers.get(HEADERS.signature),
    },
    body,
  );
  return json(received, { status: 201 });
});
