import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { prepareEvidence } from "@/app/diagnose/evidence-diagnoser";
import DiagnosePage from "@/app/diagnose/page";
import ImportPage from "@/app/import/page";
import { diagnosePastedEvidence } from "@/lib/diagnose/evidence/diagnose-pasted-evidence";
import { CORPUS_NOW, EVIDENCE_CORPUS } from "@/testkit/evidence-corpus";

const mixed = EVIDENCE_CORPUS.find((c) => c.name.startsWith("a mixed block"));
if (mixed === undefined) throw new Error("the corpus has no mixed block");
const TOKENS = mixed.text.match(/eyJ[\w-]+\.eyJ[\w-]+\.[\w-]*/g) ?? [];

describe("/diagnose", () => {
  it("renders the paste box and the Diagnose button", () => {
    const html = renderToStaticMarkup(DiagnosePage());
    expect(html).toContain('data-testid="evidence-input"');
    expect(html).toContain('data-testid="evidence-submit"');
    expect(html).toContain("<h1>Diagnose</h1>");
  });

  it("the Import page has the same paste box under its own test ids", () => {
    const html = renderToStaticMarkup(ImportPage());
    expect(html).toContain('data-testid="import-paste-input"');
    expect(html).toContain('href="/diagnose"');
  });
});

describe("what the page sends for a pasted token", () => {
  const body = prepareEvidence(mixed.text);

  it("is the text with a placeholder and the claims decoded in the browser, never the token", () => {
    expect(TOKENS).toHaveLength(1);
    const sent = JSON.stringify(body);
    for (const token of TOKENS) {
      expect(sent).not.toContain(token);
      expect(sent).not.toContain(token.split(".")[1] as string);
      expect(sent).not.toContain(token.split(".")[2] as string);
    }
    expect(body.text).toContain("[token 1]");
    expect(body.tokens).toEqual([
      { n: 1, claims: expect.objectContaining({ scope: "profile email" }), problem: null },
    ]);
  });

  it("gets the same answer as the whole text would", () => {
    const sent = diagnosePastedEvidence(body, "analyst", CORPUS_NOW);
    const whole = diagnosePastedEvidence({ text: mixed.text }, "analyst", CORPUS_NOW);
    expect(sent.answer?.cause).toBe("missing-scope");
    expect(sent.answer).toEqual(whole.answer);
  });

  it("says why a token it cannot read was not decoded", () => {
    const prepared = prepareEvidence("Bearer eyJhbGciOiJSUzI1NiJ9.eyJub3QganNvbg.c2ln");
    expect(prepared.tokens[0]?.claims).toBeNull();
    expect(prepared.tokens[0]?.problem).toBeTruthy();
  });
});
