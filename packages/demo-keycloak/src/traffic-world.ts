import { DEMO_WEB_CLIENT } from "./build-realms";
import { DEMO_REALM_SPECS, DEMO_SIGN_IN_USERS } from "./demo-realm-specs";
import type { ClientModel, RealmModel, UserModel } from "./realm-model";

/** The parts of a realm the simulated traffic draws from. */
export interface RealmWorld {
  realm: RealmModel;
  users: UserModel[];
  /** Clients people sign in to (standard flow with redirect URIs). */
  interactive: ClientModel[];
  /** Clients that log in with their service account. */
  services: ClientModel[];
  dayStartUtc: number;
  ipOf(user: UserModel): string;
}

const BUILT_IN = new Set([
  "account",
  "account-console",
  "admin-cli",
  "broker",
  "realm-management",
  "security-admin-console",
  DEMO_WEB_CLIENT.clientId,
]);

/** Documentation address ranges (RFC 5737), so no demo address belongs to anyone. */
const RANGES = ["203.0.113", "198.51.100", "192.0.2"];

export function buildWorld(realm: RealmModel): RealmWorld {
  const spec = DEMO_REALM_SPECS.find((s) => s.name === realm.name);
  const reserved = new Set<string>(DEMO_SIGN_IN_USERS);
  const users = [...realm.users.values()].filter(
    (u) => !u.serviceAccountClientId && !reserved.has(u.username),
  );
  const index = new Map(users.map((u, i) => [u.id, i]));
  const clients = [...realm.clients.values()].filter(
    (c) => !BUILT_IN.has(c.clientId) && !c.clientId.endsWith("-realm"),
  );
  return {
    realm,
    users,
    interactive: clients.filter((c) => c.standardFlowEnabled && c.redirectUris.length > 0),
    services: clients.filter((c) => c.serviceAccountsEnabled),
    dayStartUtc: spec?.businessDayStartUtc ?? 8,
    ipOf: (user) => {
      const i = index.get(user.id) ?? 0;
      return `${RANGES[i % 3]}.${1 + ((i * 37) % 250)}`;
    },
  };
}

/** Hourly weights of a business day, starting at the realm's local midnight. Mean 1 over a weekday. */
const HOURLY = [
  0.15, 0.1, 0.08, 0.08, 0.1, 0.2, 0.45, 0.9, 1.5, 1.9, 2.0, 1.9, 1.6, 1.8, 1.9, 1.8, 1.6, 1.3, 1.0, 0.8, 0.7,
  0.55, 0.4, 0.25,
];
const HOURLY_MEAN = HOURLY.reduce((a, b) => a + b, 0) / 24;

/**
 * How busy the realm is at time t relative to its average: business hours peak, quiet nights, weekends
 * at about a third. The realm's day starts `dayStartUtc` hours after UTC midnight at 08:00 local.
 */
export function activity(world: RealmWorld, t: number): number {
  const localMs = t + (8 - world.dayStartUtc) * 3_600_000;
  const d = new Date(localMs);
  const hour = d.getUTCHours();
  const weekend = d.getUTCDay() === 0 || d.getUTCDay() === 6;
  return (HOURLY[hour]! / HOURLY_MEAN) * (weekend ? 0.35 : 1) * (7 / (5 + 2 * 0.35));
}
