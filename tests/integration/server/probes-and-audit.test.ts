import { afterAll, describe, expect, it, vi } from "vitest";
import { testSql, truncateAll } from "../helpers/db";

vi.mock("server-only", () => ({}));

const sql = testSql();
const { recordAudit } = await import("@/lib/auth/record-audit");

afterAll(async () => {
  await sql.end();
});

describe("probes", () => {
  it("is live without touching the database", async () => {
    const { GET } = await import("@/app/api/live/route");
    const res = await GET(new Request("http://localhost/api/live"));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "live" });
  });

  it("is ready once the database answers and every migration is applied", async () => {
    const { GET } = await import("@/app/api/ready/route");
    const res = await GET(new Request("http://localhost/api/ready"));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ready" });
  });

  it("is not ready while a migration is pending", async () => {
    const [last] = await sql<{ migrationName: string }[]>`
      select migration_name as "migrationName" from _prisma_migrations order by migration_name desc limit 1`;
    await sql`update _prisma_migrations set migration_name = 'renamed-for-test' where migration_name = ${last?.migrationName ?? ""}`;
    try {
      const { GET } = await import("@/app/api/ready/route");
      const res = await GET(new Request("http://localhost/api/ready"));
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ status: "not_ready", pending: [last?.migrationName] });
    } finally {
      await sql`update _prisma_migrations set migration_name = ${last?.migrationName ?? ""} where migration_name = 'renamed-for-test'`;
    }
  });
});

describe("audit log", () => {
  it("records who did what to which target, from where, with secrets in details redacted", async () => {
    await truncateAll(sql);
    process.env.REALMWATCH_TRUST_PROXY = "1";
    await recordAudit(
      sql,
      {
        viewer: { role: "admin", name: "alice", anonymous: false },
        action: "source.update",
        target: "prod",
        request: new Request("http://localhost/api/sources/1", {
          method: "PUT",
          headers: { "x-forwarded-for": "10.9.9.9, 203.0.113.9" },
        }),
        details: { serverUrl: "https://sso.example.com", clientSecret: "do-not-store-me" },
      },
      new Date("2026-11-22T12:00:00Z"),
    );
    const rows =
      await sql`select actor, role, action, target, ip_address as "ip", details, time from audit_log where actor = 'alice'`;
    expect(rows).toEqual([
      {
        actor: "alice",
        role: "admin",
        action: "source.update",
        target: "prod",
        ip: "203.0.113.9",
        details: { serverUrl: "https://sso.example.com", clientSecret: "[redacted]" },
        time: new Date("2026-11-22T12:00:00Z"),
      },
    ]);
    delete process.env.REALMWATCH_TRUST_PROXY;
  });

  it("records every change answered through route(), refusals included, and no reads", async () => {
    await truncateAll(sql);
    const sources = await import("@/app/api/sources/route");
    const bad = await sources.POST(
      new Request("http://localhost/api/sources", { method: "POST", body: JSON.stringify({ name: "" }) }),
    );
    expect(bad.status).toBe(400);
    await sources.GET(new Request("http://localhost/api/sources"));
    // Public routes (signed reports) authenticate by signature and are not audited per request.
    const reports = await import("@/app/api/reports/route");
    expect(
      (await reports.POST(new Request("http://localhost/api/reports", { method: "POST", body: "{}" })))
        .status,
    ).toBe(401);
    const rows = await sql`select actor, role, action, ip_address as "ip", details from audit_log`;
    expect(rows).toEqual([
      {
        actor: expect.any(String),
        role: "admin",
        action: "POST /api/sources",
        ip: "direct",
        details: { status: 400 },
      },
    ]);
  });
});
