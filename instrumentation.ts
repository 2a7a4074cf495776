/** Next.js calls register() once per server start: the background sync poller lives here. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  if (process.env.REALMWATCH_POLLER === "off") return;
  const { startServerPoller } = await import("./lib/ingest/server-poller");
  startServerPoller();
}
