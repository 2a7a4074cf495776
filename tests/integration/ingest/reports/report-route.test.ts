import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { closeSql } from "@/lib/db/sql";
import { HEADERS, signReport } from "@/packages/reporter/src/signature";
import { accessToken, signatureOf } from "@/testkit/report-tokens";
import { testDatabaseUrl, testSql } from "../../helpers/db";

// Route modules are server-only and read the session cookie; outside Next there is no request scope.
vi.mock("server-only", () => ({}));
vi.mock("next/headers", () => ({ cookies: async () => ({ get: () => undefined }) }));
process.env.REALMWATCH_SECRET_KEY ??= "report-route-test-key-0123456789abcdef";

const SOURCE = "report-route-test";
const sql = (() => {
  testDatabaseUrl();
  return testSql(2);
})();
let sourceId = "";
let key = "";

const { POST } = await import("@/app/api/reports/route");
const keys = await import("@/app/api/reports/keys/route");

beforeAll(async () => {
  const [row] = await sql<{ id: string }[]>`
    insert into sources (id, name, kind, updated_at) values (gen_random_uuid(), ${SOURCE}, 'import', now())
    returning id`;
  sourceId = row!.id;
  const res = await keys.POST(
    new Request("http://localhost/api/reports/keys", { method: "POST", body: JSON.stringify({ sourceId }) }),
  );
  expect(res.status).toBe(201);
  key = ((await res.json()) as { key: string }).key;
  const audit = await sql`select action from audit_log where target = ${sourceId}`;
  expect(audit).toEqual([{ action: "source.report-key.create" }]);
});

afterAll(async () => {
  await sql`delete from user_events where source_id = ${sourceId}`;
  await sql`delete from report_nonces where source_id = ${sourceId}`;
  await sql`delete from audit_log where target = ${sourceId}`;
  await sql`delete from sources where id = ${sourceId}`;
  await sql.end();
  await closeSql();
});

function signed(body: string, opts: { nonce?: string; key?: string; at?: number } = {}): Request {
  const at = opts.at ?? Date.now();
  const nonce = opts.nonce ?? randomBytes(18).toString("base64url");
  return new Request("http://localhost/api/reports", {
    method: "POST",
    headers: {
      "content-type": "application/json",
      [HEADERS.source]: sourceId,
      [HEADERS.timestamp]: String(at),
      [HEADERS.nonce]: nonce,
      [HEADERS.signature]: signReport(opts.key ?? key, at, nonce, body),
    },
    body,
  });
}

const reportCount = async () =>
  (await sql<{ n: number }[]>`select count(*)::int as n from user_events where source_id = ${sourceId}`)[0]!
    .n;

const token = accessToken(Date.now());
const denial = JSON.stringify({
  method: "GET",
  path: "/api/orders/42",
  status: 403,
  required: { clientRoles: [{ clientId: "orders-api", roles: ["writer"] }] },
  token,
});

describe("POST /api/reports", () => {
  it("stores a signed report with its cause, and a replay of it is a 409 that stores nothing", async () => {
    const nonce = randomBytes(18).toString("base64url");
    const at = Date.now();
    const first = await POST(signed(denial, { nonce, at }));
    expect(first.status).toBe(201);
    expect(await first.json()).toMatchObject({ stored: true, cause: "missing-role" });
    const [row] = await sql`
      select origin, type, realm, client_id, user_id, http_path, http_status, cause
      from user_events where source_id = ${sourceId}`;
    expect(row).toEqual({
      origin: "report",
      type: "HTTP_DENIAL",
      realm: "acme",
      client_id: "orders-web",
      user_id: "5f0c6a7e-2b1d-4c44-9d1e-0d6f3c1a9b21",
      http_path: "/api/orders/42",
      http_status: 403,
      cause: "missing-role",
    });

    const replay = await POST(signed(denial, { nonce, at }));
    expect(replay.status).toBe(409);
    // The same nonce signed again at another time (a reporter that reuses nonces) is refused as well.
    const reused = await POST(signed(denial, { nonce, at: at + 1000 }));
    expect(reused.status).toBe(409);
    expect(await reportCount()).toBe(1);
  });

  it("never stores the token or its signature, in any text column of any table", async () => {
    const columns = await sql<{ table_name: string; column_name: string }[]>`
      select table_name, column_name from information_schema.columns
      where table_schema = 'public' and data_type in ('text', 'character varying', 'jsonb', 'json', 'ARRAY')`;
    expect(columns.some((c) => c.table_name === "user_events" && c.column_name === "details")).toBe(true);
    for (const secret of [token, signatureOf(token)]) {
      for (const c of columns) {
        const [hit] = await sql<{ n: number }[]>`
          select count(*)::int as n from ${sql(c.table_name)} where strpos(${sql(c.column_name)}::text, ${secret}) > 0`;
        expect(hit!.n, `${c.table_name}.${c.column_name}`).toBe(0);
      }
    }
  });

  it("answers 401 to an unsigned request and to a wrong signature, storing nothing", async () => {
    const unsigned = await POST(
      new Request("http://localhost/api/reports", {
        method: "POST",
        headers: { [HEADERS.source]: sourceId },
        body: denial,
      }),
    );
    expect(unsigned.status).toBe(401);
    expect(((await unsigned.json()) as { message: string }).message).toContain("unsigned");
    expect((await POST(signed(denial, { key: "rwk_not-the-key" }))).status).toBe(401);
    expect((await POST(signed(denial, { at: Date.now() - 10 * 60_000 }))).status).toBe(401);
    expect(await reportCount()).toBe(1);
  });

  it("answers 400 to a signed body that is not a report, and 413 past 64 KB", async () => {
    const notJson = await POST(signed("status=403"));
    expect(notJson.status).toBe(400);
    const bad = await POST(signed(JSON.stringify({ method: "GET", path: "/x", status: "forbidden" })));
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toContain("status");
    const huge = await POST(
      signed(JSON.stringify({ method: "GET", path: `/${"a".repeat(70_000)}`, status: 403 })),
    );
    expect(huge.status).toBe(413);
    expect(await reportCount()).toBe(1);
  });
});

describe("POST /api/reports/keys", () => {
  it("answers 404 for an unknown source and 400 for a body without a source id", async () => {
    const post = (body: unknown) =>
      keys.POST(
        new Request("http://localhost/api/reports/keys", { method: "POST", body: JSON.stringify(body) }),
      );
    expect((await post({ sourceId: "00000000-0000-4000-8000-000000000000" })).status).toBe(404);
    expect((await post({ source: "x" })).status).toBe(400);
  });
});

describe("report rate limits and malformed headers", () => {
  it("answers a malformed source id with 401, not a database error", async () => {
    const req = signed(denial);
    req.headers.set(HEADERS.source, "-".repeat(36));
    const res = await POST(req);
    expect(res.status).toBe(401);
    expect(JSON.stringify(await res.json())).not.toMatch(/uuid|postgres|at /i);
  });

  it("charges failed signatures to the client, so a flood naming a source does not block its signed reports", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 130; i++) {
      statuses.push((await POST(signed(denial, { key: "not-the-key-not-the-key-not-the-key" }))).status);
    }
    expect(statuses.slice(0, 100).every((s) => s === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(429); // the forger's own bucket ran out
    const before = await reportCount();
    expect((await POST(signed(denial))).status).toBe(201); // the source's own bucket is untouched
    expect(await reportCount()).toBe(before + 1);
  });
});
