import type postgres from "postgres";
import { syncSource } from "@/lib/ingest/sync/sync-source";
import { classifyRow } from "@/lib/ingest/write/classify-row";
import { listSources } from "@/lib/sources/read-sources";
import { upsertSource } from "@/lib/sources/save-source";
import { demoSourceInput } from "@/packages/demo-keycloak/src";
import { feedDemoDenials } from "@/packages/demo-keycloak/src/feed/feed-demo-denials";

/**
 * A demo Keycloak's whole history into the database, as a server would take it in: the demo as a source, a
 * sync of its events (classified at ingest), and the denials Keycloak never records (access log, reports).
 */
export async function ingestDemoHistory(sql: postgres.Sql, demoUrl: string): Promise<void> {
  await upsertSource(sql, demoSourceInput(demoUrl));
  for (const source of await listSources(sql)) {
    const outcome = await syncSource(sql, source, {
      overlapMs: 300_000,
      settleMs: 0,
      pageSize: 5000,
      classify: classifyRow,
    });
    if (outcome.status !== "ok")
      throw new Error(`the demo's sync ended ${outcome.status}: ${outcome.message}`);
    for (;;) {
      const fed = await feedDemoDenials(sql, demoUrl, source.id, { maxPages: 50 });
      if (!fed.more) break;
    }
  }
}
