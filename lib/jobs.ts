import "server-only";
import { dispatchPatternAlerts } from "@/lib/alerts/dispatch-pattern-alerts";
import type { AfterSyncJob } from "@/lib/ingest/sync/server-poller";
import { reclassifyBatch } from "@/lib/ingest/write/reclassify";
import { refreshPatterns } from "@/lib/patterns/refresh-patterns";
import type { UserNameLookup } from "@/lib/queries/names/entity-names";

/**
 * Every job after a sync, in one place (retention is not one: it runs on its own timer,
 * lib/retention/retention-timer.ts, so that it runs whatever the sync does). `before` are jobs that bring in more events first (the demo start path
 * adds the demo Keycloak's access-log and report feed here), so this round's detection sees them.
 */
export function afterSyncJobs(options: {
  resolveUser: UserNameLookup;
  publicUrl: string | undefined;
  before?: AfterSyncJob[];
}): AfterSyncJob[] {
  return [
    ...(options.before ?? []),
    {
      // A bounded slice of re-classification per round (nothing to do unless the catalogue changed).
      name: "reclassify",
      run: async (sql) => {
        for (let i = 0; i < 4; i++) if ((await reclassifyBatch(sql)).done) break;
      },
    },
    {
      name: "refresh patterns",
      run: async (sql, now) => {
        await refreshPatterns(sql, { now: now.getTime(), resolveUser: options.resolveUser });
      },
    },
    {
      name: "pattern alerts",
      run: async (sql, now) => {
        await dispatchPatternAlerts(sql, now, { publicUrl: options.publicUrl });
      },
    },
  ];
}
