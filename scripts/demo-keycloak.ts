/**
 * The Keycloak-compatible demo server.
 *
 *   npm run demo-keycloak -- --port 8180 [--mode modern|legacy] [--seed 1] [--no-live] [--days 14]
 *                            [--events-per-day 2000] [--time-zone UTC] [--no-traffic]
 *                            [--events-log-level info|debug] [--realm-accounts]
 *   npm run demo-keycloak -- --bench [--events 1000000]     store and paging benchmark, then exit
 */
import { parseArgs } from "node:util";
import {
  DEMO_INCIDENTS,
  DEMO_SERVICE_ACCOUNT,
  DEMO_SIGN_IN_USERS,
  DEMO_WEB_CLIENT,
  startDemoKeycloak,
} from "@/packages/demo-keycloak/src";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "8180" },
    host: { type: "string", default: "127.0.0.1" },
    mode: { type: "string", default: "modern" },
    seed: { type: "string", default: "1" },
    days: { type: "string", default: "14" },
    "events-per-day": { type: "string", default: "2000" },
    "time-zone": { type: "string", default: "UTC" },
    "no-live": { type: "boolean", default: false },
    "no-traffic": { type: "boolean", default: false },
    "events-log-level": { type: "string", default: "info" },
    "realm-accounts": { type: "boolean", default: false },
    bench: { type: "boolean", default: false },
    events: { type: "string", default: "1000000" },
  },
});

function int(name: string, value: string | undefined): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`--${name} must be a non-negative integer, got ${value}`);
    process.exit(2);
  }
  return n;
}

if (values.mode !== "modern" && values.mode !== "legacy") {
  console.error(`--mode must be modern or legacy, got ${values.mode}`);
  process.exit(2);
}

const eventsLogLevel = values["events-log-level"];
if (eventsLogLevel !== "info" && eventsLogLevel !== "debug") {
  console.error(`--events-log-level must be info or debug, got ${eventsLogLevel}`);
  process.exit(2);
}

if (values.bench) {
  await bench(int("events", values.events));
  process.exit(0);
}

const demo = await startDemoKeycloak({
  port: int("port", values.port),
  host: values.host,
  mode: values.mode,
  seed: int("seed", values.seed),
  serverTimeZone: values["time-zone"],
  eventsLogLevel,
  realmAccounts: values["realm-accounts"],
  traffic: values["no-traffic"]
    ? false
    : {
        days: int("days", values.days),
        eventsPerDay: int("events-per-day", values["events-per-day"]),
        live: !values["no-live"],
      },
});

console.log(`demo Keycloak (${values.mode}) listening on ${demo.url}`);
console.log(
  `  service account: realm master, client_id ${DEMO_SERVICE_ACCOUNT.clientId}, secret ${DEMO_SERVICE_ACCOUNT.secret}${values["realm-accounts"] ? " (and the same in each demo realm, which serverinfo tells no version)" : ""}`,
);
console.log(`                   roles on every demo realm: ${DEMO_SERVICE_ACCOUNT.roles.join(", ")}`);
console.log(
  `  sign-in client:  ${DEMO_WEB_CLIENT.clientId} / ${DEMO_WEB_CLIENT.secret}; users ${DEMO_SIGN_IN_USERS.join(", ")} (password = username)`,
);
console.log("  administrator:   admin / admin (realm master, client admin-cli) can apply fixes");
console.log(
  `  incidents:       ${demo.incidents().length} of ${DEMO_INCIDENTS.length} planted (GET ${demo.url}/__demo/incidents)`,
);
console.log(
  `  logs:            GET ${demo.url}/__demo/access-log?after=0, /__demo/event-log?after=0, /__demo/reports?after=0`,
);
console.log(
  `                   the event log is a ${eventsLogLevel === "debug" ? "debug-level log: every event" : "default Keycloak log: *_ERROR lines only (--events-log-level debug for all)"}`,
);

let closing = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (closing) return;
    closing = true;
    void demo.close().then(() => process.exit(0));
  });
}

/** Memory of n bulk events and the time to page them over HTTP, bounded to a few seconds. */
async function bench(n: number): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  const demo = await startDemoKeycloak({ traffic: false, seed: 1 });
  try {
    gc?.();
    const before = process.memoryUsage();
    const end = Date.now();
    const start = end - 14 * 86_400_000;
    let t = performance.now();
    demo.store.generateBulk("acme", n, { startTime: start, endTime: end, seed: 1, tiesEvery: 50 });
    const generateMs = performance.now() - t;
    gc?.();
    const after = process.memoryUsage();
    const tokenRes = await fetch(`${demo.url}/realms/master/protocol/openid-connect/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_id: DEMO_SERVICE_ACCOUNT.clientId,
        client_secret: DEMO_SERVICE_ACCOUNT.secret,
      }),
    });
    const token = ((await tokenRes.json()) as { access_token: string }).access_token;
    const page = async (query: string) => {
      const t0 = performance.now();
      const res = await fetch(`${demo.url}/admin/realms/acme/events?${query}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const body = await res.text();
      return {
        ms: performance.now() - t0,
        bytes: body.length,
        count: (JSON.parse(body) as unknown[]).length,
      };
    };
    const pages = Math.min(20, Math.ceil(n / 10_000));
    t = performance.now();
    let served = 0;
    let bytes = 0;
    for (let i = 0; i < pages; i++) {
      const p = await page(`direction=asc&dateFrom=${start}&first=${i * 10_000}&max=10000`);
      served += p.count;
      bytes += p.bytes;
    }
    const pagingMs = performance.now() - t;
    const deep = await page(`direction=asc&first=${Math.max(0, n - 10_000)}&max=10000`);
    const filtered = await page(`type=LOGIN_ERROR&client=bulk-spa&first=${Math.floor(n / 200)}&max=1000`);
    const result = {
      events: n,
      generateMs: Math.round(generateMs),
      heapPerMillionEventsMB: gc
        ? Math.round(
            ((after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers) / 1e6) *
              (1_000_000 / n),
          )
        : null,
      rssMB: Math.round(after.rss / 1e6),
      pagesOf10000: pages,
      eventsServed: served,
      msPerPageOf10000: Math.round(pagingMs / pages),
      eventsPerSecondServed: Math.round(served / (pagingMs / 1000)),
      mbPerPage: Math.round((bytes / pages / 1e6) * 10) / 10,
      deepPageMs: Math.round(deep.ms),
      filteredDeepPageMs: Math.round(filtered.ms),
    };
    console.log(JSON.stringify(result, null, 2));
    if (!gc) console.log("(run with NODE_OPTIONS=--expose-gc for the heap figure)");
  } finally {
    await demo.close();
  }
}
