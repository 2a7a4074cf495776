/**
 * Next.js calls register() once per server start: the retention timer, and the background sync poller and its
 * jobs (lib/jobs.ts) start here. When the demo start path started the demo Keycloak it says so in REALMWATCH_DEMO_KEYCLOAK_URL, and the
 * demo's access-log and report feed is added in front of the jobs: nothing in lib imports the demo.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  const { getEnv } = await import("./lib/server/env");
  const env = getEnv();
  const [{ startRetentionTimer }, { getSql: sqlForRetention }] = await Promise.all([
    import("./lib/retention/retention-timer"),
    import("./lib/db/sql"),
  ]);
  // Retention runs on its own timer, with the background sync on or off.
  startRetentionTimer(sqlForRetention());
  if (env.REALMWATCH_POLLER === "off") return;
  const [{ startServerPoller }, { afterSyncJobs }, { getSql }, { createUserNameResolver }] =
    await Promise.all([
      import("./lib/ingest/sync/server-poller"),
      import("./lib/jobs"),
      import("./lib/db/sql"),
      import("./lib/ingest/sync/resolve-user-names"),
    ]);
  const before = env.REALMWATCH_DEMO_KEYCLOAK_URL
    ? [
        (await import("./packages/demo-keycloak/src/feed/feed-demo-denials")).demoFeedJob(
          env.REALMWATCH_DEMO_KEYCLOAK_URL,
        ),
      ]
    : [];
  startServerPoller(
    afterSyncJobs({
      resolveUser: createUserNameResolver(getSql()),
      publicUrl: env.REALMWATCH_PUBLIC_URL,
      before,
    }),
  );
}
