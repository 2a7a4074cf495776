import type postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { closeSql } from "@/lib/db/sql";
import type { CheckResult, LiveCheckContext } from "@/lib/diagnose/checks/check-types";
import { createUserNameResolver } from "@/lib/ingest/sync/resolve-user-names";
import { refreshPatterns } from "@/lib/patterns/refresh-patterns";
import { DEMO_SERVICE_ACCOUNT, type DemoKeycloak, startDemoKeycloak } from "@/packages/demo-keycloak/src";
import { adminRest, WRITE_ROLES } from "@/testkit/demo-admin";
import { ingestDemoHistory } from "@/testkit/demo-history";
import { testSql, truncateAll } from "../helpers/db";

// The route module is server-only; vitest has no react-server condition to satisfy the marker package.
vi.mock("server-only", () => ({}));

/**
 * POST /api/diagnose { patternId } on the demo's own history: the checks get the values the pattern's failures
 * carried, so each planted misconfiguration comes back as a fail naming its exact value.
 */
const NOW = Date.UTC(2026, 10, 20, 14, 37);

let sql: postgres.Sql;
let demo: DemoKeycloak;

interface PatternRow {
  id: string;
  realm: string;
  cause: string;
  client_id: string | null;
  scope_kind: string;
}

beforeAll(async () => {
  sql = testSql();
  await truncateAll(sql);
  // The demo's own service account, allowed to write too: the fixes are applied through the Admin REST API.
  demo = await startDemoKeycloak({
    port: 0,
    seed: 1,
    traffic: { days: 14, live: false, now: () => NOW },
    serviceAccount: { ...DEMO_SERVICE_ACCOUNT, roles: [...DEMO_SERVICE_ACCOUNT.roles, ...WRITE_ROLES] },
  });
  await ingestDemoHistory(sql, demo.url);
  await refreshPatterns(sql, { now: NOW, resolveUser: createUserNameResolver(sql), full: true });
}, 240_000);

afterAll(async () => {
  await demo?.close();
  if (sql) await truncateAll(sql);
  await sql?.end();
  await closeSql();
});

const { POST } = await import("@/app/api/diagnose/route");

interface Diagnosis {
  context: LiveCheckContext;
  results: CheckResult[];
}

async function diagnose(patternId: string): Promise<Diagnosis> {
  const res = await POST(
    new Request("http://localhost/api/diagnose", { method: "POST", body: JSON.stringify({ patternId }) }),
  );
  expect(res.status).toBe(200);
  return (await res.json()) as Diagnosis;
}

/** Admin REST calls as the fix pages' curl commands make them, with the demo service account's token. */
function rest() {
  const getToken = async () => {
    const res = await fetch(`${demo.url}/realms/master/protocol/openid-connect/token`, {
      method: "POST",
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_id: DEMO_SERVICE_ACCOUNT.clientId,
        client_secret: DEMO_SERVICE_ACCOUNT.secret,
      }),
    });
    return ((await res.json()) as { access_token: string }).access_token;
  };
  return adminRest(demo, getToken);
}

async function openPattern(realm: string, cause: string, clientId: string): Promise<PatternRow> {
  const rows = await sql<PatternRow[]>`
    select id, realm, cause, client_id, scope_kind from patterns
    where realm = ${realm} and cause = ${cause} and client_id = ${clientId} and status <> 'resolved'`;
  expect(rows.length, `${realm} ${cause} ${clientId}`).toBe(1);
  return rows[0]!;
}

/** The fails' evidence, joined; and no check left unknown for a value the context carries. */
function fails(d: Diagnosis): string {
  return d.results
    .filter((r) => r.status === "fail")
    .map((r) => r.evidence)
    .join("\n");
}

describe("POST /api/diagnose { patternId } on the demo's planted incidents", () => {
  it("missing-role: marco.rossi holds orders-admin as a realm role, the API needs acme-orders-api's", async () => {
    const d = await diagnose((await openPattern("acme", "missing-role", "acme-spa")).id);
    expect(d.context).toMatchObject({ role: "orders-admin", roleClientId: "acme-orders-api" });
    expect(d.context.username).toBe("marco.rossi");
    expect(fails(d)).toContain("lacks the client role orders-admin of acme-orders-api");
    expect(fails(d)).toContain("holds a realm role orders-admin, which is a different role");
    expect(d.results.filter((r) => r.status === "unknown").map((r) => r.evidence)).toEqual([]);
  });

  it("missing-role: the support desk's scope leaves out support-lead", async () => {
    const d = await diagnose((await openPattern("acme", "missing-role", "acme-support-desk")).id);
    expect(d.context).toMatchObject({ role: "support-lead", username: "olivia.martin" });
    const byId = Object.fromEntries(d.results.map((r) => [r.id, r]));
    expect(byId["role-scope"]?.status).toBe("fail");
    expect(byId["role-scope"]?.evidence).toContain("realm role support-lead is not in its scope mappings");
    expect(byId["example-token"]?.status).toBe("fail");
    expect(byId["example-token"]?.comparison?.before?.realmRoles).toEqual(
      expect.arrayContaining(["support-agent", "support-viewer"]),
    );
  });

  it("missing-role: the reporting service account lacks view-users (an admin REST 403 in the access log)", async () => {
    const d = await diagnose((await openPattern("acme", "missing-role", "acme-reporting")).id);
    expect(d.context).toMatchObject({ role: "view-users", roleClientId: "realm-management" });
    expect(fails(d)).toContain(
      "The service account service-account-acme-reporting lacks the client role view-users of realm-management",
    );
  });

  it("wrong-audience: the portal's tokens lack the gateway that exchanges them", async () => {
    const d = await diagnose((await openPattern("internal", "wrong-audience", "internal-gateway")).id);
    expect(d.context).toMatchObject({ clientId: "internal-portal", audience: "internal-gateway" });
    const audience = d.results.find((r) => r.id === "audience");
    expect(audience?.status).toBe("fail");
    expect(audience?.evidence).toContain("Nothing adds internal-gateway to aud of internal-portal's tokens");
  });

  it("proxy-misconfig: the redirect URI that lost its https, and the one that lost its port", async () => {
    const shop = await diagnose((await openPattern("retail", "proxy-misconfig", "retail-shop")).id);
    const shopCheck = shop.results.find((r) => r.id === "redirect-uris");
    expect(shopCheck).toMatchObject({ status: "fail", cause: "proxy-misconfig" });
    expect(shopCheck?.evidence).toContain("http://shop.retail.example/callback differs from the registered");
    const portal = await diagnose((await openPattern("retail", "proxy-misconfig", "retail-portal")).id);
    const portalCheck = portal.results.find((r) => r.id === "redirect-uris");
    expect(portalCheck?.status).toBe("fail");
    expect(portalCheck?.evidence).toContain("https://portal.retail.example/callback");
  });

  it("after the fixes the fix pages give, the same patterns' checks pass", async () => {
    const api = rest();
    // missing-role: assign the client role orders-admin of acme-orders-api to marco.rossi (role-mappings/clients).
    const marcoPattern = await openPattern("acme", "missing-role", "acme-spa");
    const orders = await api.clientUuid("acme", "acme-orders-api");
    const marco = await api.userId("acme", "marco.rossi");
    const role = await api.call("GET", `/acme/clients/${orders}/roles/orders-admin`);
    await api.call("POST", `/acme/users/${marco}/role-mappings/clients/${orders}`, [role]);
    const marcoAfter = await diagnose(marcoPattern.id);
    expect(marcoAfter.results.find((r) => r.id === "effective-roles")?.status).toBe("pass");

    // wrong-audience: an Audience mapper on the portal adding the gateway (protocol-mappers/models).
    const exchange = await openPattern("internal", "wrong-audience", "internal-gateway");
    const portal = await api.clientUuid("internal", "internal-portal");
    await api.call("POST", `/internal/clients/${portal}/protocol-mappers/models`, {
      name: "audience-internal-gateway",
      protocol: "openid-connect",
      protocolMapper: "oidc-audience-mapper",
      config: { "included.client.audience": "internal-gateway", "access.token.claim": "true" },
    });
    const exchangeAfter = await diagnose(exchange.id);
    expect(exchangeAfter.results.find((r) => r.id === "audience")?.status).toBe("pass");

    // missing-role: view-users back on the reporting service account (role-mappings/clients of realm-management).
    const reporting = await openPattern("acme", "missing-role", "acme-reporting");
    const rm = await api.clientUuid("acme", "realm-management");
    const sa = await api.call<{ id: string }>(
      "GET",
      `/acme/clients/${await api.clientUuid("acme", "acme-reporting")}/service-account-user`,
    );
    const viewUsers = await api.call("GET", `/acme/clients/${rm}/roles/view-users`);
    await api.call("POST", `/acme/users/${sa.id}/role-mappings/clients/${rm}`, [viewUsers]);
    const reportingAfter = await diagnose(reporting.id);
    expect(reportingAfter.results.find((r) => r.id === "effective-roles")?.status).toBe("pass");
  });

  it("answers 404 for a pattern that does not exist", async () => {
    const res = await POST(
      new Request("http://localhost/api/diagnose", {
        method: "POST",
        body: JSON.stringify({ patternId: "00000000-0000-4000-8000-000000000000" }),
      }),
    );
    expect(res.status).toBe(404);
  });
});
