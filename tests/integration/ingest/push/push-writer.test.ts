import { afterAll, beforeAll, beforeEach, expect, it, vi } from "vitest";
import { readPushActivity } from "@/lib/ingest/push/push-stats";
import { countConnectionRefusal, PushWriter } from "@/lib/ingest/push/push-writer";
import { receiveLogStream } from "@/lib/ingest/push/receive-log-stream";
import { receivePush } from "@/lib/ingest/push/receive-push";
import { AppError, isAppError } from "@/lib/server/errors";
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
/** A second source, whose refusals are counted apart. */
let other = { sourceId: "", secret: "", token: "" };

beforeAll(async () => {
  ({ sourceId, secret, token } = await createTestPushSource(sql, "push-writer-test"));
  other = await createTestPushSource(sql, "push-writer-test-other");
});

beforeEach(async () => {
  await clearTestPushSource(sql, sourceId);
  await clearTestPushSource(sql, other.sourceId);
});

afterAll(async () => {
  await removeTestPushSource(sql, sourceId);
  await removeTestPushSource(sql, other.sourceId);
  await sql.end();
});

const event = (n: number) =>
  phaseTwoLoginError({
    uid: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
    id: `10000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
    time: PUSH_TIME + n,
  });

const push = (
  writer: PushWriter,
  events: Record<string, unknown>[],
  to = { sourceId, secret },
  now = NOW,
) => {
  const body = JSON.stringify(events);
  return receivePush(sql, writer, {
    sourceId: to.sourceId,
    headers: { signature: keycloakSignature(body, to.secret), authorization: null },
    body: Buffer.from(body),
    now,
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

/** A shipper's batch of one line to the source. */
const shipOne = (writer: PushWriter, to = { sourceId, token }) =>
  receiveLogStream(sql, writer, {
    sourceId: to.sourceId,
    authorization: `Bearer ${to.token}`,
    body: (async function* () {
      yield new TextEncoder().encode("line\n");
    })(),
    now: NOW,
  });

const rejectedRows = () =>
  sql<{ source_id: string; rejected: number }[]>`
    select source_id, sum(rejected)::int as rejected from push_minutes
    where source_id in (${sourceId}, ${other.sourceId}) and rejected > 0 group by source_id`;

it("counts the pushes refused while saturated per source, with the reason, and writes them with the next batch", async () => {
  const writer = new PushWriter(sql, { maxDelayMs: 60_000, maxPendingPushes: 2, now: () => NOW });
  const first = push(writer, [event(1)]);
  const second = push(writer, [event(2)]);
  await vi.waitFor(() => expect(writer.saturated()).toBe(true));

  // Three webhook pushes and two shipped batches of this source, one push of the other: six 429s.
  const refused = await Promise.all([
    refusal(push(writer, [event(3)])),
    refusal(push(writer, [event(4)])),
    refusal(push(writer, [event(5)], other)),
    refusal(push(writer, [event(3)])),
    refusal(shipOne(writer)),
    refusal(shipOne(writer)),
  ]);
  expect(refused.map((e) => errorResponse(e).status)).toEqual([429, 429, 429, 429, 429, 429]);
  // Counted in memory only: nothing was written per refusal.
  expect(writer.unwrittenRefusals()).toBe(6);
  expect(await rejectedRows()).toEqual([]);

  await writer.drain();
  expect((await first).stored + (await second).stored).toBe(2);
  expect(writer.unwrittenRefusals()).toBe(0);
  const activity = await readPushActivity(sql, NOW);
  expect(activity.get(sourceId)?.rejected24h).toBe(5);
  expect(activity.get(other.sourceId)?.rejected24h).toBe(1);
  for (const id of [sourceId, other.sourceId]) {
    expect(activity.get(id)?.lastRejectReason).toBe(
      "busy: the receiver was storing earlier pushes (2 pushes, 2 rows waiting); refused with Retry-After: 1 s, the sender sends it again",
    );
    expect(activity.get(id)?.lastRejectedAt).toBe(NOW);
  }
  // Written once: the next batch carries nothing more.
  const next = push(writer, [event(6)]);
  await vi.waitFor(() => expect(writer.pending().pushes).toBe(1));
  await writer.drain();
  expect((await next).stored).toBe(1);
  expect((await readPushActivity(sql, NOW)).get(sourceId)?.rejected24h).toBe(5);
});

it("answers refusals without touching the database, and writes those no batch carries on their own", async () => {
  const writer = new PushWriter(sql, { maxDelayMs: 1, maxPendingPushes: 1, now: () => NOW });
  // push_minutes locked against writes: the batch holding the first push waits on its accepted count.
  const locker = testSql(1);
  let unlock = () => {};
  const unlocked = new Promise<void>((r) => {
    unlock = r;
  });
  let locked = () => {};
  const isLocked = new Promise<void>((r) => {
    locked = r;
  });
  const holding = locker.begin(async (tx) => {
    await tx`lock table push_minutes in exclusive mode`;
    locked();
    await unlocked;
  });
  try {
    await isLocked;
    const first = push(writer, [event(1)]);
    // Its batch has started (and taken the refusals counted so far, none) and waits for the lock.
    await vi.waitFor(
      async () => {
        const [waiting] = await sql<{ n: number }[]>`
          select count(*)::int as n from pg_stat_activity
          where datname = current_database() and wait_event_type = 'Lock' and query like '%into push_minutes%'`;
        expect(waiting?.n).toBe(1);
      },
      { timeout: 5_000 },
    );
    expect(writer.saturated()).toBe(true);
    // The batch is being written (its rows taken out of the queue) and cannot finish while the lock is held:
    // refusals meanwhile are answered at once, so none of them waited for the database.
    const refused = await Promise.all([refusal(push(writer, [event(2)])), refusal(shipOne(writer))]);
    expect(refused.map((e) => e.code)).toEqual(["rate_limited", "rate_limited"]);
    expect(writer.unwrittenRefusals()).toBe(2);
    unlock();
    await holding;
    expect((await first).stored).toBe(1);
    // The batch had taken no refusals and none follows it: they are written on their own shortly after.
    await vi.waitFor(() => expect(writer.unwrittenRefusals()).toBe(0), { timeout: 5_000 });
    await vi.waitFor(
      async () => expect(await rejectedRows()).toEqual([{ source_id: sourceId, rejected: 2 }]),
      {
        timeout: 5_000,
      },
    );
    expect((await readPushActivity(sql, NOW)).get(sourceId)?.lastRejectReason).toMatch(/^busy: /);
  } finally {
    unlock();
    await holding.catch(() => undefined);
    await locker.end();
  }
});

it("counts the pushes the server refused at its connection limit for the source their path names", async () => {
  const writer = new PushWriter(sql, { now: () => NOW });
  countConnectionRefusal(`/api/push/events/${sourceId}`, 1024, writer);
  countConnectionRefusal(`/api/push/logs/${sourceId.toUpperCase()}?realm=acme`, 1024, writer);
  countConnectionRefusal(`/api/push/events/${other.sourceId}/`, 1024, writer);
  // Not a push, or no source id: nothing to count.
  for (const path of ["/", "/api/push/events/", "/api/push/events/not-an-id", `/api/reports/${sourceId}`])
    countConnectionRefusal(path, 1024, writer);
  expect(writer.unwrittenRefusals()).toBe(3);
  await writer.drain();
  const activity = await readPushActivity(sql, NOW);
  expect(activity.get(sourceId)?.rejected24h).toBe(2);
  expect(activity.get(other.sourceId)?.rejected24h).toBe(1);
  expect(activity.get(sourceId)?.lastRejectReason).toBe(
    "connections: the receiver was serving its limit of 1,024 connections (REALMWATCH_MAX_CONNECTIONS); refused with Retry-After: 1 s, the sender sends it again",
  );
});

it("counts the pushes the route's rate limit refuses, without a write per refusal", async () => {
  const writer = new PushWriter(sql, { now: () => NOW });
  const limited = (id: string) => {
    expect(id).toBe(sourceId);
    throw new AppError("rate_limited", "Too many requests to /api/push/events/: retry in 2 s.", {
      retryAfterSec: 2,
    });
  };
  const body = JSON.stringify([event(1)]);
  const refused = await refusal(
    receivePush(sql, writer, {
      sourceId,
      headers: { signature: keycloakSignature(body, secret), authorization: null },
      body: Buffer.from(body),
      now: NOW,
      admit: limited,
    }),
  );
  expect(errorResponse(refused).status).toBe(429);
  const shipped = await refusal(
    receiveLogStream(sql, writer, {
      sourceId,
      authorization: `Bearer ${token}`,
      body: (async function* () {
        yield new TextEncoder().encode("line\n");
      })(),
      now: NOW,
      admit: limited,
    }),
  );
  expect(shipped.code).toBe("rate_limited");
  expect(writer.unwrittenRefusals()).toBe(2);
  expect(await rejectedRows()).toEqual([]);
  await writer.drain();
  const activity = (await readPushActivity(sql, NOW)).get(sourceId);
  expect(activity?.rejected24h).toBe(2);
  expect(activity?.lastRejectReason).toBe(
    "rate_limited: Too many requests to /api/push/events/: retry in 2 s.",
  );
  expect(await count("customer-app")).toEqual({ n: 0, distinct_ids: 0 });
});
