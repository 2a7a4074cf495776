import { type ChildProcess, spawn } from "node:child_process";
import type postgres from "postgres";
import type { SourceOutcome } from "@/lib/ingest/sync/sync-source";
import { type SyncOptions, syncSource } from "@/lib/ingest/sync/sync-source";
import { isRejected, toAdminEventRow, toUserEventRow } from "@/lib/keycloak/event-rows";
import type { EventKind as StreamKind } from "@/lib/keycloak/session";
import { sealSecret } from "@/lib/server/secret-box";
import type { SourceRow } from "@/lib/sources/read-sources";
import type { DemoKeycloak } from "@/packages/demo-keycloak/src";

/** Fixed so that child processes (the sync CLI) can open the secrets this test process seals. */
export const TEST_SECRET_KEY =
  process.env.REALMWATCH_SECRET_KEY ?? "realmwatch-sync-integration-tests-fixed-key";
process.env.REALMWATCH_SECRET_KEY ??= TEST_SECRET_KEY;

export const DEMO_ACCOUNT = { clientId: "realmwatch", secret: "realmwatch-demo-secret" };

/** Retries fast enough for a test: a hanging request gives up after 1.5 s. */
export const FAST_SESSION = { timeoutMs: 1_500, retries: 4, backoffBaseMs: 20, backoffMaxMs: 100 };

export async function registerSource(
  sql: postgres.Sql,
  kc: DemoKeycloak,
  opts: { name?: string; realms: string[]; clientId?: string; secret?: string },
): Promise<SourceRow> {
  const [row] = await sql<SourceRow[]>`
    insert into sources (id, name, kind, server_url, auth_realm, client_id, secret_ciphertext, realms,
                         updated_at)
    values (gen_random_uuid(), ${opts.name ?? "demo"}, 'api', ${kc.url}, 'master',
            ${opts.clientId ?? DEMO_ACCOUNT.clientId}, ${sealSecret(opts.secret ?? DEMO_ACCOUNT.secret, "source-secret")},
            ${opts.realms}, now())
    returning id, name, server_url, auth_realm, client_id, secret_ciphertext, realms, sync_mode`;
  return row!;
}

/** Stored ids of one stream, with the `#n` suffix of identical legacy events removed, sorted. */
export async function storedKeys(
  sql: postgres.Sql,
  sourceId: string,
  realm: string,
  kind: StreamKind,
): Promise<string[]> {
  const table = kind === "user" ? "user_events" : "admin_events";
  const rows = await sql<{ id: string }[]>`
    select id from ${sql(table)} where source_id = ${sourceId} and realm = ${realm}`;
  return rows.map((r) => r.id.replace(/#\d+$/, "")).sort();
}

/**
 * What the server holds, as the keys realmwatch stores: Keycloak's id (26.2+), or the content fingerprint of
 * rows.ts (older servers expose no id). Identical legacy events appear once per copy.
 */
export function serverKeys(kc: DemoKeycloak, realm: string, kind: StreamKind, legacy: boolean): string[] {
  const ctx = { sourceId: "", realm, origin: "api" as const };
  const events = kind === "user" ? kc.store.allUserEvents(realm) : kc.store.allAdminEvents(realm);
  return events
    .map((e) => {
      if (!legacy) return String(e.id);
      const raw = { ...e, id: undefined };
      const row = kind === "user" ? toUserEventRow(raw, ctx) : toAdminEventRow(raw, ctx);
      if (isRejected(row)) throw new Error(`the demo server holds an unusable event: ${row.rejected}`);
      return row.id;
    })
    .sort();
}

/** The realm's Keycloak id, as the demo server stamps it on events (the realm must hold one event). */
export function demoRealmId(kc: DemoKeycloak, realm: string): string {
  const id = kc.store.allUserEvents(realm)[0]?.realmId;
  if (!id) throw new Error(`realm ${realm} holds no event to read its id from`);
  return id;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs syncSource until a run stores nothing on any stream and fails none; returns every outcome. */
export async function syncUntilQuiet(
  sql: postgres.Sql,
  source: SourceRow,
  opts: SyncOptions,
  maxRuns = 6,
): Promise<SourceOutcome[]> {
  const outcomes: SourceOutcome[] = [];
  for (let run = 0; run < maxRuns; run++) {
    const o = await syncSource(sql, source, opts);
    outcomes.push(o);
    const stored = o.streams.reduce((n, s) => n + (s.result?.inserted ?? 0), 0);
    if (o.status === "ok" && stored === 0) return outcomes;
  }
  throw new Error(`not quiet after ${maxRuns} runs: ${JSON.stringify(outcomes.map((o) => o.message))}`);
}

/** A seeded admin-event history with same-millisecond pairs, oldest first. */
export function adminHistory(realmId: string, n: number, start: number, end: number) {
  const step = (end - start) / n;
  return Array.from({ length: n }, (_, i) => ({
    id: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
    time: Math.floor(start + (i - (i % 2)) * step),
    realmId,
    operationType: i % 3 === 0 ? "CREATE" : "UPDATE",
    resourceType: "USER",
    resourcePath: `users/user-${i % 97}`,
    authDetails: { realmId, clientId: "admin-cli-uuid", userId: `admin-${i % 5}`, ipAddress: "10.0.0.9" },
  }));
}

/** `node --import tsx scripts/sync.ts --once` against the test database and a demo server's realms. */
export function spawnSyncCli(
  databaseUrl: string,
  kc: DemoKeycloak,
  env: { realms: string; secret?: string; pageSize?: number },
): { child: ChildProcess; exit: Promise<{ code: number | null; signal: string | null; stderr: string }> } {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/sync.ts", "--once"], {
    cwd: process.cwd(),
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      KEYCLOAK_URL: kc.url,
      KEYCLOAK_CLIENT_ID: DEMO_ACCOUNT.clientId,
      KEYCLOAK_CLIENT_SECRET: env.secret ?? DEMO_ACCOUNT.secret,
      KEYCLOAK_REALMS: env.realms,
      REALMWATCH_SECRET_KEY: TEST_SECRET_KEY,
      REALMWATCH_SYNC_PAGE_SIZE: String(env.pageSize ?? 500),
      REALMWATCH_SYNC_SETTLE_SEC: "0",
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (d) => {
    stderr += String(d);
  });
  const exit = new Promise<{ code: number | null; signal: string | null; stderr: string }>((resolve) => {
    child.on("close", (code, signal) => resolve({ code, signal, stderr }));
  });
  return { child, exit };
}
