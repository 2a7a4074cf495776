import { route } from "@/lib/auth/route";
import { getSql } from "@/lib/db/sql";
import { receiveReport } from "@/lib/ingest/reports/receive";
import { clientAddress } from "@/lib/server/client-address";
import { getEnv } from "@/lib/server/env";
import { isAppError } from "@/lib/server/errors";
import { readCappedText } from "@/lib/server/read-capped-text";
import { json } from "@/lib/server/respond";
import { sharedLimiter } from "@/lib/server/shared-limiters";
import { HEADERS } from "@/packages/reporter/src/signature";

export const dynamic = "force-dynamic";

/**
 * POST /api/reports: a resource server's signed denial report (docs/report-middleware.md). 401 when unsigned
 * or the signature does not match, 409 for a replayed nonce, 400 for a bad body, 413 past 64 KB; 201 with the
 * cause it was classified as. The token in the body is decoded to a few claims and never stored. The body is
 * read as text here, since the signature covers its exact bytes.
 */
export const POST = route({}, async ({ request }) => {
  const limiter = sharedLimiter(PREFIX);
  const now = Date.now();
  const address = `failed:${clientAddress(request.headers, getEnv().REALMWATCH_TRUST_PROXY)}`;
  const body = await readCappedText(request);
  try {
    const received = await receiveReport(
      getSql(),
      {
        source: request.headers.get(HEADERS.source),
        timestamp: request.headers.get(HEADERS.timestamp),
        nonce: request.headers.get(HEADERS.nonce),
        signature: request.headers.get(HEADERS.signature),
      },
      body,
      now,
      (sourceId) => {
        const rate = limiter.take(`source:${sourceId}`, now);
        if (!rate.ok) throw new RateLimitedError(rate.retryAfterSec);
      },
    );
    return json(received, { status: 201 });
  } catch (err) {
    if (err instanceof RateLimitedError) return rateLimitedResponse(err.retryAfterSec);
    // A report that fails verification is charged to the client address, never to the source it names (which
    // would let anyone block a known source's signed reports); verified reports always get their own bucket.
    if (isAppError(err) && err.code === "unauthorized") {
      const rate = limiter.take(address, now);
      if (!rate.ok) return rateLimitedResponse(rate.retryAfterSec);
    }
    throw err;
  }
});

const PREFIX = "/api/reports";

class RateLimitedError extends Error {
  constructor(readonly retryAfterSec: number) {
    super("rate limited");
  }
}

function rateLimitedResponse(retryAfterSec: number) {
  return json(
    { error: "rate_limited", message: `Too many reports: retry in ${retryAfterSec} s.` },
    { status: 429, headers: { "Retry-After": String(retryAfterSec) } },
  );
}
