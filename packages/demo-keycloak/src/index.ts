import { isTimeZone } from "@/lib/time/zoned-time";
import { buildDemoRealms, DEMO_SERVICE_ACCOUNT, type ServiceAccountSpec } from "./build-realms";
import type { DemoIncident } from "./demo-incidents";
import type { DemoState, ServerMode } from "./demo-state";
import { TokenRegistry } from "./demo-state";
import type { EventsLogLevel } from "./event-log";
import { ColumnarEventStore, type DemoEventStore } from "./event-store";
import { FaultState } from "./fault-state";
import { createFaults, type DemoFaults } from "./faults";
import { generateSigningKey } from "./jwt";
import { LogBuffer } from "./log-buffer";
import { createPrng } from "./prng";
import type { ResourceServerReportBody } from "./report-body";
import { listen } from "./server";
import { LEGACY_VERSION, MODERN_VERSION } from "./server-version";
import { SimulatedApps } from "./simulated-apps";
import { TextLog } from "./text-log";
import { startTraffic } from "./traffic";

export { DEMO_SERVICE_ACCOUNT, DEMO_WEB_CLIENT, demoSourceInput } from "./build-realms";
export { DEMO_INCIDENTS, type DemoIncident, type DemoIncidentSpec } from "./demo-incidents";
export { DEMO_SIGN_IN_USERS } from "./demo-realm-specs";
export type { DemoEventStore } from "./event-store";
export type { DemoFaults } from "./faults";
export type { ResourceServerReportBody } from "./report-body";

export interface DemoKeycloakOptions {
  /** 0 = ephemeral. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /**
   * modern = a 26.6.3 server (26.2+ events API); legacy = a 26.1.3 server (no id, no direction, day dates
   * in the server time zone, newest first, user-events dateTo = end of that day as since 26.0, admin-events
   * dateTo = start of that day as until 26.2).
   */
  mode?: ServerMode;
  /** The JVM time zone legacy servers parse day strings in; default "UTC". */
  serverTimeZone?: string;
  /**
   * The Keycloak version the server claims (serverinfo) and behaves as where versions differ (the password
   * grant's status, serverinfo's visibility, the token endpoint's origin check); default "26.6.3" modern,
   * "26.1.3" legacy (server-version.ts).
   */
  version?: string;
  /** Seeds every generated id, user, event and incident. Default 1. */
  seed?: number;
  /** History (default 14 days, 2,000 events per realm-day) and, when live (default), ongoing traffic. */
  traffic?: false | { days?: number; eventsPerDay?: number; live?: boolean; now?: () => number };
  /** Default ["acme", "retail", "internal"], plus "master" holding the service account. */
  realms?: string[];
  /** Default realmwatch / realmwatch-demo-secret with view-events, manage-events, view-realm, view-clients, view-users on every realm. */
  serviceAccount?: ServiceAccountSpec;
  /**
   * Also give each demo realm a `realmwatch` client whose service account holds the same roles on that
   * realm's own realm-management client: the realm-scoped account of an administrator without master access.
   * Keycloak 26.4+ tells such an account no version in serverinfo (ServerInfoAdminResource), so realmwatch
   * must detect the events API by probing. Default false.
   */
  realmAccounts?: boolean;
  /**
   * The level of the `org.keycloak.events` log category. "info" (default) is a default Keycloak server log:
   * only `*_ERROR` event lines (JBossLoggingEventListenerProviderFactory writes successes at DEBUG, errors at
   * WARN); "debug" is a server started with `--log-level=info,org.keycloak.events:debug`, whose log also holds
   * every success (and lockout) line.
   */
  eventsLogLevel?: EventsLogLevel;
  /** Default 300. */
  accessTokenLifespanSec?: number;
  /**
   * The server's clock, default the machine's (`Date.now`); `traffic.now` overrides it for old callers.
   * A test gives a simulated clock here.
   */
  now?: () => number;
  /**
   * How far the server's clock runs ahead of `now` (negative: behind), in ms. Events are stamped with the
   * skewed clock (Keycloak's EventBuilder uses the node's own `Time.currentTimeMillis()`), tokens and the
   * `Date` header of every answer carry it too, as a badly kept VM or container would.
   */
  clockOffsetMs?: number;
  /**
   * Whether answers carry a `Date` header on that clock (default true). Quarkus' HTTP layer (Vert.x) may
   * leave it out unless a reverse proxy adds it: false lets tests meet a server that gives none.
   */
  dateHeader?: boolean;
}

export interface DemoKeycloak {
  /** Base URL, e.g. http://127.0.0.1:34567. */
  url: string;
  close(): Promise<void>;
  /** Direct access to the stored events, for tests. */
  store: DemoEventStore;
  faults: DemoFaults;
  /** Access-log lines so far (Apache combined; `%u` = client id). */
  accessLog(): string[];
  /**
   * jboss-logging event-listener lines so far that reach the server log at `eventsLogLevel`, including events
   * the realm does not save.
   */
  eventLog(): string[];
  /** Resource-server denial reports so far. */
  reports(): ResourceServerReportBody[];
  /** The planted incidents with absolute times (empty without traffic); `end` is set once a live incident is fixed. */
  incidents(): DemoIncident[];
  /** Runs the live traffic generator up to the clock's now at once (it also runs every second by itself). */
  tick(): void;
}

/** Starts the Keycloak-compatible demo server. */
export async function startDemoKeycloak(opts: DemoKeycloakOptions = {}): Promise<DemoKeycloak> {
  const mode = opts.mode ?? "modern";
  const serverTimeZone = opts.serverTimeZone ?? "UTC";
  if (!isTimeZone(serverTimeZone)) throw new Error(`unknown time zone ${serverTimeZone}`);
  const seed = opts.seed ?? 1;
  const prng = createPrng(seed);
  const realms = buildDemoRealms(prng.fork(), {
    realms: opts.realms,
    serviceAccount: opts.serviceAccount ?? DEMO_SERVICE_ACCOUNT,
    realmAccounts: opts.realmAccounts,
  });
  if (opts.accessTokenLifespanSec !== undefined) {
    for (const r of realms.values()) r.accessTokenLifespan = opts.accessTokenLifespanSec;
  }
  const traffic = opts.traffic === false ? null : (opts.traffic ?? {});
  const base = traffic?.now ?? opts.now ?? (() => Date.now());
  const offset = opts.clockOffsetMs ?? 0;
  const now = offset === 0 ? base : () => base() + offset;
  const state: DemoState = {
    mode,
    version: opts.version ?? (mode === "modern" ? MODERN_VERSION : LEGACY_VERSION),
    serverTimeZone,
    realms,
    store: new ColumnarEventStore(new Map([...realms.values()].map((r) => [r.name, r.id])), now, seed),
    key: generateSigningKey(),
    now,
    dateHeader: opts.dateHeader ?? true,
    prng: prng.fork(),
    baseUrl: "",
    accessLog: new TextLog(),
    eventLog: new TextLog(),
    eventsLogLevel: opts.eventsLogLevel ?? "info",
    reports: new LogBuffer<ResourceServerReportBody>(100_000),
    tokens: new TokenRegistry(),
    faults: new FaultState(seed),
    apps: new SimulatedApps(),
    startedAt: now(),
  };
  let incidents: DemoIncident[] = [];
  let faults: DemoFaults | null = null;
  const host = opts.host ?? "127.0.0.1";
  const listener = await listen(
    state,
    () => faults!,
    () => incidents,
    { host, port: opts.port ?? 0 },
  );
  faults = createFaults(state, listener);
  state.baseUrl = `http://${host.includes(":") ? `[${host}]` : host}:${listener.port}`;
  let stopTraffic = () => {};
  let tick = () => {};
  if (traffic) {
    const running = startTraffic(state, {
      days: traffic.days ?? 14,
      eventsPerDay: traffic.eventsPerDay ?? 2000,
      live: traffic.live ?? true,
      seed,
    });
    incidents = running.incidents;
    stopTraffic = running.stop;
    tick = running.tick;
  }
  return {
    url: state.baseUrl,
    close: async () => {
      stopTraffic();
      await listener.close();
    },
    store: state.store,
    faults,
    accessLog: () => state.accessLog.all(),
    eventLog: () => state.eventLog.all(),
    reports: () => state.reports.all(),
    incidents: () => incidents,
    tick: () => tick(),
  };
}
