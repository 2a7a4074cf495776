import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveUserIds } from "@/lib/queries/names/resolve-user-ids";
import { loadUserEventsPage } from "@/lib/screens/events/load-events-page";
import { SOURCE_ID } from "@/testkit/seed-events";
import { testSql, truncateAll } from "../../helpers/db";

const sql = testSql();
const NOW = Date.parse("2026-10-02T12:00:00Z");

beforeAll(async () => {
  await truncateAll(sql);
  await sql`insert into sources (id, name, updated_at) values (${SOURCE_ID}, 'names', now())`;
  const rows: [string, string, string, string | null][] = [
    ["acme", "u-marco", "marco.rossi", "marco@example.com"],
    ["acme", "u-marcella", "marcella", null],
    ["acme", "u-anna", "anna.rossini", "anna@rossi-family.example"],
    ["acme", "u-percent", "100%_sure", null],
    ["retail", "u-other-marco", "marco", null],
  ];
  // Enough other users that the planner has a reason to use an index for a prefix.
  for (let i = 0; i < 3000; i++) rows.push(["acme", `u-filler-${i}`, `filler${i}`, `filler${i}@example.org`]);
  await sql`
    insert into user_names ${sql(
      rows.map(([realm, userId, username, email]) => ({
        source_id: SOURCE_ID,
        realm,
        user_id: userId,
        username,
        email,
        first_seen: new Date(NOW),
        last_seen: new Date(NOW),
      })),
    )}`;
  await sql`analyze user_names`;
});
afterAll(async () => {
  await sql.end();
});

const ids = async (terms: string[], realm?: string) =>
  (await resolveUserIds(sql, terms, { realm })).filter((id) => !terms.includes(id)).sort();

describe("user search like people search", () => {
  it("finds usernames and e-mails by prefix, in any case", async () => {
    expect(await ids(["marc"], "acme")).toEqual(["u-marcella", "u-marco"]);
    expect(await ids(["MARCO@EX"], "acme")).toEqual(["u-marco"]);
  });

  it("finds them by a part from 3 characters, and several terms at once", async () => {
    expect(await ids(["rossi"], "acme")).toEqual(["u-anna", "u-marco"]);
    expect(await ids(["ros"], "acme")).toEqual(["u-anna", "u-marco"]);
    expect(await ids(["ro"], "acme")).toEqual([]);
    expect(await ids(["cella", "anna"], "acme")).toEqual(["u-anna", "u-marcella"]);
  });

  it("keeps exact ids and the realm, and treats like wildcards as text", async () => {
    expect(await resolveUserIds(sql, ["u-marco"], { realm: "acme" })).toEqual(["u-marco"]);
    // A whole username means that user only, not every name it starts.
    expect(await ids(["marco"])).toEqual(["u-other-marco"]);
    expect(await ids(["marco"], "acme")).toEqual(["u-marco"]);
    expect(await ids(["100%"], "acme")).toEqual(["u-percent"]);
    expect(await ids(["%"], "acme")).toEqual([]);
    expect(await ids(["_"], "acme")).toEqual([]);
  });

  it("reads a prefix through the text_pattern_ops index, not by scanning the names", async () => {
    const plan = await sql.unsafe(
      "explain select distinct user_id from user_names where username like 'marc%' or email like 'marc%'",
    );
    const text = plan.map((r) => Object.values(r)[0]).join("\n");
    expect(text).toContain("user_names_username_prefix_idx");
    expect(text).toContain("user_names_email_prefix_idx");
  });

  it("does not let a viewer search people by name: a username is refused, not matched", async () => {
    const asViewer = loadUserEventsPage(sql, "viewer", { user: "marc", range: "24h" }, NOW);
    await expect(asViewer).rejects.toMatchObject({ code: "forbidden" });
  });
});
