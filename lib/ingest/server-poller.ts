import "server-only";
import { dispatchPatternAlerts } from "@/lib/alerts/dispatch-pattern-alerts";
import { getSql } from "@/lib/db/sql";
import { feedDemoDenials } from "@/lib/demo-feed/feed-demo-denials";
import { refreshPatterns } from "@/lib/patterns/refresh-patterns";
import { readRetentionConfig } from "@/lib/retention/retention-config";
import { runRetention } from "@/lib/retention/run-retention";
import { getEnv } from "@/lib/server/env";
import { classifyRow } from "./classify-row";
import { type Poller, startPoller } from "./poller";
import { reclassifyBatch } from "./reclassify";
import { createUserNameResolver } from "./resolve-user-names";
import { syncOptionsFromEnv } from "./sync-options";

const KEY = Symbol.for("realmwatch.poller");
type Holder = { [KEY]?: Poller };

const RETENTION_EVERY_MS = 3_600_000;
let lastRetention = 0;

/** One poller per server process (module instances may be duplicated across Next bundles: keep it global). */
export function startServerPoller(): Poller {
  const holder = globalThis as Holder;
  if (holder[KEY]) return holder[KEY];
  const env = getEnv();
  const resolveUser = createUserNameResolver(getSql());
  const poller = startPoller(
    getSql(),
    env.REALMWATCH_SYNC_INTERVAL_SEC * 1000,
    () => ({ ...syncOptionsFromEnv(env), classify: classifyRow }),
    {
      afterSync: async (sql) => {
        // The demo Keycloak's access log and resource-server reports: the denials Keycloak never records.
        const demoUrl = process.env.REALMWATCH_DEMO_KEYCLOAK_URL;
        if (demoUrl) {
          const [demo] = await sql<{ id: string }[]>`select id from sources where name = 'demo'`;
          if (demo) await feedDemoDenials(sql, demoUrl, demo.id);
        }
        // A bounded slice of re-classification per round (nothing to do unless the catalogue changed).
        for (let i = 0; i < 4; i++) if ((await reclassifyBatch(sql)).done) break;
        await refreshPatterns(sql, { now: Date.now(), resolveUser });
        await dispatchPatternAlerts(sql, new Date(), { publicUrl: process.env.REALMWATCH_PUBLIC_URL });
        if (Date.now() - lastRetention > RETENTION_EVERY_MS) {
          lastRetention = Date.now();
          await runRetention(sql, readRetentionConfig(), new Date());
        }
      },
    },
  );
  holder[KEY] = poller;
  const stop = () => void poller.stop();
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  return poller;
}

export function getServerPoller(): Poller | undefined {
  return (globalThis as Holder)[KEY];
}
