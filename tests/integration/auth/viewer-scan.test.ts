import type postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type DemoKeycloak, startDemoKeycloak } from "@/packages/demo-keycloak/src";
import { ingestDemoHistory } from "@/testkit/demo-history";
import { testSql, truncateAll } from "../helpers/db";

vi.mock("server-only", () => ({}));

/**
 * Every API answer a viewer can reach, on the 14-day demo history with its patterns, scanned for personal data:
 * no raw username, e-mail, user id or full IP address may appear anywhere in any answer. The values searched for
 * are all those the database holds, so a field nobody thought of is caught too. Links in the answers are
 * followed (opaque user links must still open the user's page), and filters that would identify someone are
 * refused to viewers.
 */
const NOW = Date.UTC(2026, 10, 20, 14, 37);
const RANGE = "from=2026-11-06T00:00&to=2026-11-20T15:00&tz=UTC";

let sql: postgres.Sql;
let demo: DemoKeycloak;
let viewerCookie = "";
let personal: string[] = [];

const { resetAuthConfigCache } = await import("@/lib/auth/config");
const { SESSION_COOKIE, sealSession } = await import("@/lib/auth/session");

beforeAll(async () => {
  sql = testSql();
  await truncateAll(sql);
  demo = await startDemoKeycloak({ port: 0, seed: 1, traffic: { days: 14, live: false, now: () => NOW } });
  await ingestDemoHistory(sql, demo.url);
  const { refreshPatterns } = await import("@/lib/patterns/refresh-patterns");
  const { createUserNameResolver } = await import("@/lib/ingest/sync/resolve-user-names");
  await refreshPatterns(sql, { now: NOW, resolveUser: createUserNameResolver(sql) });
  Object.assign(process.env, {
    REALMWATCH_OIDC_ISSUER: "https://sso.example.com/realms/master",
    REALMWATCH_OIDC_CLIENT_ID: "realmwatch-web",
  });
  resetAuthConfigCache();
  viewerCookie = `${SESSION_COOKIE}=${encodeURIComponent(
    sealSession({ role: "viewer", name: "viewer", exp: Math.floor(Date.now() / 1000) + 3600 }),
  )}`;
  const rows = await sql<{ v: string }[]>`
    select distinct v from (
      select username as v from user_events where username is not null
      union select user_id from user_events where user_id is not null
      union select ip_address from user_events where ip_address is not null
      union select username from user_names union select email from user_names where email is not null
      union select user_id from user_names
      union select auth_ip_address from admin_events where auth_ip_address is not null
      union select auth_user_id from admin_events where auth_user_id is not null
      union select value from user_events, jsonb_each_text(details) where key in ('username', 'email')
    ) s where length(v) >= 4`;
  // Service accounts' usernames name clients, not people; "admin" (Keycloak's bootstrap account) is also a word
  // of every Admin API path and role name. Everything else is a person or an address.
  personal = rows.map((r) => r.v).filter((v) => !v.startsWith("service-account-") && v !== "admin");
  expect(personal.length).toBeGreaterThan(20);
}, 300_000);

afterAll(async () => {
  delete process.env.REALMWATCH_OIDC_ISSUER;
  delete process.env.REALMWATCH_OIDC_CLIENT_ID;
  resetAuthConfigCache();
  await demo?.close();
  await truncateAll(sql);
  await sql?.end();
});

type Handler = (req: Request, ctx?: { params?: Promise<Record<string, string>> }) => Promise<Response>;

async function get(handler: Handler, path: string, params?: Record<string, string>) {
  const res = await handler(
    new Request(`http://127.0.0.1:3000${path}`, { headers: { cookie: viewerCookie } }),
    {
      params: Promise.resolve(params ?? {}),
    },
  );
  return { status: res.status, text: await res.text() };
}

function leaks(text: string): string[] {
  return personal.filter((v) => text.includes(v));
}

describe("what a viewer receives", () => {
  it("holds no personal value in any answer of the API", async () => {
    const overview = (await import("@/app/api/overview/route")).GET;
    const patterns = (await import("@/app/api/patterns/route")).GET;
    const pattern = (await import("@/app/api/patterns/[id]/route")).GET;
    const events = (await import("@/app/api/events/route")).GET;
    const adminEvents = (await import("@/app/api/events/admin/route")).GET;
    const clients = (await import("@/app/api/clients/route")).GET;
    const client = (await import("@/app/api/clients/[realm]/[clientId]/route")).GET;
    const user = (await import("@/app/api/users/[realm]/[userId]/route")).GET;
    const sources = (await import("@/app/api/sources/route")).GET;

    const answers: Array<[string, { status: number; text: string }]> = [];
    const add = async (label: string, p: Promise<{ status: number; text: string }>) => {
      const a = await p;
      answers.push([label, a]);
      return a;
    };
    await add("overview", get(overview, `/api/overview?${RANGE}`));
    const listed = await add("sources", get(sources, "/api/sources"));
    // States without their sentences: an error text may quote what the URL's server answered.
    for (const source of (
      JSON.parse(listed.text) as {
        sources: { statusMessage: string | null; streams: { message: string | null }[] }[];
      }
    ).sources) {
      expect(source.statusMessage).toBeNull();
      for (const stream of source.streams) expect(stream.message).toBeNull();
    }
    await add("clients", get(clients, `/api/clients?${RANGE}`));
    for (const realm of ["acme", "retail", "internal"]) {
      await add(`events ${realm}`, get(events, `/api/events?realm=${realm}&limit=500&${RANGE}`));
      await add(
        `admin events ${realm}`,
        get(adminEvents, `/api/events/admin?realm=${realm}&limit=500&${RANGE}`),
      );
    }
    const list = await add(
      "patterns",
      get(patterns, "/api/patterns?status=open&status=ongoing&status=resolved"),
    );
    const ids = (
      JSON.parse(list.text) as { patterns: { id: string; realm: string; clientId: string | null }[] }
    ).patterns;
    expect(ids.length).toBeGreaterThan(5);
    const userLinks = new Set<string>();
    for (const p of ids) {
      const detail = await add(`pattern ${p.id}`, get(pattern, `/api/patterns/${p.id}`, { id: p.id }));
      // The user ids a viewer gets (opaque), to open as that viewer would from the page.
      for (const m of detail.text.matchAll(/"(~[A-Za-z0-9_-]{20,})"/g)) userLinks.add(`${p.realm}/${m[1]}`);
      if (p.clientId) {
        await add(
          `client ${p.realm}/${p.clientId}`,
          get(client, `/api/clients/${p.realm}/${p.clientId}?${RANGE}`, {
            realm: p.realm,
            clientId: p.clientId,
          }),
        );
      }
    }
    expect(userLinks.size).toBeGreaterThan(0);
    for (const link of userLinks) {
      const [realm = "", id = ""] = link.split("/");
      const page = await add(
        `user ${link}`,
        get(user, `/api/users/${realm}/${id}?${RANGE}`, { realm, userId: id }),
      );
      expect(page.status, link).toBe(200);
    }
    const found = answers.flatMap(([label, a]) => leaks(a.text).map((v) => `${label}: ${v}`));
    expect(found).toEqual([]);
    for (const [label, a] of answers) expect(a.status, label).toBe(200);
  }, 300_000);

  it("refuses filters that would say who is behind a masked value", async () => {
    const events = (await import("@/app/api/events/route")).GET;
    const user = (await import("@/app/api/users/[realm]/[userId]/route")).GET;
    const someone = personal.find((v) => /^[a-z]+\.[a-z]+$/.test(v)) ?? "marco.rossi";
    expect((await get(events, `/api/events?user=${someone}&${RANGE}`)).status).toBe(403);
    expect((await get(events, `/api/events?ip=203.0.113.7&${RANGE}`)).status).toBe(403);
    const [row] = await sql<{ user_id: string; realm: string }[]>`
      select user_id, realm from user_events where user_id is not null limit 1`;
    const raw = await get(user, `/api/users/${row!.realm}/${row!.user_id}?${RANGE}`, {
      realm: row!.realm,
      userId: row!.user_id,
    });
    expect(raw.status).toBe(403);
  });
});
