import { afterAll, describe, expect, it, vi } from "vitest";
import { closeSql } from "@/lib/db/sql";
import { testDatabaseUrl, testSql } from "../helpers/db";

vi.mock("server-only", () => ({}));
vi.mock("next/headers", () => ({ cookies: async () => ({ get: () => undefined }) }));
process.env.REALMWATCH_SECRET_KEY ??= "push-settings-test-key-0123456789abcdef";

const sql = (() => {
  testDatabaseUrl();
  return testSql(2);
})();
const create = await import("@/app/api/sources/push/route");
const settings = await import("@/app/api/sources/[id]/push/route");
const reveal = await import("@/app/api/sources/[id]/push/secrets/route");
const list = await import("@/app/api/sources/route");

const ids: string[] = [];
afterAll(async () => {
  for (const id of ids) {
    await sql`delete from audit_log where target = ${id}`;
    await sql`delete from sources where id = ${id}`;
  }
  await sql.end();
  await closeSql();
});

const call = (handler: typeof settings.PATCH, url: string, method: string, body?: unknown, id?: string) =>
  handler(
    new Request(`http://localhost${url}`, {
      method,
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
    { params: Promise.resolve<Record<string, string>>(id ? { id } : {}) },
  );

describe("push settings of a source", () => {
  it("creates a push source whose secrets are answered once, never listed, and shown again on request (audited)", async () => {
    await sql`delete from sources where name = 'push-settings-test'`;
    const res = await call(create.POST, "/api/sources/push", "POST", { name: "push-settings-test" });
    expect(res.status).toBe(201);
    const created = (await res.json()) as {
      source: { sourceId: string; kind: string; pushEnabled: boolean };
      secrets: { webhookSecret: string; pushToken: string };
    };
    ids.push(created.source.sourceId);
    expect(created.source).toMatchObject({ kind: "push", pushEnabled: true });
    expect(created.secrets.pushToken).toMatch(/^rwp_/);

    const listed = await (await list.GET(new Request("http://localhost/api/sources"))).text();
    expect(listed).not.toContain(created.secrets.webhookSecret);
    expect(listed).not.toContain(created.secrets.pushToken);
    const [row] = await sql<{ push_secret_cipher: string; push_token_hash: string }[]>`
      select push_secret_cipher, push_token_hash from sources where id = ${created.source.sourceId}`;
    expect(row!.push_secret_cipher).not.toContain(created.secrets.webhookSecret);

    const shown = await call(reveal.POST, "", "POST", undefined, created.source.sourceId);
    expect(await shown.json()).toEqual({ secrets: created.secrets });
    const audit = await sql<{ action: string }[]>`
      select action from audit_log where target = ${created.source.sourceId} order by time`;
    expect(audit.map((a) => a.action)).toEqual(["source.push.create", "source.push.reveal"]);
  });

  it("turns pushes on for an API source, renews its secrets, checks the issuer, and turns them off", async () => {
    const [api] = await sql<{ id: string }[]>`
      insert into sources (id, name, kind, updated_at) values (gen_random_uuid(), 'push-settings-api', 'api', now())
      on conflict (name) do update set updated_at = now() returning id`;
    ids.push(api!.id);
    const on = (await (await call(settings.PATCH, "", "PATCH", { enabled: true }, api!.id)).json()) as {
      secrets: { pushToken: string };
    };
    expect(on.secrets.pushToken).toMatch(/^rwp_/);
    const renewed = (await (
      await call(settings.PATCH, "", "PATCH", { renewSecrets: true }, api!.id)
    ).json()) as {
      secrets: { pushToken: string };
    };
    expect(renewed.secrets.pushToken).not.toBe(on.secrets.pushToken);

    const bad = await call(settings.PATCH, "", "PATCH", { jwtIssuer: "javascript:alert(1)" }, api!.id);
    expect(bad.status).toBe(400);
    const good = await call(
      settings.PATCH,
      "",
      "PATCH",
      { jwtIssuer: "https://sso.example.com/realms/acme/", jwtAudience: "realmwatch", acceptUnsigned: true },
      api!.id,
    );
    expect(await good.json()).toMatchObject({
      source: {
        jwtIssuer: "https://sso.example.com/realms/acme",
        jwtAudience: "realmwatch",
        acceptUnsigned: true,
      },
    });
    expect(await good.text().catch(() => "")).not.toContain("rwp_");

    const off = await call(settings.PATCH, "", "PATCH", { enabled: false }, api!.id);
    expect(await off.json()).toMatchObject({ source: { pushEnabled: false } });
    expect((await call(reveal.POST, "", "POST", undefined, api!.id)).status).toBe(409);
  });
});
