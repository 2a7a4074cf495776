import { afterAll, beforeAll, beforeEach, expect, it, vi } from "vitest";
import { PushWriter } from "@/lib/ingest/push/push-writer";
import { receiveLogStream } from "@/lib/ingest/push/receive-log-stream";
import { receivePush } from "@/lib/ingest/push/receive-push";
import { type AppError, isAppError } from "@/lib/server/errors";
import { errorResponse } from "@/lib/server/respond";
import { keycloakSignature, PUSH_TIME, phaseTwoLoginError } from "@/testkit/push-payloads";
import { testDatabaseUrl, testSql } from "../../helpers/db";
import { clearTestPushSource, createTestPushSource, removeTestPushSource } from "./push-source-fixture";

/**
 * The group commit: pushes and shipped log lines that arrive together are written in one batch, and each
 * request is still told exactly which of its events were new.
 */
process.env.REALMWATCH_SECRET_KEY ??= "push-writer-test-key-0123456789abcdef";
const sql = (() => {
  testDatabaseUrl();
  return testSql(4);
})();
const NOW = PUSH_TIME + 2_000;

let sourceId = "";
let secret = "";
let token = "";

beforeAll(async () => {
  ({ sourceId, secret, token } = await createTestPushSource(sql, "push-writer-test"));
});

beforeEach(() => clearTestPushSource(sql, sourceId));

afterAll(async () => {
  await removeTestPushSource(sql, sourceId);
  await sql.end();
});

const event = (n: number) =>
  phaseTwoLoginError({
    uid: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
    id: `10000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
    time: PUSH_TIME + n,
  });

const push = (writer: PushWriter, events: Record<string, unknown>[]) => {
  const body = JSON.stringify(events);
  return receivePush(sql, writer, {
    sourceId,
    headers: { signature: keycloakSignature(body, secret), authorization: null },
    body: Buffer.from(body),
    now: NOW,
  });
};

const count = async (realm: string) => {
  const [row] = await sql<{ n: number; distinct_ids: number }[]>`
    select count(*)::int as n, count(distinct id)::int as distinct_ids from user_events
    where source_id = ${sourceId} and realm = ${realm}`;
  return row;
};

it("answers each push of one batch with the events that were new for it, a repeated one counted once", async () => {
  // A long wait for company: the pushes form one batch.
  const writer = new PushWriter(sql, { maxDelayMs: 200, now: () => NOW });
  await push(writer, [event(9)]);
  const [a, b, c, d] = await Promise.all([
    push(writer, [event(1), event(2)]),
    push(writer, [event(2), event(3), event(9)]),
    push(writer, [event(1)]),
    push(writer, [event(4), event(5)]),
  ]);
  // Events 1 and 2 came twice: each is new for one of the pushes that carried it (the first in the batch).
  expect(a.stored + b.stored + c.stored).toBe(3);
  expect(b.stored).toBeGreaterThanOrEqual(1);
  expect(c.stored).toBeLessThanOrEqual(1);
  expect(d.stored).toBe(2);
  expect([a.received, b.received, c.received, d.received]).toEqual([2, 3, 1, 2]);
  expect(await count("customer-app")).toEqual({ n: 6, distinct_ids: 6 });
  // Accepted counts every event received, repeated or not, in the minute of the push.
  const [stats] = await sql<{ accepted: number }[]>`
    select sum(accepted)::int as accepted from push_minutes where source_id = ${sourceId}`;
  expect(stats?.accepted).toBe(1 + 2 + 3 + 1 + 2);
});

it("writes concurrent log-shipping requests and pushes together, each told what it stored", async () => {
  const writer = new PushWriter(sql, { maxDelayMs: 200, now: () => NOW });
  const line = (n: number) =>
    `2026-11-20 10:00:0${n % 10},131 WARN  [org.keycloak.events] (executor-thread-3) type="LOGIN_ERROR", realmId="4c3d9a0e-1b7f-4a52-8e61-2f0b9c7d5a13", realmName="acme-logs", clientId="shop", userId="null", ipAddress="198.51.100.${n}", error="invalid_client_credentials"`;
  const ship = (lines: string[]) =>
    receiveLogStream(sql, writer, {
      sourceId,
      authorization: `Bearer ${token}`,
      body: (async function* () {
        yield new TextEncoder().encode(`${lines.join("\n")}\n`);
      })(),
      now: NOW,
    });
  // A shipper resends a batch (a timeout on its side) while the next one and a push arrive.
  const [first, resent, next, pushed] = await Promise.all([
    ship([line(1), line(2), line(3)]),
    ship([line(1), line(2), line(3)]),
    ship([line(3), line(4)]),
    push(writer, [event(5)]),
  ]);
  expect(first.stored + resent.stored + next.stored).toBe(4);
  expect(first.alreadyStored + resent.alreadyStored + next.alreadyStored).toBe(4);
  expect(first.stored + first.alreadyStored).toBe(3);
  expect(next.stored + next.alreadyStored).toBe(2);
  expect(pushed.stored).toBe(1);
  expect(await count("acme-logs")).toEqual({ n: 4, distinct_ids: 4 });
  expect(await count("customer-app")).toEqual({ n: 1, distinct_ids: 1 });
});

/** The error a refused call threw (fails the test when it did not throw one). */
const refusal = async (call: Promise<unknown>): Promise<AppError> => {
  const err = await call.then(
    () => null,
    (e: unknown) => e,
  );
  if (!isAppError(err)) throw new Error(`expected a refusal, got ${String(err)}`);
  return err;
};

it("refuses pushes with 429 and Retry-After while the writer holds its limit of requests, and stores them when sent again", async () => {
  // A writer that waits a minute for company holds what it is given: two requests fill it.
  const writer = new PushWriter(sql, { maxDelayMs: 60_000, maxPendingPushes: 2, now: () => NOW });
  const first = push(writer, [event(1)]);
  const second = push(writer, [event(2)]);
  await vi.waitFor(() => expect(writer.saturated()).toBe(true));

  const busy = await refusal(push(writer, [event(3)]));
  expect(busy.code).toBe("rate_limited");
  expect(busy.details).toMatchObject({ reason: "busy", retryAfterSec: 1 });
  const answer = errorResponse(busy);
  expect(answer.status).toBe(429);
  expect(answer.headers.get("retry-after")).toBe("1");
  // A shipper's batch is refused the same way, before any line is read.
  let read = false;
  const shipped = await refusal(
    receiveLogStream(sql, writer, {
      sourceId,
      authorization: `Bearer ${token}`,
      body: (async function* () {
        read = true;
        yield new TextEncoder().encode("line\n");
      })(),
      now: NOW,
    }),
  );
  expect(shipped.code).toBe("rate_limited");
  expect(read).toBe(false);

  await writer.drain();
  expect((await first).stored + (await second).stored).toBe(2);
  expect(writer.saturated()).toBe(false);
  // The refused push, sent again once the writer has room, is stored.
  const again = push(writer, [event(3)]);
  await vi.waitFor(() => expect(writer.pending().pushes).toBe(1));
  await writer.drain();
  expect((await again).stored).toBe(1);
  expect(await count("customer-app")).toEqual({ n: 3, distinct_ids: 3 });
});

it("is saturated by rows as well: a push of many events fills a writer limited in rows", async () => {
  const writer = new PushWriter(sql, { maxDelayMs: 60_000, maxPendingRows: 3, now: () => NOW });
  const big = push(writer, [event(1), event(2), event(3)]);
  await vi.waitFor(() => expect(writer.saturated()).toBe(true));
  expect((await refusal(push(writer, [event(4)]))).code).toBe("rate_limited");
  await writer.drain();
  expect((await big).stored).toBe(3);
  expect(await count("customer-app")).toEqual({ n: 3, distinct_ids: 3 });
});
