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
  it("records who did what to which target, with secrets in details redacted", async () => {
    await truncateAll(sql);
    await recordAudit(
      sql,
      {
        viewer: { role: "admin", name: "alice", anonymous: false },
        action: "source.update",
        target: "prod",
        ipAddress: "203.0.113.9",
        details: { serverUrl: "https://sso.example.com", clientSecret: "do-not-store-me" },
      },
      new Date("2026-11-22T12:00:00Z"),
    );
    const rows =
      await sql`select actor, role, action, target, ip_address as "ip", details, time from audit_log`;
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
  });
});
