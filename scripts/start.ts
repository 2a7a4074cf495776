/**
 * npm start / npm run dev: the whole product in one process.
 * - database: DATABASE_URL, or an embedded PostgreSQL in REALMWATCH_DATA_DIR (a stale server left by a killed
 *   run is shut down first);
 * - migrations: applied before anything else;
 * - Keycloak: the source from KEYCLOAK_* when set; otherwise the built-in demo Keycloak, so a newcomer sees a
 *   live dashboard;
 * - the Next.js app (built first when the build is missing or older than the sources), whose instrumentation
 *   hook starts the background sync poller.
 * Everything runs in this process, so SIGKILL leaves nothing behind but the embedded PostgreSQL, which the
 * next start recovers.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { assertAuthConfigured } from "@/lib/auth/assert-auth-configured";
import { resolveDatabase } from "@/lib/db/database";
import { applyMigrations } from "@/lib/db/migrate";
import { createSql } from "@/lib/db/sql";
import { countConnectionRefusal, drainSharedPushWriter } from "@/lib/ingest/push/push-writer";
import { getEnv } from "@/lib/server/env";
import { createHttpServer, listenHttp } from "@/lib/server/http-server";
import { registerEnvSource } from "@/lib/sources/env-source";
import { upsertSource } from "@/lib/sources/save-source";

const dev = process.argv.includes("--dev");
process.env.NEXT_TELEMETRY_DISABLED = "1";
const env = getEnv();
// Off loopback, realmwatch refuses to start without sign-in (or an explicit REALMWATCH_ALLOW_ANONYMOUS).
assertAuthConfigured(process.env);
const root = process.cwd();
const log = (msg: string) => console.log(`[realmwatch] ${msg}`);

const db = await resolveDatabase();
process.env.DATABASE_URL = db.url;
log(
  db.embedded
    ? `embedded PostgreSQL in ${path.join(env.REALMWATCH_DATA_DIR, "pg")}`
    : "PostgreSQL from DATABASE_URL",
);
let closeDemo: (() => Promise<void>) | undefined;
const sql = createSql(db.url, 1);
try {
  const applied = await applyMigrations(sql);
  if (applied.length) log(`applied migrations: ${applied.join(", ")}`);
  if (env.KEYCLOAK_URL) {
    await registerEnvSource(sql, env);
    log(`Keycloak source "default": ${env.KEYCLOAK_URL}`);
  } else if (env.REALMWATCH_DEMO !== "off") {
    // The demo Keycloak listens on 127.0.0.1, an address sources may use only when allowed (lib/server/outbound.ts).
    process.env.REALMWATCH_ALLOW_PRIVATE_SOURCES ??= "1";
    const { startDemoKeycloak, demoSourceInput } = await import("@/packages/demo-keycloak/src");
    const demo = await startDemoKeycloak({
      port: env.REALMWATCH_DEMO_KEYCLOAK_PORT,
      host: "127.0.0.1",
    }).catch(() => startDemoKeycloak({ port: 0, host: "127.0.0.1" }));
    closeDemo = () => demo.close();
    process.env.REALMWATCH_DEMO_KEYCLOAK_URL = demo.url;
    await upsertSource(sql, demoSourceInput(demo.url));
    log(`no KEYCLOAK_URL: using the built-in demo Keycloak at ${demo.url}`);
  }
} finally {
  await sql.end();
}

if (!dev && buildIsStale()) {
  log("building the app (next build)…");
  const r = spawnSync(process.execPath, [require_("next/dist/bin/next"), "build"], {
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const { default: next } = await import("next");
const app = next({ dev, dir: root, hostname: env.HOST, port: env.PORT });
await app.prepare();
const handle = app.getRequestHandler();
// At most REALMWATCH_MAX_CONNECTIONS served at once: pushes past them are answered 429 (lib/server/http-server.ts).
// Those refused are counted for their push source (the Sources page's rejected pushes).
const server = createHttpServer((req, res) => void handle(req, res), { onShed: countConnectionRefusal });
await listenHttp(server, env.PORT, env.HOST);
log(`ready on http://${env.HOST === "0.0.0.0" ? "localhost" : env.HOST}:${env.PORT}`);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log(`${signal}: shutting down`);
  const hard = setTimeout(() => process.exit(1), 15_000);
  hard.unref();
  await new Promise<void>((r) => server.close(() => r()));
  server.closeAllConnections();
  // Pushes refused while saturated are counted in memory until the next batch: write what is left.
  await drainSharedPushWriter().catch((err: unknown) => log(`push counts not written: ${String(err)}`));
  await app.close?.();
  await closeDemo?.();
  await db.stop();
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));

function require_(id: string): string {
  return path.join(root, "node_modules", id);
}

/** The build is stale when it is missing or any source file is newer than it. */
function buildIsStale(): boolean {
  const marker = path.join(root, ".next", "BUILD_ID");
  if (!existsSync(marker)) return true;
  const built = statSync(marker).mtimeMs;
  const newer = (dir: string): boolean =>
    existsSync(dir) &&
    readdirSync(dir, { withFileTypes: true }).some((e) => {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) return newer(p);
      return statSync(p).mtimeMs > built;
    });
  return ["app", "lib", "next.config.js", "proxy.ts", "instrumentation.ts", "package.json"].some((p) => {
    const full = path.join(root, p);
    return existsSync(full) && (statSync(full).isDirectory() ? newer(full) : statSync(full).mtimeMs > built);
  });
}
