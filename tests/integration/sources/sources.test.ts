import type postgres from "postgres";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { writeUserEvents } from "@/lib/ingest/write/write-events";
import { RECOMMENDED_EVENT_TYPES } from "@/lib/keycloak/events-config";
import { AppError } from "@/lib/server/errors";
import { enableEventTypes } from "@/lib/sources/enable-event-types";
import { listSourceStatus } from "@/lib/sources/list-source-status";
import { createSource, removeSource, updateSource } from "@/lib/sources/save-source";
import { createSourceSchema, updateSourceSchema } from "@/lib/sources/source-input";
import { testSource } from "@/lib/sources/test-source";
import { type DemoKeycloak, startDemoKeycloak } from "@/packages/demo-keycloak/src";
import { userEventRow } from "@/testkit/event-rows";
import { testSql, truncateAll } from "../helpers/db";

// A fixed key: sealing must not write a key file into the working tree.
process.env.REALMWATCH_SECRET_KEY ??= "integration-tests-only-0123456789abcdef";

const sql: postgres.Sql = testSql();
const SECRET = "s3cr3t-that-must-never-leave-the-server";
let full: DemoKeycloak;
let readOnly: DemoKeycloak;

beforeAll(async () => {
  [full, readOnly] = await Promise.all([
    startDemoKeycloak({ port: 0, traffic: false, realms: ["acme", "internal"] }),
    startDemoKeycloak({
      port: 0,
      traffic: false,
      realms: ["internal"],
      serviceAccount: { clientId: "watcher", secret: "watcher-secret", roles: ["view-events", "view-realm"] },
    }),
  ]);
}, 60_000);
afterAll(async () => {
  await Promise.all([full?.close(), readOnly?.close()]);
  await sql.end();
});
beforeEach(async () => {
  await truncateAll(sql);
});

const input = (over: Record<string, unknown> = {}) =>
  createSourceSchema.parse({
    name: "prod",
    serverUrl: `${full.url}/`,
    clientId: "realmwatch",
    clientSecret: "realmwatch-demo-secret",
    ...over,
  });

describe("sources", () => {
  it("store the secret sealed and only ever show whether one is set", async () => {
    const id = await createSource(sql, input({ clientSecret: SECRET, realms: "acme, internal" }));
    const [stored] = await sql<{ secret_ciphertext: string; server_url: string }[]>`
      select secret_ciphertext, server_url from sources where id = ${id}`;
    expect(stored!.secret_ciphertext).not.toContain(SECRET);
    expect(stored!.server_url).toBe(full.url);
    const [shown] = await listSourceStatus(sql, id);
    expect(shown).toMatchObject({
      name: "prod",
      secretSet: true,
      realms: ["acme", "internal"],
      status: "new",
    });
    expect(JSON.stringify(shown)).not.toContain(SECRET);
    expect(JSON.stringify(shown)).not.toContain(stored!.secret_ciphertext);
  });

  it("refuse a second source of the same name, and a URL that is not http(s)", async () => {
    await createSource(sql, input());
    await expect(createSource(sql, input())).rejects.toMatchObject({ code: "conflict" });
    expect(() => input({ serverUrl: "javascript:alert(1)" })).toThrow(/http\(s\) URL/);
  });

  it("keep the stored secret when an edit leaves it empty, and reset the status when the connection changes", async () => {
    const id = await createSource(sql, input());
    await sql`update sources set status = 'ok' where id = ${id}`;
    const [before] = await sql<
      { secret_ciphertext: string }[]
    >`select secret_ciphertext from sources where id = ${id}`;
    await updateSource(sql, id, updateSourceSchema.parse({ name: "prod-eu", clientSecret: "" }));
    const [renamed] = await sql<{ name: string; secret_ciphertext: string; status: string }[]>`
      select name, secret_ciphertext, status from sources where id = ${id}`;
    expect(renamed).toEqual({ name: "prod-eu", secret_ciphertext: before!.secret_ciphertext, status: "ok" });
    await updateSource(
      sql,
      id,
      updateSourceSchema.parse({ serverUrl: "https://sso.example.com", clientSecret: "typed-again" }),
    );
    const [moved] = await sql<{ status: string }[]>`select status from sources where id = ${id}`;
    expect(moved!.status).toBe("new");
  });

  it("never send the stored secret to a changed URL or sign-in realm: the secret must be entered again", async () => {
    const id = await createSource(sql, input());
    const [before] = await sql<{ server_url: string; secret_ciphertext: string }[]>`
      select server_url, secret_ciphertext from sources where id = ${id}`;
    for (const change of [{ serverUrl: "https://attacker.example" }, { authRealm: "other" }]) {
      await expect(updateSource(sql, id, updateSourceSchema.parse(change))).rejects.toMatchObject({
        code: "bad_request",
        message: expect.stringMatching(/client secret again/),
      });
    }
    const [after] = await sql<{ server_url: string; secret_ciphertext: string }[]>`
      select server_url, secret_ciphertext from sources where id = ${id}`;
    expect(after).toEqual(before);
    // The same URL (as the edit form sends it back, with a trailing slash) is not a change.
    await updateSource(
      sql,
      id,
      updateSourceSchema.parse({ serverUrl: `${before!.server_url}/`, name: "prod-2" }),
    );
  });

  it("test: authenticate, read every realm's events configuration, and keep it as the realm's snapshot", async () => {
    const id = await createSource(sql, input());
    const result = await testSource(sql, id);
    expect(result).toMatchObject({ ok: true, authenticated: true });
    expect(result.realms.map((r) => r.realm).sort()).toEqual(["acme", "internal"]);
    const [status] = await listSourceStatus(sql, id);
    expect(status!.realmHealth.map((r) => r.realm).sort()).toEqual(["acme", "internal"]);
    expect(status!.realmHealth.every((r) => r.health !== null)).toBe(true);
  });

  it("test: a wrong secret is reported in Keycloak's words, not thrown", async () => {
    const id = await createSource(sql, input({ clientSecret: "wrong" }));
    const result = await testSource(sql, id);
    expect(result).toMatchObject({ ok: false, authenticated: false, realms: [] });
    expect(result.message).toMatch(/rejected the service account "realmwatch"/);
  });

  it("enable the recommended event types with manage-events, and name the missing role without it", async () => {
    const id = await createSource(sql, input());
    // The demo's "internal" realm saves only the default types, as a new Keycloak realm does.
    expect(
      (await testSource(sql, id)).realms.find((r) => r.realm === "internal")?.health?.missingTypes,
    ).toEqual([...RECOMMENDED_EVENT_TYPES]);
    expect(await enableEventTypes(sql, id, "internal")).toEqual([...RECOMMENDED_EVENT_TYPES]);
    const [status] = await listSourceStatus(sql, id);
    const internal = status!.realmHealth.find((r) => r.realm === "internal")!;
    for (const t of RECOMMENDED_EVENT_TYPES) expect(internal.enabledEventTypes).toContain(t);
    expect(internal.health?.missingTypes).toEqual([]);
    expect(await enableEventTypes(sql, id, "internal")).toEqual([]);

    const limited = await createSource(
      sql,
      input({
        name: "limited",
        serverUrl: readOnly.url,
        clientId: "watcher",
        clientSecret: "watcher-secret",
      }),
    );
    const error = await enableEventTypes(sql, limited, "internal").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("keycloak_forbidden");
    expect((error as AppError).message).toMatch(/manage-events/);
  });

  it("remove a source keeping its events, or with them", async () => {
    const keep = await createSource(sql, input({ name: "keep" }));
    const drop = await createSource(sql, input({ name: "drop" }));
    for (const sourceId of [keep, drop]) {
      await writeUserEvents(
        sql,
        [userEventRow({ sourceId, realm: "acme", id: `e-${sourceId}`, time: Date.now() })],
        {},
      );
    }
    await removeSource(sql, keep, false);
    await removeSource(sql, drop, true);
    const left = await sql<{ source_id: string }[]>`select distinct source_id from user_events`;
    expect(left.map((r) => r.source_id)).toEqual([keep]);
    expect(await sql`select 1 from rollup_hour where source_id = ${drop}`).toHaveLength(0);
    expect(await sql`select 1 from sources`).toHaveLength(0);
    await expect(removeSource(sql, keep, false)).rejects.toMatchObject({ code: "not_found" });
  });
});
