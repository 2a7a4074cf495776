import type postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { isCauseId } from "@/lib/classify/causes";
import { closeSql } from "@/lib/db/sql";
import { adminApiForRealm } from "@/lib/diagnose/admin-api-for-realm";
import { present } from "@/lib/diagnose/checks/check-support";
import type { CheckResult, LiveCheckContext } from "@/lib/diagnose/checks/check-types";
import { CHECKS_FOR_CAUSE, LIVE_CHECKS } from "@/lib/diagnose/run-live-checks";
import { fixPageContext } from "@/lib/fixes/fix-page-context";
import { PLACEHOLDERS } from "@/lib/fixes/fix-values";
import { renderFix } from "@/lib/fixes/render-fix";
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
  return diagnoseBy({ patternId });
}

async function diagnoseBy(body: Record<string, string>): Promise<Diagnosis> {
  const res = await POST(
    new Request("http://localhost/api/diagnose", { method: "POST", body: JSON.stringify(body) }),
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

/** "Not checked" for want of a value the context does carry: the check should have used it. */
function uncheckedDespiteEvidence(d: Diagnosis): string[] {
  return d.results
    .filter((r) => r.status === "unknown" && /the failures name no /.test(r.evidence))
    .filter((r) => {
      const fields = /the failures name no client\b/.test(r.evidence)
        ? ["clientId", "origins"]
        : LIVE_CHECKS[r.id].requires;
      return fields.some((f) => present(d.context[f as keyof LiveCheckContext]));
    })
    .map((r) => `${r.id}: ${r.evidence}`);
}

describe("POST /api/diagnose { patternId } on the demo's planted incidents", () => {
  it("every open pattern whose cause has live checks gets a fail, and no check is left unchecked for a value its events carry", async () => {
    const rows = await sql<PatternRow[]>`
      select id, realm, cause, client_id, scope_kind from patterns where status <> 'resolved' order by realm, cause, id`;
    const withChecks = rows.filter((r) =>
      (CHECKS_FOR_CAUSE[r.cause as keyof typeof CHECKS_FOR_CAUSE] ?? []).some((id) => id !== "events-config"),
    );
    // The planted misconfigurations with live checks: CORS, missing scope, three missing roles, the exchange's
    // audience and two redirect URIs behind a proxy.
    expect(withChecks.map((r) => r.cause).sort()).toEqual([
      "cors",
      "missing-role",
      "missing-role",
      "missing-role",
      "missing-scope",
      "proxy-misconfig",
      "proxy-misconfig",
      "wrong-audience",
    ]);
    for (const row of withChecks) {
      const d = await diagnose(row.id);
      const label = `${row.realm} ${row.cause} ${row.client_id ?? "(no client)"}`;
      expect(d.results.filter((r) => r.status === "fail").length, label).toBeGreaterThan(0);
      expect(uncheckedDespiteEvidence(d), label).toEqual([]);
    }
  });

  it("cors: the refused origin, found in the access log's Referer, is named against the SPA found by it", async () => {
    const [row] = await sql<PatternRow[]>`
      select id, realm, cause, client_id, scope_kind from patterns
      where realm = 'acme' and cause = 'cors' and status <> 'resolved'`;
    const d = await diagnose(row!.id);
    expect(d.context).toMatchObject({ clientId: "acme-spa", origins: ["https://app.acme.example"] });
    expect(d.context.clientFoundBy).toContain("acme.example");
    const check = d.results.find((r) => r.id === "web-origins");
    expect(check?.status).toBe("fail");
    expect(check?.evidence).toContain("https://app.acme.example is not among the web origins of acme-spa");
  });

  it("missing-scope: userinfo's Missing openid scope, the client found by the browser origin the access log lent", async () => {
    const [row] = await sql<PatternRow[]>`
      select id, realm, cause, client_id, scope_kind from patterns
      where realm = 'acme' and cause = 'missing-scope' and status <> 'resolved'`;
    const d = await diagnose(row!.id);
    expect(d.context).toMatchObject({
      clientId: "acme-spa",
      endpoint: "userinfo",
      missingScopes: ["openid"],
    });
    const check = d.results.find((r) => r.id === "client-scopes");
    expect(check?.status).toBe("fail");
    expect(check?.evidence).toContain("access tokens of acme-spa were requested without openid");
  });

  it("{ eventId }: one stored failure gives the same context as its pattern", async () => {
    const [event] = await sql<{ id: string; source_id: string }[]>`
      select id, source_id from user_events
      where realm = 'acme' and cause = 'missing-role' and client_id = 'acme-spa' and is_failure limit 1`;
    const d = await diagnoseBy({ eventId: event!.id, sourceId: event!.source_id });
    expect(d.context).toMatchObject({
      role: "orders-admin",
      roleClientId: "acme-orders-api",
      username: "marco.rossi",
    });
    expect(fails(d)).toContain("lacks the client role orders-admin of acme-orders-api");
    const missing = await POST(
      new Request("http://localhost/api/diagnose", {
        method: "POST",
        body: JSON.stringify({ eventId: "no-such-event" }),
      }),
    );
    expect(missing.status).toBe(404);
  });

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

  it("cors: after the refused origin is added to the SPA's web origins, the check passes", async () => {
    const [row] = await sql<PatternRow[]>`
      select id, realm, cause, client_id, scope_kind from patterns
      where realm = 'acme' and cause = 'cors' and status <> 'resolved'`;
    const api = rest();
    const spa = await api.clientUuid("acme", "acme-spa");
    const client = await api.call<{ webOrigins?: string[] }>("GET", `/acme/clients/${spa}`);
    await api.call("PUT", `/acme/clients/${spa}`, {
      ...client,
      webOrigins: [...(client.webOrigins ?? []), "https://app.acme.example"],
    });
    const after = await diagnose(row!.id);
    expect(after.results.find((r) => r.id === "web-origins")?.status).toBe("pass");
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

describe("the fix page of each open pattern, built from its evidence", () => {
  const adminApiFor = async (realm: string, sourceId: string) =>
    (await adminApiForRealm(sql, realm, sourceId)).api;

  it("fills every placeholder the evidence can, shows the values with counts, and never sets the hostname from the sync URL", async () => {
    const rows = await sql<PatternRow[]>`
      select id, realm, cause, client_id, scope_kind from patterns where status <> 'resolved' order by realm, cause, id`;
    expect(rows.length).toBeGreaterThan(5);
    for (const row of rows) {
      if (!isCauseId(row.cause)) continue;
      const page = await fixPageContext(() => sql, { pattern: row.id }, adminApiFor);
      const label = `${row.realm} ${row.cause} ${row.client_id ?? "(no client)"}`;
      expect(page.patternId, label).toBe(row.id);
      expect(page.evidence?.rows.length, label).toBeGreaterThan(0);
      expect(page.evidence?.failures, label).toBeGreaterThan(0);
      const fix = renderFix(row.cause, page.ctx);
      // A value the page knows never stays a placeholder; the client's UUID comes from Keycloak.
      for (const [field, placeholder] of Object.entries(PLACEHOLDERS)) {
        if (page.ctx[field as keyof typeof PLACEHOLDERS] !== undefined) {
          expect(fix.placeholders, `${label}: ${placeholder}`).not.toContain(placeholder);
        }
      }
      if (page.ctx.clientId) expect(page.ctx.clientUuid, label).toMatch(/^[0-9a-f-]{36}$/);
      expect(fix.placeholders, label).not.toContain("<realm>");
      expect(fix.placeholders, label).not.toContain("<keycloak-url>");
      if (page.ctx.publicUrl) {
        const from = page.evidence?.rows.find((r) => r.key === "public_url")?.label ?? "";
        expect(from, label).not.toContain("advertises");
      }
    }
  });

  it("names the CORS page's client and refused origin, and the missing role's owner, from the evidence", async () => {
    const cors = (
      await sql<{ id: string }[]>`
      select id from patterns where realm = 'acme' and cause = 'cors' and status <> 'resolved'`
    )[0]!;
    const corsPage = await fixPageContext(() => sql, { pattern: cors.id }, adminApiFor);
    expect(corsPage.ctx).toMatchObject({ clientId: "acme-spa", origin: "https://app.acme.example" });
    const rows = Object.fromEntries(
      corsPage.evidence!.rows.map((r) => [r.key, r.values.map((v) => v.value)]),
    );
    expect(rows.origin).toContain("https://app.acme.example");
    expect(rows.web_origins).toBeDefined();
    expect(rows.client?.[0]).toContain("acme-spa");

    const marco = await openPattern("acme", "missing-role", "acme-spa");
    const rolePage = await fixPageContext(() => sql, { pattern: marco.id }, adminApiFor);
    const required = rolePage.evidence!.rows.find((r) => r.key === "required_role")!;
    expect(required.values[0]).toMatchObject({ value: "client role orders-admin of acme-orders-api" });
    expect(required.values[0]!.count).toBeGreaterThan(0);
    const commands = JSON.stringify(renderFix("missing-role", rolePage.ctx).sections);
    expect(commands).toContain("ROLE_CLIENT_ID=acme-orders-api");
    expect(commands).not.toContain("SA_USER_ID");
    // The role's own console page: its id and its client's UUID, read from Keycloak.
    const orders = await rest().clientUuid("acme", "acme-orders-api");
    expect(rolePage.ctx.roleClientUuid).toBe(orders);
    expect(rolePage.ctx.roleId).toMatch(/\S/);
    expect(commands).toContain(`/acme/clients/${orders}/roles/${rolePage.ctx.roleId}/details`);
  });
});
