import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { closeSql } from "@/lib/db/sql";
import { writeUserEvents } from "@/lib/ingest/write/write-events";
import { isRejected, toUserEventRow } from "@/lib/keycloak/event-rows";
import { updatePushSettings } from "@/lib/sources/push-source";
import {
  keycloakSignature,
  PUSH_TIME,
  phaseTwoClientUpdate,
  phaseTwoLoginError,
  plainAdminEvent,
  plainUserEvent,
  REALM_ID,
} from "@/testkit/push-payloads";
import { testDatabaseUrl, testSql } from "../../helpers/db";
import { clearTestPushSource, createTestPushSource, removeTestPushSource } from "./push-source-fixture";

vi.mock("server-only", () => ({}));
vi.mock("next/headers", () => ({ cookies: async () => ({ get: () => undefined }) }));
process.env.REALMWATCH_SECRET_KEY ??= "push-route-test-key-0123456789abcdef";

const sql = (() => {
  testDatabaseUrl();
  return testSql(2);
})();
const { POST } = await import("@/app/api/push/events/[id]/route");

let sourceId = "";
let secret = "";
let token = "";

beforeAll(async () => {
  ({ sourceId, secret, token } = await createTestPushSource(sql, "push-route-test"));
});

beforeEach(async () => {
  await clearTestPushSource(sql, sourceId);
  await updatePushSettings(sql, sourceId, { acceptUnsigned: false });
});

afterAll(async () => {
  await removeTestPushSource(sql, sourceId);
  await sql.end();
  await closeSql();
});

function push(body: string, headers: Record<string, string> = {}, id = sourceId): Promise<Response> {
  return POST(
    new Request(`http://localhost/api/push/events/${id}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body,
    }),
    { params: Promise.resolve({ id }) },
  );
}

const signed = (body: string, algorithm: "sha256" | "sha1" = "sha256") =>
  push(body, { "x-keycloak-signature": keycloakSignature(body, secret, algorithm) });

const userRows = () =>
  sql<
    {
      id: string;
      type: string;
      realm: string;
      client_id: string;
      username: string | null;
      cause: string | null;
      origin: string;
    }[]
  >`
    select id, type, realm, client_id, username, cause, origin from user_events where source_id = ${sourceId} order by time`;
const adminRows = () =>
  sql<{ id: string; operation_type: string; resource_type: string; realm: string }[]>`
    select id, operation_type, resource_type, realm from admin_events where source_id = ${sourceId} order by time`;
const counted = async () =>
  (
    await sql<{ n: number }[]>`
      select coalesce(sum(events), 0)::int as n from rollup_minute where source_id = ${sourceId}`
  )[0]!.n;
const rejections = async () =>
  (
    await sql<{ rejected: number; reason: string | null }[]>`
      select coalesce(sum(rejected), 0)::int as rejected, max(last_reject_reason) as reason
      from push_minutes where source_id = ${sourceId}`
  )[0]!;

describe("POST /api/push/events/<source>: ext-event-webhook", () => {
  it("stores a Phase Two access event signed with HMAC SHA-256, classified, in its realm, with the username", async () => {
    const res = await signed(JSON.stringify(phaseTwoLoginError()));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ received: 1, stored: 1, ignored: 0, invalid: 0 });
    expect(await userRows()).toEqual([
      {
        id: "0f6c2f0e-9d56-4a55-a0f3-1c1b5f6b2d11",
        type: "LOGIN_ERROR",
        realm: "customer-app",
        client_id: "web-app",
        username: "johndoe",
        cause: "redirect-uri",
        origin: "api",
      },
    ]);
    expect(await counted()).toBe(1);
    const [stats] = await sql<{ accepted: number }[]>`
      select accepted from push_minutes where source_id = ${sourceId}`;
    expect(stats?.accepted).toBe(1);
  });

  it("stores a Phase Two admin event signed with HMAC SHA-1 (hmacAlgorithm HmacSHA1)", async () => {
    const res = await signed(JSON.stringify(phaseTwoClientUpdate()), "sha1");
    expect(res.status).toBe(200);
    expect(await adminRows()).toEqual([
      {
        id: "6a1f4b3c-7d2e-4e8f-9a0b-1c2d3e4f5a6b",
        operation_type: "UPDATE",
        resource_type: "CLIENT",
        realm: "customer-app",
      },
    ]);
  });

  it("refuses a wrong signature with 401 bad_signature, stores nothing and counts the rejection", async () => {
    const body = JSON.stringify(phaseTwoLoginError());
    const res = await push(body, { "x-keycloak-signature": keycloakSignature(body, "not-the-secret") });
    expect(res.status).toBe(401);
    const answer = (await res.json()) as { error: string; details: { reason: string }; message: string };
    expect(answer.error).toBe("unauthorized");
    expect(answer.details.reason).toBe("bad_signature");
    expect(await userRows()).toEqual([]);
    expect(await rejections()).toMatchObject({
      rejected: 1,
      reason: expect.stringContaining("bad_signature"),
    });
  });

  it("refuses a signature over another body (a tampered push)", async () => {
    const body = JSON.stringify(phaseTwoLoginError());
    const tampered = body.replace("johndoe", "admin");
    const res = await push(tampered, { "x-keycloak-signature": keycloakSignature(body, secret) });
    expect(res.status).toBe(401);
    expect(await userRows()).toEqual([]);
  });

  it("refuses an unsigned push unless the source accepts them", async () => {
    const body = JSON.stringify(phaseTwoLoginError());
    const refused = await push(body);
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { details: { reason: string } }).details.reason).toBe("unsigned");
    await updatePushSettings(sql, sourceId, { acceptUnsigned: true });
    expect((await push(body)).status).toBe(200);
    expect(await userRows()).toHaveLength(1);
  });

  it("accepts the source's push token as Bearer and refuses another", async () => {
    const body = JSON.stringify(phaseTwoLoginError());
    expect((await push(body, { authorization: "Bearer rwp_wrong" })).status).toBe(401);
    expect((await push(body, { authorization: `Bearer ${token}` })).status).toBe(200);
  });

  it("stores a retried push (the same uid twice) once, and answers the retry with nothing new", async () => {
    const body = JSON.stringify(phaseTwoLoginError());
    const first = await signed(body);
    const retry = await signed(body);
    expect(await first.json()).toMatchObject({ stored: 1 });
    expect(retry.status).toBe(200);
    expect(await retry.json()).toMatchObject({ received: 1, stored: 0 });
    expect(await userRows()).toHaveLength(1);
    expect(await counted()).toBe(1);
  });

  it("stores concurrent copies of one event once", async () => {
    const body = JSON.stringify(phaseTwoLoginError());
    const answers = await Promise.all(Array.from({ length: 8 }, () => signed(body)));
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
    expect(await userRows()).toHaveLength(1);
    expect(await counted()).toBe(1);
  });

  it("stores once an event pushed without Keycloak's id (older servers), by its content fingerprint", async () => {
    const body = JSON.stringify(
      phaseTwoLoginError({ id: undefined, uid: "11111111-2222-4333-8444-555555555555" }),
    );
    expect((await signed(body)).status).toBe(200);
    expect((await signed(body)).status).toBe(200);
    const rows = await userRows();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.id).toMatch(/^fp:/);
  });

  it("does not count twice an event the sync already stored (same Keycloak id)", async () => {
    const synced = toUserEventRow(
      {
        id: "0f6c2f0e-9d56-4a55-a0f3-1c1b5f6b2d11",
        time: PUSH_TIME,
        type: "LOGIN_ERROR",
        realmId: REALM_ID,
        clientId: "web-app",
        ipAddress: "78.195.109.209",
        error: "invalid_redirect_uri",
        details: { redirect_uri: "https://evil.example.net/dashboard" },
      },
      { sourceId, realm: "customer-app", origin: "api" },
    );
    if (isRejected(synced)) throw new Error(synced.rejected);
    await writeUserEvents(sql, [synced]);
    const res = await signed(JSON.stringify(phaseTwoLoginError()));
    expect(await res.json()).toMatchObject({ received: 1, stored: 0 });
    expect(await userRows()).toHaveLength(1);
    expect(await counted()).toBe(1);
  });

  it("takes ext-event-http's plain representations, one or an array, naming realms by the id the sync learnt", async () => {
    await sql`
      insert into realms (source_id, name, keycloak_id) values (${sourceId}, 'acme', ${REALM_ID})
      on conflict do nothing`;
    const one = JSON.stringify(plainUserEvent());
    expect((await signed(one)).status).toBe(200);
    const many = JSON.stringify([
      plainAdminEvent(),
      plainUserEvent({ id: "3c8d0e2f-4a5b-4c6d-9e7f-8a9b0c1d2e3f" }),
    ]);
    const res = await signed(many);
    expect(await res.json()).toMatchObject({ received: 2, stored: 2 });
    const users = await userRows();
    expect(users.map((u) => [u.type, u.realm, u.cause])).toEqual([
      ["CODE_TO_TOKEN_ERROR", "acme", "client-auth"],
      ["CODE_TO_TOKEN_ERROR", "acme", "client-auth"],
    ]);
    expect((await adminRows()).map((a) => [a.operation_type, a.realm])).toEqual([["DELETE", "acme"]]);
    await sql`delete from realms where source_id = ${sourceId}`;
  });

  it("stores, counts and classifies as unknown an event type from a newer Keycloak", async () => {
    const body = JSON.stringify(
      phaseTwoLoginError({
        id: "7d1e2f3a-4b5c-4d6e-8f7a-9b0c1d2e3f4a",
        type: "access.PASSKEY_CEREMONY_ERROR",
        error: "passkey_ceremony_aborted",
        details: {},
      }),
    );
    expect((await signed(body)).status).toBe(200);
    const [row] = await userRows();
    expect(row).toMatchObject({ type: "PASSKEY_CEREMONY_ERROR", cause: "unknown" });
    expect(await counted()).toBe(1);
  });

  it("acknowledges and ignores events of other families (system.*, application events)", async () => {
    const body = JSON.stringify({
      uid: "x",
      time: PUSH_TIME,
      realmId: "customer-app",
      type: "system.WEBHOOK-TEST",
    });
    const res = await signed(body);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ received: 0, ignored: 1 });
    expect(await userRows()).toEqual([]);
  });

  it("answers malformed JSON with 400 and the reason, never quoting the body", async () => {
    const body = '{"uid": "secret-looking-content", "time": 17';
    const res = await signed(body);
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(JSON.parse(text)).toMatchObject({ error: "bad_request", details: { reason: "malformed_json" } });
    expect(text).not.toContain("secret-looking-content");
    expect(await rejections()).toMatchObject({
      rejected: 1,
      reason: expect.stringContaining("malformed_json"),
    });
  });

  it("answers JSON that holds no usable event with 400 no_events", async () => {
    const res = await signed(JSON.stringify({ type: "access.LOGIN", time: "yesterday" }));
    expect(res.status).toBe(400);
    expect(((await res.json()) as { details: { reason: string } }).details.reason).toBe("no_events");
  });

  it("stores the readable events of an array and counts the others as rejected", async () => {
    const res = await signed(JSON.stringify([phaseTwoLoginError(), { type: "LOGIN", time: -5 }]));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ received: 1, stored: 1, invalid: 1 });
    expect((await rejections()).rejected).toBe(1);
  });

  it("refuses a body over 1 MiB with 413 before reading it whole", async () => {
    const body = JSON.stringify(phaseTwoLoginError({ details: { pad: "x".repeat(1024 * 1024) } }));
    const res = await signed(body);
    expect(res.status).toBe(413);
    expect(await userRows()).toEqual([]);
    expect((await rejections()).rejected).toBe(1);
  });

  it("answers 404 for an unknown source and 403 for a source that takes no pushes", async () => {
    const body = JSON.stringify(phaseTwoLoginError());
    expect((await push(body, {}, "00000000-0000-4000-8000-000000000000")).status).toBe(404);
    expect((await push(body, {}, "not-a-uuid")).status).toBe(404);
    const [api] = await sql<{ id: string }[]>`
      insert into sources (id, name, kind, updated_at) values (gen_random_uuid(), 'push-route-test-api', 'api', now())
      on conflict (name) do update set updated_at = now() returning id`;
    const res = await push(body, { "x-keycloak-signature": keycloakSignature(body, secret) }, api!.id);
    expect(res.status).toBe(403);
    expect(((await res.json()) as { details: { reason: string } }).details.reason).toBe("push_disabled");
    await sql`delete from push_minutes where source_id = ${api!.id}`;
    await sql`delete from sources where id = ${api!.id}`;
  });
});
