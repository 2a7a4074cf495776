import { type ChildProcess, spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPushSource } from "@/lib/sources/push-source";
import { keycloakSignature, PUSH_TIME, phaseTwoLoginError } from "@/testkit/push-payloads";
import { testDatabaseUrl, testSql } from "../../helpers/db";

/**
 * Acceptance: the receiver is killed (SIGKILL) while pushes arrive; the senders retry as ext-event-webhook does
 * (HttpSenderEventListenerProvider: any answer but 2xx, or no answer, is retried with exponential backoff,
 * shortened here). Every push that was acknowledged is stored, and every event is stored once.
 */
process.env.REALMWATCH_SECRET_KEY ??= "push-kill-test-key-0123456789abcdef";
const url = testDatabaseUrl();
const sql = testSql(2);
const EVENTS = 300;

let sourceId = "";
let secret = "";
let server: ChildProcess | null = null;
let port = 0;

function startServer(fixedPort = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "testkit/push-server.ts"], {
      env: { ...process.env, DATABASE_URL: url, PUSH_SERVER_PORT: String(fixedPort) },
      stdio: ["ignore", "pipe", "inherit"],
    });
    server = child;
    child.stdout?.on("data", (d: Buffer) => {
      const m = /listening (\d+)/.exec(d.toString());
      if (m) resolve(Number(m[1]));
    });
    child.once("exit", (code) => reject(new Error(`push server exited (${code})`)));
  });
}

beforeAll(async () => {
  await sql`delete from sources where name = 'push-kill-test'`;
  const created = await createPushSource(sql, { name: "push-kill-test" });
  sourceId = created.settings.sourceId;
  secret = created.secrets.webhookSecret;
  port = await startServer();
}, 60_000);

afterAll(async () => {
  server?.kill("SIGKILL");
  for (const table of ["user_events", "rollup_minute", "rollup_hour", "rollup_day", "push_minutes"])
    await sql`delete from ${sql(table)} where source_id = ${sourceId}`;
  await sql`delete from sources where id = ${sourceId}`;
  await sql.end();
});

/** Sends one event until a 2xx, backing off like the extension (500 ms x5 there; 20 ms x2 here). */
async function sendWithRetries(n: number): Promise<number> {
  const body = JSON.stringify(
    phaseTwoLoginError({
      uid: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
      id: `10000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
      time: PUSH_TIME + n,
    }),
  );
  const signature = keycloakSignature(body, secret);
  let wait = 20;
  for (let attempt = 1; attempt < 200; attempt++) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/push/events/${sourceId}`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-keycloak-signature": signature },
        body,
      });
      if (res.ok) return attempt;
    } catch {
      // connection refused or reset while the server is down
    }
    await new Promise((r) => setTimeout(r, wait));
    wait = Math.min(wait * 2, 300);
  }
  throw new Error(`event ${n} was never acknowledged`);
}

describe("killing the receiver while pushes arrive", () => {
  it("stores every acknowledged event once", async () => {
    const acknowledged: number[] = [];
    const retried: number[] = [];
    let killed = () => {};
    const kill = new Promise<void>((r) => {
      killed = r;
    });
    // The first half is sent over 0.75 s; the second half from the moment of the kill on, so that pushes
    // arrive while the receiver is down however fast it acknowledged the first ones (a receiver slowed by a
    // busy machine acknowledges the whole first half in one batch).
    const senders = Array.from({ length: EVENTS }, (_, n) =>
      (async () => {
        if (n < EVENTS / 2) await new Promise((r) => setTimeout(r, n * 5));
        else await kill.then(() => new Promise((r) => setTimeout(r, (n - EVENTS / 2) * 5)));
        const attempts = await sendWithRetries(n);
        acknowledged.push(n);
        if (attempts > 1) retried.push(n);
      })(),
    );
    // Kill it mid-stream (once some pushes were acknowledged), then bring it back on the same port.
    for (let i = 0; i < 3000 && acknowledged.length < EVENTS / 10; i++)
      await new Promise((r) => setTimeout(r, 5));
    const before = acknowledged.length;
    server!.removeAllListeners("exit");
    server!.kill("SIGKILL");
    killed();
    await new Promise((r) => setTimeout(r, 300));
    await startServer(port);
    await Promise.all(senders);

    expect(before).toBeGreaterThan(0);
    expect(before).toBeLessThan(EVENTS);
    expect(retried.length).toBeGreaterThan(0);
    expect(acknowledged).toHaveLength(EVENTS);
    const rows = await sql<{ id: string; n: number }[]>`
      select id, count(*)::int as n from user_events where source_id = ${sourceId} group by id`;
    expect(rows).toHaveLength(EVENTS);
    expect(rows.every((r) => r.n === 1)).toBe(true);
    const [counted] = await sql<{ n: number }[]>`
      select coalesce(sum(events), 0)::int as n from rollup_minute where source_id = ${sourceId}`;
    expect(counted?.n).toBe(EVENTS);
  }, 120_000);
});
