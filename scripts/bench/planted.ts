import { type PlantedIncident, syntheticUserId } from "@/testkit/synthetic-events";

const HOUR = 3_600_000;
const API_UUID = "5e6f7a80-aaaa-4bbb-8ccc-0123456789ab";

/** A positive whole-number option (`--events 1000000`), or the fallback. */
export function positiveOption(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  const value = i >= 0 ? Number(args[i + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return Math.floor(value);
}

/**
 * The benchmarks' planted incident: from 30 hours before `now`, four hours of orders-api refusing acme's users
 * (missing-role, reported by the API), 25 minutes after an admin removed a user's orders-read role.
 */
export function plantedMissingRole(now: number, perHour: number): PlantedIncident {
  const from = now - 30 * HOUR;
  return {
    realm: "acme",
    clientId: "orders-api",
    from,
    to: from + 4 * HOUR,
    perHour,
    type: "HTTP_DENIAL",
    error: null,
    cause: "missing-role",
    origin: "report",
    users: 60,
    change: {
      minutesBefore: 25,
      operationType: "DELETE",
      resourceType: "CLIENT_ROLE_MAPPING",
      resourcePath: `users/${syntheticUserId(0, 0)}/role-mappings/clients/${API_UUID}`,
      representation: JSON.stringify([{ name: "orders-read", clientRole: true, containerId: API_UUID }]),
    },
  };
}
