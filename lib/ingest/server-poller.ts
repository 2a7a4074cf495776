import "server-only";
import { getSql } from "@/lib/db/sql";
import { getEnv } from "@/lib/env";
import { classifyRow } from "./classify-row";
import { type Poller, startPoller } from "./poller";
import { syncOptionsFromEnv } from "./sync-options";

const KEY = Symbol.for("realmwatch.poller");
type Holder = { [KEY]?: Poller };

/** One poller per server process (module instances may be duplicated across Next bundles: keep it global). */
export function startServerPoller(): Poller {
  const holder = globalThis as Holder;
  if (holder[KEY]) return holder[KEY];
  const env = getEnv();
  const poller = startPoller(getSql(), env.REALMWATCH_SYNC_INTERVAL_SEC * 1000, () => ({
    ...syncOptionsFromEnv(env),
    classify: classifyRow,
  }));
  holder[KEY] = poller;
  const stop = () => void poller.stop();
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  return poller;
}

export function getServerPoller(): Poller | undefined {
  return (globalThis as Holder)[KEY];
}
