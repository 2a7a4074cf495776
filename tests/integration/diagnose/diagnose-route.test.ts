import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { closeSql } from "@/lib/db/sql";
import type { CheckResult } from "@/lib/diagnose/checks/check-types";
import { sealSecret } from "@/lib/server/secret-box";
import { type Demo, READ_ROLES, startDemo } from "@/testkit/demo-admin";
import { testDatabaseUrl, testSql, truncateAll } from "../helpers/db";

// The route module is server-only; vitest has no react-server condition to satisfy the marker package.
vi.mock("server-only", () => ({}));
process.env.REALMWATCH_SECRET_KEY ??= "diagnose-route-test-key-0123456789abcdef";

const SOURCE = "diagnose-route-test";
let demo: Demo;
const sql = (() => {
  testDatabaseUrl();
  return testSql(1);
})();

beforeAll(async () => {
  // Sources left by other files would compete for the realm: start from an empty database.
  await truncateAll(sql);
  demo = await startDemo(READ_ROLES);
  await sql`
    insert into sources (id, name, kind, server_url, auth_realm, client_id, secret_ciphertext, realms, updated_at)
    values (gen_random_uuid(), ${SOURCE}, 'api', ${demo.kc.url}, 'master', ${demo.account.clientId},
            ${sealSecret(demo.account.secret, "source-secret")}, ${["acme", "retail"]}, now())`;
});

afterAll(async () => {
  await sql`delete from sources where name = ${SOURCE}`;
  await sql.end();
  await closeSql();
  await demo?.kc.close();
});

const { POST } = await import("@/app/api/diagnose/route");
const post = (body: unknown) =>
  POST(new Request("http://localhost/api/diagnose", { method: "POST", body: JSON.stringify(body) }));

describe("POST /api/diagnose", () => {
  it("runs a cause's checks through the source that serves the realm", async () => {
    const res = await post({
      cause: "cors",
      context: { realm: "acme", clientId: "acme-spa", origins: ["https://app.acme.example"] },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { source: string; results: CheckResult[] };
    expect(body.source).toBe(SOURCE);
    expect(body.results.map((r) => [r.id, r.status])).toEqual([["web-origins", "fail"]]);
  });

  it("rejects a body that is not a diagnose request, naming the field", async () => {
    const res = await post({ cause: "cors", context: { clientId: "acme-spa" } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toContain("context.realm");
  });

  it("says when no source serves the realm", async () => {
    const res = await post({ cause: "cors", context: { realm: "nowhere-realm" } });
    const body = (await res.json()) as { message: string };
    expect(res.status).toBe(400);
    expect(body.message).toContain('No Keycloak source serves realm "nowhere-realm"');
  });
});
