import { getSql } from "@/lib/db/sql";
import { collectMetrics } from "@/lib/metrics/collect-metrics";
import { EXPOSITION_CONTENT_TYPE, renderExposition } from "@/lib/metrics/exposition";
import { metricsAccessAllowed } from "@/lib/metrics/metrics-token";
import { getEnv } from "@/lib/server/env";
import { errorResponse } from "@/lib/server/respond";

export const dynamic = "force-dynamic";

/** Prometheus scrape endpoint. */
export async function GET(request: Request) {
  if (!metricsAccessAllowed(request.headers.get("authorization"), getEnv().REALMWATCH_METRICS_TOKEN)) {
    return new Response("unauthorized\n", { status: 401, headers: { "WWW-Authenticate": "Bearer" } });
  }
  try {
    const body = renderExposition(await collectMetrics(getSql(), new Date()));
    return new Response(body, {
      headers: { "Content-Type": EXPOSITION_CONTENT_TYPE, "Cache-Control": "no-store" },
    });
  } catch (err) {
    return errorResponse(err);
  }
}
