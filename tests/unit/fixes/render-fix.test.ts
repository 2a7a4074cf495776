import { describe, expect, it } from "vitest";
import { CAUSE_IDS, type CauseId } from "@/lib/classify/causes";
import { parseFixContext } from "@/lib/fixes/fix-context";
import { renderFix } from "@/lib/fixes/render-fix";
import { type FixContext, type FixSection, REQUIRED_SECTIONS, type RenderedFix } from "@/lib/fixes/types";
import { interpretedText, readShellWord } from "./shell-words";

const FULL: FixContext = {
  keycloakUrl: "https://kc.example.com",
  publicUrl: "https://auth.example.com",
  realm: "acme",
  clientId: "spa",
  clientUuid: "3f2a9c1e-1111-4000-8000-000000000001",
  userId: "8d1b2c3d-2222-4000-8000-000000000002",
  username: "alice",
  role: "reader",
  roleClientId: "orders-api",
  audience: "orders-api",
  scope: "openid orders:read",
  origin: "https://app.example.com",
  redirectUri: "https://app.example.com/callback",
  issuer: "https://old.example.com/realms/acme",
};

/** What the kcadm.sh and curl commands of each page must carry once the context names things. */
const IN_COMMANDS: Record<CauseId, string[]> = {
  "missing-scope": ["REALM=acme", `CLIENT_UUID=${FULL.clientUuid}`, "SCOPE=orders:read"],
  "missing-role": ["ROLE=reader", "ROLE_CLIENT_ID=orders-api", `USER_ID=${FULL.userId}`],
  "wrong-audience": ["AUDIENCE=orders-api", `CLIENT_UUID=${FULL.clientUuid}`],
  "proxy-misconfig": [
    "REALM=acme",
    "https://kc.example.com",
    "attributes.frontendUrl=https://auth.example.com",
  ],
  cors: ["ORIGIN=https://app.example.com", `CLIENT_UUID=${FULL.clientUuid}`],
  "redirect-uri": ["REDIRECT_URI=https://app.example.com/callback", `CLIENT_UUID=${FULL.clientUuid}`],
  "token-expired": ["REALM=acme", "KC=https://kc.example.com"],
  "session-invalid": [`USER_ID=${FULL.userId}`],
  "client-auth": [`CLIENT_UUID=${FULL.clientUuid}`],
  "client-config": [`CLIENT_UUID=${FULL.clientUuid}`],
  "user-credentials": [`USER_ID=${FULL.userId}`],
  "user-state": [`USER_ID=${FULL.userId}`],
  "authz-policy": [`CLIENT_UUID=${FULL.clientUuid}`],
  unknown: ["REALM=acme"],
};

function section(fix: RenderedFix, id: FixSection["id"]): FixSection {
  const found = fix.sections.find((s) => s.id === id);
  if (!found) throw new Error(`${fix.cause} has no ${id} section`);
  return found;
}

function code(fix: RenderedFix, ids?: FixSection["id"][]): string[] {
  return fix.sections
    .filter((s) => !ids || ids.includes(s.id))
    .flatMap((s) => s.blocks.flatMap((b) => (b.kind === "code" ? [b.code.text] : [])));
}

describe("renderFix", () => {
  it.each(CAUSE_IDS)("%s has every section, in page order, none empty", (cause) => {
    const fix = renderFix(cause);
    expect(fix.sections.slice(0, REQUIRED_SECTIONS.length).map((s) => s.id)).toEqual([...REQUIRED_SECTIONS]);
    for (const s of fix.sections) expect(s.blocks.length, `${cause}/${s.id}`).toBeGreaterThan(0);
    expect(section(fix, "symptoms").blocks[0]?.kind).toBe("signals");
    expect(code(fix, ["kcadm"]).join("\n")).toContain("kcadm.sh ");
    expect(code(fix, ["curl"]).join("\n")).toMatch(/curl -s/);
    expect(fix.title.length).toBeGreaterThan(0);
  });

  it("sets Keycloak's hostname only from the public URL, never from the URL realmwatch syncs from", () => {
    const hostnameLines = (fix: ReturnType<typeof renderFix>) =>
      code(fix, ["console", "kcadm", "curl"])
        .join("\n")
        .split("\n")
        .filter((l) => /--hostname=|frontendUrl=|frontendUrl = /.test(l) && !l.trimStart().startsWith("#"));
    const withPublic = hostnameLines(renderFix("proxy-misconfig", FULL));
    expect(withPublic.length).toBeGreaterThan(0);
    for (const line of withPublic) {
      expect(line).not.toContain("kc.example.com");
    }
    expect(withPublic.join("\n")).toContain("https://auth.example.com");
    const unknown = renderFix("proxy-misconfig", { ...FULL, publicUrl: undefined });
    for (const line of hostnameLines(unknown)) {
      expect(line).not.toContain("kc.example.com");
    }
    expect(unknown.placeholders).toContain("<public-url>");
  });

  it("unlocks a user by clearing the brute-force lock only: enabling and required actions are separate steps", () => {
    const fix = renderFix("user-state", FULL);
    for (const script of code(fix, ["kcadm", "curl"])) {
      const live = script.split("\n").filter((l) => l.trim() !== "" && !l.trimStart().startsWith("#"));
      const writes = live.filter((l) => /kcadm\.sh (update|delete|create)|-X (PUT|POST|DELETE)/.test(l));
      expect(writes).toHaveLength(1);
      expect(writes[0]).toMatch(/attack-detection\/brute-force\/users\/\$USER_ID/);
      expect(live.join("\n")).not.toMatch(/enabled=true|\.enabled = true|requiredActions=/);
      // The state is read before the write.
      const firstWrite = script.split("\n").indexOf(writes[0]!);
      expect(script.split("\n").slice(0, firstWrite).join("\n")).toMatch(
        /get "?attack-detection|curl -s -H "\$AUTH" "\$KC\/admin\/realms\/\$REALM\/attack-detection/,
      );
    }
  });

  it.each(CAUSE_IDS)("%s fills the context's names into its commands and leaves no placeholder", (cause) => {
    const fix = renderFix(cause, FULL);
    const commands = code(fix, ["kcadm", "curl"]).join("\n");
    for (const expected of IN_COMMANDS[cause]) expect(commands).toContain(expected);
    expect(fix.placeholders).toEqual([]);
  });

  it("shows visible, quoted placeholders when the context names nothing", () => {
    const fix = renderFix("wrong-audience");
    expect(fix.placeholders).toEqual(expect.arrayContaining(["<realm>", "<client-id>", "<api-client-id>"]));
    const commands = code(fix, ["kcadm"]).join("\n");
    expect(commands).toContain("REALM='<realm>'");
    expect(commands).toContain("AUDIENCE='<api-client-id>'");
  });

  it("explains a client role as resource_access and a realm role as realm_access", () => {
    const client = renderFix("missing-role", {
      realm: "acme",
      username: "alice",
      role: "reader",
      roleClientId: "orders-api",
    });
    const realm = renderFix("missing-role", { realm: "acme", username: "alice", role: "reader" });
    expect(JSON.stringify(client.sections)).toContain("resource_access.orders-api.roles");
    expect(code(client, ["kcadm"]).join("\n")).toContain('--cclientid "$ROLE_CLIENT_ID" --rolename "$ROLE"');
    expect(JSON.stringify(realm.sections)).toContain("realm_access.roles");
    expect(code(realm, ["kcadm"]).join("\n")).not.toContain("--cclientid");
  });

  it("treats an admin REST role as a realm-management client role and fixes the service account", () => {
    const fix = renderFix("missing-role", { realm: "acme", clientId: "reporting-job", role: "view-users" });
    const kcadm = code(fix, ["kcadm"]).join("\n");
    expect(kcadm).toContain("ROLE_CLIENT_ID=realm-management");
    expect(kcadm).toContain('--uid "$SA_USER_ID" --cclientid "$ROLE_CLIENT_ID" --rolename "$ROLE"');
    expect(JSON.stringify(section(fix, "confirm"))).toContain("view-events");
  });

  it("adds an audience mapper for the named API on the requesting client's dedicated scope", () => {
    const fix = renderFix("wrong-audience", FULL);
    const steps = section(fix, "console").blocks.flatMap((b) => (b.kind === "steps" ? b.steps : []));
    expect(
      steps.some(
        (s) =>
          s.path?.join(" > ") ===
          "Clients > spa > Client scopes > spa-dedicated > Add mapper > By configuration > Audience",
      ),
    ).toBe(true);
    expect(code(fix, ["kcadm"]).join("\n")).toContain("protocolMapper=oidc-audience-mapper");
    expect(code(fix, ["curl"]).join("\n")).toContain('"included.client.audience": $a');
  });

  it("links into the admin console only with a known http(s) Keycloak URL", () => {
    const links = (fix: RenderedFix) =>
      fix.sections.flatMap((s) =>
        s.blocks.flatMap((b) =>
          b.kind === "steps" ? b.steps.flatMap((st) => (st.link ? [st.link.href] : [])) : [],
        ),
      );
    const withUrl = links(renderFix("cors", FULL));
    expect(withUrl).toContain(
      `https://kc.example.com/admin/master/console/#/acme/clients/${FULL.clientUuid}/settings`,
    );
    expect(links(renderFix("cors", { ...FULL, keycloakUrl: undefined }))).toEqual([]);
    // The console of the detected version: 19+ has these routes, the older console other ones (no deep link).
    expect(links(renderFix("cors", { ...FULL, keycloakVersion: "26.6.3" }))).toContain(
      `https://kc.example.com/admin/master/console/#/acme/clients/${FULL.clientUuid}/settings`,
    );
    expect(links(renderFix("cors", { ...FULL, keycloakVersion: "18.0.2" }))).toEqual([]);
    const withoutUuid = renderFix("cors", { ...FULL, clientUuid: undefined });
    expect(links(withoutUuid)).toContain("https://kc.example.com/admin/master/console/#/acme/clients");
    expect(links(renderFix("cors", { ...FULL, keycloakUrl: "javascript:alert(1)" }))).toEqual([]);
  });

  const HOSTILE: FixContext = {
    keycloakUrl: "https://kc.example.com",
    realm: "x'; touch pwned-realm #",
    clientId: "$(touch pwned-client)",
    username: "`touch pwned-user`",
    role: 'r"; touch pwned-role; "',
    roleClientId: "api' && touch pwned-roleclient '",
    audience: "a'b$(touch pwned-audience)",
    scope: "s; touch pwned-scope",
    origin: "https://evil.example'$(touch pwned-origin)",
    redirectUri: "https://app.example.com/cb?x=';touch pwned-redirect;'",
    issuer: "https://kc.example.com/realms/x",
  };

  const ASSIGNMENT =
    /^(KC|REALM|CLIENT_ID|CLIENT_UUID|USERNAME|USER_ID|ROLE|ROLE_CLIENT_ID|AUDIENCE|SCOPE|ORIGIN|REDIRECT_URI)=(.*)$/;

  it.each(CAUSE_IDS)("%s keeps hostile names inside single quotes in every command", (cause) => {
    const fix = renderFix(cause, HOSTILE);
    for (const script of code(fix)) {
      expect(interpretedText(script)).not.toContain("touch pwned");
      for (const line of script.split("\n")) {
        const assignment = ASSIGNMENT.exec(line);
        if (!assignment || assignment[2]?.startsWith("$(")) continue;
        expect(() => readShellWord(assignment[2] ?? "")).not.toThrow();
      }
    }
  });

  it("assigns a hostile realm so that the shell reads back exactly that name", () => {
    const script = code(renderFix("missing-scope", HOSTILE), ["kcadm"]).join("\n");
    const line = script.split("\n").find((l) => l.startsWith("REALM="));
    expect(readShellWord(line?.slice("REALM=".length) ?? "")).toBe(HOSTILE.realm);
  });

  it("percent-encodes names that curl puts into URL paths", () => {
    const script = code(renderFix("missing-role", { ...FULL, realm: "my realm/x", role: "read all" }), [
      "curl",
    ]).join("\n");
    expect(script).toContain("REALM=my%20realm%2Fx");
    expect(script).toContain("ROLE=read%20all");
  });

  it("is plain data a page can serialise", () => {
    const fix = renderFix("proxy-misconfig", FULL);
    expect(structuredClone(fix)).toEqual(fix);
    expect(JSON.stringify(fix)).not.toMatch(/<(script|img|a )/i);
  });
});

describe("parseFixContext", () => {
  it("reads the pattern's query string, aliases included", () => {
    const ctx = parseFixContext({
      realm: "acme",
      client: "spa",
      user: "8d1b2c3d-2222-4000-8000-000000000002",
      role: ["reader", "ignored"],
      keycloakUrl: "https://kc.example.com/",
    });
    expect(ctx).toEqual({
      realm: "acme",
      clientId: "spa",
      userId: "8d1b2c3d-2222-4000-8000-000000000002",
      role: "reader",
      keycloakUrl: "https://kc.example.com",
    });
    expect(parseFixContext({ user: "alice" })).toEqual({ username: "alice" });
  });

  it("drops values that would be unsafe or absurd instead of failing the page", () => {
    const ctx = parseFixContext({
      keycloakUrl: "javascript:alert(1)",
      realm: "x".repeat(300),
      clientId: "   ",
      audience: "orders-api",
    });
    expect(ctx).toEqual({ audience: "orders-api" });
    expect(parseFixContext({ keycloakUrl: "https://user:pw@kc.example.com" })).toEqual({});
  });
});

describe("console links to the role a missing-role page is about", () => {
  const links = (ctx: FixContext) =>
    JSON.stringify(renderFix("missing-role", ctx))
      .match(/"href":"[^"]+"/g)
      ?.map((h) => h.slice(8, -1)) ?? [];
  const base = {
    keycloakUrl: "https://sso.example.com",
    keycloakVersion: "26.6.3",
    realm: "acme",
    role: "orders-admin",
  };

  it("opens the client role's own page (RealmRoleTabs) with the role id and the client's UUID", () => {
    const ctx = { ...base, roleClientId: "acme-orders-api", roleClientUuid: "c-uuid", roleId: "r-uuid" };
    expect(links(ctx)).toContain(
      "https://sso.example.com/admin/master/console/#/acme/clients/c-uuid/roles/r-uuid/details",
    );
  });

  it("opens a realm role's page, and the list of roles when its id is unknown", () => {
    expect(links({ ...base, roleId: "r-uuid" })).toContain(
      "https://sso.example.com/admin/master/console/#/acme/roles/r-uuid/details",
    );
    expect(links(base)).toContain("https://sso.example.com/admin/master/console/#/acme/roles");
  });
});
