import { getAuthConfig } from "@/lib/auth/config";
import { route } from "@/lib/auth/route";
import { getSql } from "@/lib/db/sql";
import { collectMetrics } from "@/lib/metrics/collect-metrics";
import { EXPOSITION_CONTENT_TYPE, renderExposition } from "@/lib/metrics/exposition";
import { metricsAccessAllowed } from "@/lib/metrics/metrics-token";
import { getEnv } from "@/lib/server/env";

export const dynamic = "force-dynamic";

/** Prometheus scrape endpoint: public in the route-access table, since it checks its own bearer token. */
export const GET = route({}, async ({ request }) => {
  const token = getEnv().REALMWATCH_METRICS_TOKEN;
  const signInOn = getAuthConfig().mode === "oidc";
  if (!metricsAccessAllowed(request.headers.get("authorization"), token, signInOn)) {
    const text = token
      ? "unauthorized\n"
      : "unauthorized: set REALMWATCH_METRICS_TOKEN to scrape with sign-in on\n";
    return new Response(text, { status: 401, headers: { "WWW-Authenticate": "Bearer" } });
  }
  const body = renderExposition(await collectMetrics(getSql(), new Date()));
  return new Response(body, {
    headers: { "Content-Type": EXPOSITION_CONTENT_TYPE, "Cache-Control": "no-store" },
  });
});
