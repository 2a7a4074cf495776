import path from "node:path";
import { getEnv } from "@/lib/server/env";
import { startEmbeddedPostgres } from "./embedded";

export interface ResolvedDatabase {
  url: string;
  embedded: boolean;
  stop(): Promise<void>;
}

/**
 * DATABASE_URL when set; otherwise the embedded PostgreSQL in REALMWATCH_DATA_DIR (default .data), started
 * now and stopped by the caller.
 */
export async function resolveDatabase(
  opts: { dataDir?: string; port?: number } = {},
): Promise<ResolvedDatabase> {
  const env = getEnv();
  const url = env.DATABASE_URL;
  if (url) return { url, embedded: false, stop: async () => {} };
  const dataDir = opts.dataDir ?? env.REALMWATCH_DATA_DIR;
  const db = await startEmbeddedPostgres({
    dataDir: path.join(dataDir, "pg"),
    port: opts.port ?? env.REALMWATCH_PG_PORT,
  });
  return { url: db.url, embedded: true, stop: db.stop };
}

/** True when the URL's host is this machine (tests refuse destructive resets of any other database). */
export function isLocalDatabaseUrl(url: string): boolean {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, "");
  return host === "" || host === "localhost" || host === "::1" || /^127\./.test(host);
}
