import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { closeSql } from "@/lib/db/sql";
import { createReportKey } from "@/lib/ingest/reports/receive";
import type { ReporterConfig } from "@/packages/reporter/src/client";
import { reportDenials } from "@/packages/reporter/src/express";
import { withDenialReports } from "@/packages/reporter/src/next-route";
import { eventually, startReceiver } from "@/testkit/report-receiver";
import { accessToken, signatureOf } from "@/testkit/report-tokens";
import { testDatabaseUrl, testSql } from "../../helpers/db";

// Route modules are server-only and read the session cookie; outside Next there is no request scope.
vi.mock("server-only", () => ({}));
vi.mock("next/headers", () => ({ cookies: async () => ({ get: () => undefined }) }));
process.env.REALMWATCH_SECRET_KEY ??= "report-route-test-key-0123456789abcdef";

const SOURCE = "reporters-test";
const sql = (() => {
  testDatabaseUrl();
  return testSql(2);
})();
const { POST } = await import("@/app/api/reports/route");
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let config: ReporterConfig;

beforeAll(async () => {
  const [row] = await sql<{ id: string }[]>`
    insert into sources (id, name, kind, updated_at) values (gen_random_uuid(), ${SOURCE}, 'import', now())
    returning id`;
  receiver = await startReceiver(POST);
  config = { url: receiver.url, sourceId: row!.id, key: await createReportKey(sql, row!.id) };
});

afterAll(async () => {
  await receiver?.close();
  await sql`delete from user_events where source_id = ${config.sourceId}`;
  await sql`delete from report_nonces where source_id = ${config.sourceId}`;
  await sql`delete from sources where id = ${config.sourceId}`;
  await sql.end();
  await closeSql();
});

interface Stored {
  http_method: string;
  http_path: string;
  http_status: number;
  client_id: string;
  cause: string;
  details: Record<string, string>;
}

const storedAt = (path: string) =>
  eventually(async () => {
    const [row] = await sql<Stored[]>`
      select http_method, http_path, http_status, client_id, cause, details
      from user_events where source_id = ${config.sourceId} and http_path = ${path}`;
    return row;
  });

describe("the Express middleware, on a node:http server", () => {
  let api: Server;
  let apiUrl = "";

  beforeAll(async () => {
    const middleware = reportDenials(config, "acme");
    api = createServer((req, res) =>
      middleware(req, res, () => {
        if (req.url?.startsWith("/api/orders")) {
          // What an Express handler does: say what it required, then deny.
          Object.assign(res, { locals: { realmwatchRequired: { realmRoles: ["orders-admin"] } } });
          res.statusCode = 403;
          res.end("forbidden");
        } else {
          res.end("ok");
        }
      }),
    );
    await new Promise<void>((resolve) => api.listen(0, "127.0.0.1", resolve));
    apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((resolve) => api.close(() => resolve())));

  it("reports a 403 with what the handler required, classified from the token, and never keeps the token", async () => {
    const token = accessToken(Date.now());
    const res = await fetch(`${apiUrl}/api/orders/7?expand=lines`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(403);
    const row = await storedAt("/api/orders/7");
    expect(row).toMatchObject({
      http_method: "GET",
      http_status: 403,
      client_id: "orders-web",
      cause: "missing-role",
    });
    expect(JSON.parse(row.details.required ?? "{}")).toEqual({ realmRoles: ["orders-admin"] });
    expect(JSON.stringify(row)).not.toContain(signatureOf(token));
  });

  it("does not report answers that are not denials", async () => {
    expect((await fetch(`${apiUrl}/health`)).status).toBe(200);
    // A denial after it: once its report is stored, a report of /health would have been too.
    await fetch(`${apiUrl}/api/orders/8`);
    await storedAt("/api/orders/8");
    const [n] = await sql<{ n: number }[]>`
      select count(*)::int as n from user_events where source_id = ${config.sourceId} and http_path = '/health'`;
    expect(n!.n).toBe(0);
  });
});

describe("the Next.js route wrapper", () => {
  it("answers as the handler did and reports the 401 in the background", async () => {
    const GET = withDenialReports(
      config,
      { audience: ["billing-api"] },
      async () => new Response(null, { status: 401 }),
      "acme",
    );
    const token = accessToken(Date.now());
    const res = await GET(
      new Request("http://api.example/api/invoices/3", { headers: { authorization: `Bearer ${token}` } }),
      {},
    );
    expect(res.status).toBe(401);
    const row = await storedAt("/api/invoices/3");
    expect(row).toMatchObject({ http_status: 401, client_id: "orders-web", cause: "wrong-audience" });
  });
});
