import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";
import FixPage from "@/app/fixes/[cause]/page";

// Unit tests touch no database: the page's Keycloak-URL lookup must degrade to a placeholder.
// Outside a request there is no session: the page is rendered as an admin sees it.
vi.mock("@/lib/auth/get-viewer", () => ({
  getPageViewer: async () => ({ role: "admin", name: "test", anonymous: true }),
}));
vi.mock("@/lib/db/sql", () => ({
  getSql: () => {
    throw new Error("no database in unit tests");
  },
}));

import { REQUIRED_SECTIONS } from "@/lib/fixes/types";

async function render(cause: string, query: Record<string, string>) {
  const page = await FixPage({ params: Promise.resolve({ cause }), searchParams: Promise.resolve(query) });
  return renderToStaticMarkup(page);
}

describe("/fixes/[cause] page", () => {
  it("renders every section with the context's names, as text", async () => {
    const html = await render("missing-role", { realm: "acme", client: "reporting-job", role: "view-users" });
    for (const id of REQUIRED_SECTIONS) expect(html).toContain(`data-testid="fix-section-${id}"`);
    expect(html).toContain("Clients › reporting-job › Service accounts roles");
    expect(html).toContain('data-testid="run-live-checks"');
  });

  it("escapes hostile names from the query string instead of rendering markup", async () => {
    const html = await render("cors", {
      realm: "acme",
      client: '<img src=x onerror="alert(1)">',
      origin: "https://evil.example/<script>alert(2)</script>",
    });
    expect(html).not.toMatch(/<img src=x/);
    expect(html).not.toContain("<script>alert(2)");
    expect(html).toContain("&lt;img src=x");
  });

  it("never links to a non-http Keycloak URL", async () => {
    const html = await render("cors", {
      realm: "acme",
      clientUuid: "c1",
      keycloakUrl: "javascript:alert(1)",
    });
    expect(html).not.toContain("javascript:");
  });

  it("names the placeholders left when the context is empty, and disables live checks without a realm", async () => {
    const html = await render("wrong-audience", {});
    expect(html).toContain('data-testid="fix-placeholders"');
    expect(html).toContain("&lt;realm&gt;");
    expect(html).toMatch(/data-testid="run-live-checks" disabled/);
  });

  it("answers 404 for an unknown cause", async () => {
    await expect(render("toString", {})).rejects.toMatchObject({ digest: expect.stringContaining("404") });
  });
});
