import type { AdminEventRow, UserEventRow } from "@/lib/keycloak/event-rows";
import { zonedTime } from "@/lib/time/zoned-time";
import { seededRandom as seeded } from "@/testkit/seeded-random";

/**
 * Seeded, realistic event rows for the query benchmark and the analytics integration tests: weekday office
 * hours in one zone, a quiet weekend, a few busy clients and many quiet ones, 8% failures, almost all of them the
 * ordinary ones every realm has (wrong passwords, expired and ended sessions, locked accounts) with a sprinkle of
 * misconfigurations, and planted incidents with the admin change that caused them. A healthy realm does not fail
 * its clients' every hour with missing roles or redirect URIs: where that happens it is an incident.
 */

export interface PlantedIncident {
  realm: string;
  clientId: string;
  from: number;
  to: number;
  perHour: number;
  type: string;
  error: string | null;
  cause: string;
  origin?: UserEventRow["origin"];
  /** How many distinct users the failures spread over. */
  users: number;
  /** The admin change behind it, written this long before `from`. */
  change?: {
    minutesBefore: number;
    operationType: string;
    resourcePath: string;
    resourceType: string;
    representation?: string;
  };
}

export interface SyntheticOptions {
  seed: number;
  sourceId: string;
  from: number;
  to: number;
  /** Background events over the whole range (incidents come on top). */
  events: number;
  realms?: readonly string[];
  clientsPerRealm?: number;
  usersPerRealm?: number;
  timeZone?: string;
  incidents?: readonly PlantedIncident[];
  /** The share of background events that fail (default 0.08). */
  failureRate?: number;
}

const HOUR = 3_600_000;

const SUCCESSES = [
  { weight: 45, type: "LOGIN" },
  { weight: 35, type: "CODE_TO_TOKEN" },
  { weight: 15, type: "REFRESH_TOKEN" },
  { weight: 5, type: "LOGOUT" },
] as const;

const FAILURES = [
  {
    weight: 40,
    type: "LOGIN_ERROR",
    error: "invalid_user_credentials",
    cause: "user-credentials",
    user: true,
    client: true,
  },
  {
    weight: 15,
    type: "REFRESH_TOKEN_ERROR",
    error: "invalid_token",
    cause: "token-expired",
    user: true,
    client: true,
  },
  {
    weight: 10,
    type: "CODE_TO_TOKEN_ERROR",
    error: "invalid_code",
    cause: "session-invalid",
    user: true,
    client: true,
  },
  {
    weight: 1,
    type: "LOGIN_ERROR",
    error: "user_temporarily_disabled",
    cause: "user-state",
    user: true,
    client: true,
  },
  {
    weight: 0.1,
    type: "USER_INFO_REQUEST_ERROR",
    error: "access_denied",
    cause: "missing-scope",
    user: false,
    client: false,
  },
  {
    weight: 0.1,
    type: "CLIENT_LOGIN_ERROR",
    error: "invalid_client_credentials",
    cause: "client-auth",
    user: false,
    client: true,
  },
  {
    weight: 0.1,
    type: "LOGIN_ERROR",
    error: "invalid_redirect_uri",
    cause: "redirect-uri",
    user: false,
    client: true,
  },
  { weight: 0.1, type: "HTTP_DENIAL", error: null, cause: "missing-role", user: true, client: true },
  {
    weight: 0.1,
    type: "LOGIN_ERROR",
    error: "cookie_not_found",
    cause: "proxy-misconfig",
    user: false,
    client: true,
  },
] as const;

const FAILURE_RATE = 0.08;

function pick<T extends { weight: number }>(items: readonly T[], r: number): T {
  const total = items.reduce((s, i) => s + i.weight, 0);
  let x = r * total;
  for (const item of items) {
    x -= item.weight;
    if (x < 0) return item;
  }
  return items[items.length - 1]!;
}

/** A stable UUID-shaped id for (kind, realm, n). */
export function syntheticId(kind: number, realmIndex: number, n: number): string {
  const hex = (v: number, len: number) => (v >>> 0).toString(16).padStart(len, "0").slice(-len);
  return `${hex(kind * 7919 + realmIndex, 8)}-${hex(n >>> 16, 4)}-4${hex(n, 3)}-8${hex(realmIndex * 131 + kind, 3)}-${hex(n * 2654435761, 8)}${hex(kind, 4)}`;
}

export function syntheticUserId(realmIndex: number, n: number): string {
  return syntheticId(1, realmIndex, n);
}

export function syntheticClientId(n: number): string {
  const names = ["orders-ui", "orders-api", "billing-ui", "reports-job", "account-console", "mobile-app"];
  return names[n] ?? `service-${String(n).padStart(2, "0")}`;
}

/** The share of a week's traffic in each hour: office hours on weekdays, a little at night and weekends. */
function hourWeight(start: number, timeZone: string): number {
  const t = zonedTime(start, timeZone);
  const weekend = t.weekday >= 5;
  const office = t.hour >= 8 && t.hour < 18;
  const evening = t.hour >= 18 && t.hour < 23;
  return (
    (weekend ? 0.3 : 1) * (office ? 1 : evening ? 0.35 : 0.08) * (t.weekday === 0 && t.hour === 9 ? 1.6 : 1)
  );
}

/** Background user events over the range, oldest first, then the planted incidents. */
export function* syntheticUserEvents(opts: SyntheticOptions): Generator<UserEventRow> {
  const random = seeded(opts.seed);
  const realms = opts.realms ?? ["acme", "retail", "internal"];
  const clientsPerRealm = opts.clientsPerRealm ?? 12;
  const usersPerRealm = opts.usersPerRealm ?? 5_000;
  const timeZone = opts.timeZone ?? "Europe/Berlin";
  const realmWeights = realms.map((name, i) => ({ name, i, weight: 1 / (i + 1) ** 1.5 }));
  const clientWeights = Array.from({ length: clientsPerRealm }, (_, i) => ({ i, weight: 1 / (i + 1) }));

  const first = Math.floor(opts.from / HOUR) * HOUR;
  const hours: { start: number; weight: number }[] = [];
  for (let start = first; start < opts.to; start += HOUR)
    hours.push({ start, weight: hourWeight(start, timeZone) });
  const totalWeight = hours.reduce((s, h) => s + h.weight, 0);

  let n = 0;
  let carry = 0;
  for (const hour of hours) {
    const exact = (opts.events * hour.weight) / totalWeight + carry;
    const count = Math.floor(exact);
    carry = exact - count;
    const offsets = Array.from({ length: count }, () => Math.floor(random() * HOUR)).sort((a, b) => a - b);
    for (const offset of offsets) {
      const time = hour.start + offset;
      if (time < opts.from || time >= opts.to) continue;
      const realm = pick(realmWeights, random());
      const client = syntheticClientId(pick(clientWeights, random()).i);
      // Skewed users: a few very active, a long tail.
      const userIndex = Math.floor(usersPerRealm * random() ** 2);
      const failed = random() < (opts.failureRate ?? FAILURE_RATE);
      const failure = failed ? pick(FAILURES, random()) : null;
      const type = failure ? failure.type : pick(SUCCESSES, random()).type;
      const withUser = failure ? failure.user : type !== "LOGOUT" || random() < 0.9;
      yield row(opts.sourceId, realm.name, realm.i, `bg-${opts.seed}-${n++}`, time, {
        type,
        clientId: failure && !failure.client ? null : client,
        userIndex: withUser ? userIndex : null,
        error: failure?.error ?? null,
        cause: failure?.cause ?? null,
        origin: type === "HTTP_DENIAL" ? "report" : "api",
      });
    }
  }
  for (const [k, incident] of (opts.incidents ?? []).entries()) {
    const realmIndex = Math.max(0, realms.indexOf(incident.realm));
    const count = Math.round(((incident.to - incident.from) / HOUR) * incident.perHour);
    for (let i = 0; i < count; i++) {
      const time = incident.from + Math.floor(((i + random()) / count) * (incident.to - incident.from));
      yield row(opts.sourceId, incident.realm, realmIndex, `inc-${opts.seed}-${k}-${i}`, time, {
        type: incident.type,
        clientId: incident.clientId,
        userIndex: Math.floor(random() * incident.users),
        error: incident.error,
        cause: incident.cause,
        origin: incident.origin ?? "api",
      });
    }
  }
}

/** The admin changes behind the planted incidents, plus some unrelated routine changes. */
export function syntheticAdminEvents(opts: SyntheticOptions): AdminEventRow[] {
  const random = seeded(opts.seed + 1);
  const realms = opts.realms ?? ["acme", "retail", "internal"];
  const rows: AdminEventRow[] = [];
  const span = opts.to - opts.from;
  for (let i = 0; i < 40; i++) {
    const realmIndex = Math.floor(random() * realms.length);
    const user = syntheticUserId(realmIndex, Math.floor(random() * 5_000));
    rows.push(
      adminRow(
        opts.sourceId,
        realms[realmIndex]!,
        `adm-${opts.seed}-${i}`,
        opts.from + Math.floor(random() * span),
        {
          operationType: "UPDATE",
          resourceType: "USER",
          resourcePath: `users/${user}`,
          representation: JSON.stringify({ id: user, enabled: true }),
        },
      ),
    );
  }
  for (const [k, incident] of (opts.incidents ?? []).entries()) {
    if (!incident.change) continue;
    rows.push(
      adminRow(
        opts.sourceId,
        incident.realm,
        `adm-inc-${opts.seed}-${k}`,
        incident.from - incident.change.minutesBefore * 60_000,
        {
          operationType: incident.change.operationType,
          resourceType: incident.change.resourceType,
          resourcePath: incident.change.resourcePath,
          representation: incident.change.representation ?? null,
        },
      ),
    );
  }
  return rows.sort((a, b) => a.time - b.time);
}

function row(
  sourceId: string,
  realm: string,
  realmIndex: number,
  id: string,
  time: number,
  e: {
    type: string;
    clientId: string | null;
    userIndex: number | null;
    error: string | null;
    cause: string | null;
    origin: UserEventRow["origin"];
  },
): UserEventRow {
  const isFailure = e.error !== null || e.type.endsWith("_ERROR") || e.type === "HTTP_DENIAL";
  const userId = e.userIndex === null ? null : syntheticUserId(realmIndex, e.userIndex);
  return {
    sourceId,
    realm,
    id,
    time,
    type: e.type,
    realmId: null,
    clientId: e.clientId,
    userId,
    sessionId: null,
    ipAddress:
      e.userIndex === null
        ? `192.0.2.${(time >>> 10) % 250}`
        : `10.${realmIndex}.${(e.userIndex >>> 8) & 255}.${e.userIndex & 255}`,
    error: e.error,
    details: null,
    isFailure,
    username: e.userIndex === null ? null : `user${String(e.userIndex).padStart(5, "0")}`,
    cause: isFailure ? e.cause : null,
    ruleId: null,
    confidence: null,
    evidence: null,
    catalogueVersion: null,
    origin: e.origin,
    httpMethod: e.type === "HTTP_DENIAL" ? "GET" : null,
    httpPath: e.type === "HTTP_DENIAL" ? "/api/orders" : null,
    httpStatus: e.type === "HTTP_DENIAL" ? 403 : null,
  };
}

function adminRow(
  sourceId: string,
  realm: string,
  id: string,
  time: number,
  a: { operationType: string; resourceType: string; resourcePath: string; representation: string | null },
): AdminEventRow {
  return {
    sourceId,
    realm,
    id,
    time,
    realmId: null,
    authRealmId: null,
    authClientId: null,
    authUserId: null,
    authIpAddress: null,
    operationType: a.operationType,
    resourceType: a.resourceType,
    resourcePath: a.resourcePath,
    representation: a.representation,
    error: null,
    details: null,
    origin: "api",
  };
}
