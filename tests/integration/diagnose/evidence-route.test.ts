import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { SESSION_COOKIE, sealSession } from "@/lib/auth/session";
import { EVIDENCE_CORPUS } from "@/testkit/evidence-corpus";
import { accessToken, jwt } from "@/testkit/test-jwt";

// Route modules are server-only; vitest has no react-server condition to satisfy the marker package.
vi.mock("server-only", () => ({}));
process.env.REALMWATCH_SECRET_KEY ??= "evidence-route-test-key-0123456789abcdef";

const OIDC = {
  HOST: "0.0.0.0",
  REALMWATCH_OIDC_ISSUER: "https://sso.example.com/realms/master",
  REALMWATCH_OIDC_CLIENT_ID: "realmwatch-web",
};
beforeAll(() => {
  Object.assign(process.env, OIDC);
});
afterAll(() => {
  for (const name of Object.keys(OIDC)) delete process.env[name];
});

const { POST } = await import("@/app/api/diagnose/evidence/route");

// A session far in the future: the route checks it against the clock, and no verdict depends on it.
const EXP = 4_102_444_800;
function post(body: unknown, role: "viewer" | "analyst" = "analyst"): Promise<Response> {
  const cookie = `${SESSION_COOKIE}=${encodeURIComponent(sealSession({ role, name: "pat", exp: EXP }))}`;
  return POST(
    new Request("http://localhost/api/diagnose/evidence", {
      method: "POST",
      headers: { cookie, "content-type": "application/json" },
      body: typeof body === "string" ? body : JSON.stringify(body),
    }),
  );
}

interface Answer {
  answer: { cause: string; fixHref: string; evidence: string; fill: { userId: string | null } } | null;
  pieces: { form: string; understood: string; verdict: { evidence: string } | null }[];
  skipped: { from: number; to: number; reason: string }[];
  masked: boolean;
}

const DISABLED_RESET = `2025-06-03 09:14:07,321 WARN  [org.keycloak.events] (executor-thread-3) type="RESET_PASSWORD_ERROR", realmId="4c3d9a0e-1b7f-4a52-8e61-2f0b9c7d5a13", realmName="acme", clientId="account-console", userId="5f0c6a7e-2b1d-4c44-9d1e-0d6f3c1a9b21", ipAddress="203.0.113.24", error="user_disabled", auth_method="openid-connect", username="jdoe.smith"`;

describe("POST /api/diagnose/evidence", () => {
  it("answers the mixed block of the corpus with one cause and a filled fix link", async () => {
    const mixed = EVIDENCE_CORPUS.find((c) => c.name.startsWith("a mixed block"));
    const res = await post({ text: mixed?.text });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Answer;
    expect(body.answer?.cause).toBe("missing-scope");
    expect(body.answer?.fixHref).toBe(
      "/fixes/missing-scope?realm=acme&client=spa&user=8d1b2c3d-2222-4000-8000-000000000002",
    );
    expect(body.pieces.map((p) => p.form)).toEqual(["wrapped-line", "curl", "token"]);
    expect(body.skipped).toEqual([]);
  });

  it("takes tokens decoded in the browser as claims, with a placeholder in the text", async () => {
    const res = await post({
      text: '> POST /realms/acme/protocol/openid-connect/token HTTP/1.1\n> Host: auth.example.com\n< HTTP/1.1 400 Bad Request\n<\n{"error":"invalid_request","error_description":"Invalid token"}\nsubject_token=[token 1]',
      tokens: [{ n: 1, claims: { iss: "https://auth.example.com/realms/partners", azp: "partner-app" } }],
    });
    const body = (await res.json()) as Answer;
    expect(body.answer?.cause).toBe("client-config");
    expect(body.answer?.evidence).toContain("https://auth.example.com/realms/partners");
  });

  it("shows an analyst the user's values and masks them for a viewer, everywhere", async () => {
    const analyst = (await (await post({ text: DISABLED_RESET })).json()) as Answer;
    expect(analyst.masked).toBe(false);
    expect(analyst.answer?.fill.userId).toBe("5f0c6a7e-2b1d-4c44-9d1e-0d6f3c1a9b21");
    expect(analyst.answer?.fixHref).toContain("user=5f0c6a7e");

    const viewerRes = await post({ text: DISABLED_RESET }, "viewer");
    expect(viewerRes.status).toBe(200);
    const viewer = (await viewerRes.json()) as Answer;
    expect(viewer.answer?.cause).toBe("user-state");
    expect(viewer.masked).toBe(true);
    const shown = JSON.stringify(viewer);
    for (const personal of ["5f0c6a7e-2b1d-4c44-9d1e-0d6f3c1a9b21", "203.0.113.24", "jdoe.smith"]) {
      expect(shown).not.toContain(personal);
    }
    expect(viewer.answer?.fixHref).toBe("/fixes/user-state?realm=acme&client=account-console");
  });

  it("masks a user id in an admin URL for a viewer", async () => {
    const text = EVIDENCE_CORPUS.find((c) => c.name.startsWith("execute-actions-email"))?.text;
    const viewer = await (await post({ text }, "viewer")).text();
    expect(viewer).toContain("user-state");
    expect(viewer).not.toContain("5f0c6a7e-2b1d-4c44-9d1e-0d6f3c1a9b21");
  });

  it("never answers with a token sent in the text", async () => {
    const token = jwt(accessToken({ scope: "profile" }));
    const res = await post({ text: `Authorization: Bearer ${token}` });
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(text).not.toContain(token);
    expect(text).not.toContain(token.split(".")[1] as string);
  });

  it("refuses 10 MB with 413 and a clear message, within two seconds", async () => {
    const started = performance.now();
    const res = await post({ text: "x".repeat(10_000_000) });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { message: string }).message).toMatch(/limit is 1,000,000/);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it("answers a malformed body with a fixed message that echoes nothing", async () => {
    const token = jwt(accessToken());
    const res = await post(`{"text": "${token}", "extra": `);
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(text).not.toContain(token);
    expect(text).toContain('{\\"text\\": \\"<the evidence>\\"}');
  });

  it("lists what it could not read, by line", async () => {
    const res = await post({ text: "hello\n\u0000\u0001binary\nnothing here" });
    const body = (await res.json()) as Answer;
    expect(body.answer).toBeNull();
    expect(body.skipped).toEqual([
      { from: 1, to: 1, reason: "not-understood" },
      { from: 2, to: 2, reason: "binary" },
      { from: 3, to: 3, reason: "not-understood" },
    ]);
  });
});
