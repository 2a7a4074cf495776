import type { EventsLogLevel } from "./event-log";
import type { ServerMode } from "./event-query";
import type { ColumnarEventStore } from "./event-store";
import type { FaultState } from "./fault-state";
import type { SigningKey } from "./jwt";
import type { LogBuffer } from "./log-buffer";
import type { Prng } from "./prng";
import type { RealmModel } from "./realm-model";
import type { ResourceServerReportBody } from "./report-body";
import type { SimulatedApps } from "./simulated-apps";
import type { TextLog } from "./text-log";

export type { ServerMode };

/** Everything the emulated server holds; route handlers and the traffic generator share it. */
export interface DemoState {
  mode: ServerMode;
  version: string;
  serverTimeZone: string;
  realms: Map<string, RealmModel>;
  store: ColumnarEventStore;
  key: SigningKey;
  now: () => number;
  /** Whether answers carry a `Date` header (a reverse proxy adds one; a bare server may not). */
  dateHeader: boolean;
  prng: Prng;
  /** Base URL the server answers on; set when listening. */
  baseUrl: string;
  accessLog: TextLog;
  /** The jboss-logging listener's lines that reach the server log at `eventsLogLevel`. */
  eventLog: TextLog;
  eventsLogLevel: EventsLogLevel;
  reports: LogBuffer<ResourceServerReportBody>;
  tokens: TokenRegistry;
  faults: FaultState;
  apps: SimulatedApps;
  startedAt: number;
}

/** Issued token ids, so `expireTokensNow()` can invalidate every token issued so far. */
export class TokenRegistry {
  private issued = new Set<string>();
  private readonly revoked = new Set<string>();

  issue(jti: string): void {
    this.issued.add(jti);
  }

  isRevoked(jti: unknown): boolean {
    return typeof jti === "string" && this.revoked.has(jti);
  }

  revokeAll(): void {
    for (const j of this.issued) this.revoked.add(j);
    this.issued = new Set();
  }
}
