import { allocateBatch, type ColumnBatch, type EventColumns } from "./event-columns";
import { USER_EVENT_COLUMNS } from "./event-json";
import { createPrng } from "./prng";

export interface BulkOptions {
  startTime: number;
  endTime: number;
  seed: number;
  /** Every k-th event repeats the previous event's millisecond (same-millisecond ties). */
  tiesEvery?: number;
  /**
   * Seed of the events themselves (times, ids, mix) when it differs from `seed`, which then seeds only the pools
   * of users, sessions and addresses: successive batches of a live stream keep the same users with new events.
   */
  eventSeed?: number;
}

const col = (name: (typeof USER_EVENT_COLUMNS)[number]) => USER_EVENT_COLUMNS.indexOf(name);

/** [type, error, weight] of the bulk mix: mostly successes, a background of ordinary failures. */
const BULK_MIX: ReadonlyArray<readonly [string, string | null, number]> = [
  ["LOGIN", null, 30],
  ["CODE_TO_TOKEN", null, 30],
  ["REFRESH_TOKEN", null, 20],
  ["CLIENT_LOGIN", null, 8],
  ["LOGOUT", null, 5],
  ["LOGIN_ERROR", "invalid_user_credentials", 4],
  ["LOGIN_ERROR", "user_not_found", 1],
  ["CODE_TO_TOKEN_ERROR", "invalid_code", 1],
  ["REFRESH_TOKEN_ERROR", "invalid_token", 1],
];

const BULK_CLIENTS = ["bulk-spa", "bulk-api", "bulk-mobile", "bulk-batch"];

/**
 * Writes n events directly as dictionary codes: a million events take about a second and a few tens of
 * megabytes. Users, sessions and addresses come from bounded pools so the dictionaries stay small; the
 * event ids are unique.
 */
export function generateBulkBatch(cols: EventColumns, n: number, opts: BulkOptions): ColumnBatch {
  if (!(opts.endTime >= opts.startTime)) throw new Error("generateBulk: endTime must be >= startTime");
  const prng = createPrng(opts.seed);
  const batch = allocateBatch(n, cols.codes.length);
  const d = (c: number) => cols.dicts[c]!;
  const users = Array.from({ length: 2000 }, () => prng.uuid());
  const userCodes = users.map((u) => d(col("userId")).code(u));
  const ipCodes = Array.from({ length: 500 }, (_, i) =>
    d(col("ipAddress")).code(`10.${(i >> 8) & 255}.${i & 255}.${(i * 7) % 250}`),
  );
  const sessionCodes = Array.from({ length: 20_000 }, () => d(col("sessionId")).code(prng.uuid()));
  const clientCodes = BULK_CLIENTS.map((c) => d(col("clientId")).code(c));
  const mix = BULK_MIX.map(([type, error]) => ({
    type: d(col("type")).code(type),
    error: d(col("error")).code(error),
    details: BULK_CLIENTS.map((_, ci) =>
      d(col("details")).code(
        JSON.stringify(
          error
            ? { auth_method: "openid-connect", redirect_uri: `https://${BULK_CLIENTS[ci]}.example/cb` }
            : {
                auth_method: "openid-connect",
                grant_type: "authorization_code",
                scope: "openid profile email",
              },
        ),
      ),
    ),
  }));
  const weights = BULK_MIX.map((m) => m[2]);
  const mixIndex = mix.map((_, i) => i);
  const span = opts.endTime - opts.startTime;
  const ties = opts.tiesEvery && opts.tiesEvery > 0 ? Math.floor(opts.tiesEvery) : 0;
  const events = opts.eventSeed === undefined ? prng : createPrng(opts.eventSeed);
  for (let i = 0; i < n; i++) {
    // (i + u) / n is increasing in i, so the batch comes out sorted without a sort.
    let t = opts.startTime + Math.floor(((i + events.next()) * span) / n);
    if (ties > 0 && i > 0 && i % ties === 0) t = batch.time[i - 1]!;
    if (t > opts.endTime) t = opts.endTime;
    batch.time[i] = t;
    events.uuidBytes(batch.ids, i * 16);
    const m = mix[events.weighted(mixIndex, weights)]!;
    const ci = events.int(clientCodes.length);
    const u = events.int(userCodes.length);
    batch.codes[col("type")]![i] = m.type;
    batch.codes[col("error")]![i] = m.error;
    batch.codes[col("clientId")]![i] = clientCodes[ci]!;
    batch.codes[col("userId")]![i] = userCodes[u]!;
    batch.codes[col("sessionId")]![i] = m.error
      ? 0
      : sessionCodes[(u * 10 + events.int(10)) % sessionCodes.length]!;
    batch.codes[col("ipAddress")]![i] = ipCodes[u % ipCodes.length]!;
    batch.codes[col("details")]![i] = m.details[ci]!;
  }
  return batch;
}
