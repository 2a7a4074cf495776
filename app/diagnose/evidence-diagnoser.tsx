"use client";

import { type FormEvent, useState } from "react";
import { DataTable } from "@/app/_components/data-table";
import { fetchJson } from "@/app/_components/fetch-json";
import { CAUSES, type CauseId } from "@/lib/classify/causes";
import { decodeJwtClaims, type TokenClaims } from "@/lib/keycloak/jwt";
import { removeTokens } from "@/lib/logs/evidence/find-tokens";
import { MAX_EVIDENCE_CHARS } from "@/lib/logs/evidence/read-evidence";

interface Verdict {
  cause: CauseId;
  confidence: number;
  evidence: string;
}

interface Diagnosis {
  answer:
    | (Verdict & {
        ruleId: string;
        fixHref: string;
        pieces: number[];
        alternatives: Verdict[];
        decider: string | null;
      })
    | null;
  pieces: {
    form: string;
    lines: { from: number; to: number };
    understood: string;
    verdict: Verdict | null;
    decider: string | null;
  }[];
  piecesDropped: number;
  skipped: { from: number; to: number; reason: string }[];
  notes: string[];
  lineCount: number;
  masked: boolean;
}

interface DecodedToken {
  n: number;
  claims: TokenClaims | null;
  problem: string | null;
}

const SKIP_REASONS: Record<string, string> = {
  "not-understood": "not understood",
  binary: "binary or NUL bytes",
  "too-long": "too long",
  "stack-frame": "stack frames",
  "not-an-event-json": "JSON that is neither an event, a log record nor an error body",
};

/**
 * Tokens are found and decoded here, in the browser; the request carries their claims and a `[token n]`
 * placeholder in the text, never the token itself.
 */
export function prepareEvidence(text: string): { text: string; tokens: DecodedToken[] } {
  const removed = removeTokens(text);
  const tokens = removed.tokens.map((t) => {
    try {
      return { n: t.n, claims: decodeJwtClaims(t.token), problem: null };
    } catch (error) {
      return { n: t.n, claims: null, problem: error instanceof Error ? error.message : "unreadable" };
    }
  });
  return { text: removed.text, tokens };
}

function lines(span: { from: number; to: number }): string {
  return span.from === span.to ? `${span.from}` : `${span.from}–${span.to}`;
}

const percent = (n: number) => `${Math.round(n * 100)}%`;

/** The paste box and its answer: the Diagnose page, and the Import page's quick paste. */
export function EvidenceDiagnoser({ rows = 14, testId = "evidence" }: { rows?: number; testId?: string }) {
  const [diagnosis, setDiagnosis] = useState<Diagnosis | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const raw = String(new FormData(event.currentTarget).get("evidence") ?? "");
    setDiagnosis(null);
    if (raw.trim() === "") {
      setError("Paste something first: log lines, a curl -v transcript, a response, an error, a token.");
      return;
    }
    if (raw.length > MAX_EVIDENCE_CHARS) {
      setError(
        `The pasted text is ${raw.length.toLocaleString("en-US")} characters; the limit is ${MAX_EVIDENCE_CHARS.toLocaleString("en-US")}. Paste the lines around the failure, or import the whole log on the Import page.`,
      );
      return;
    }
    setError(null);
    setBusy(true);
    const result = await fetchJson<Diagnosis>("/api/diagnose/evidence", "POST", prepareEvidence(raw));
    setBusy(false);
    if (result.ok) setDiagnosis(result.data);
    else setError(result.message);
  }

  return (
    <>
      <form className="card" onSubmit={onSubmit} data-testid={`${testId}-form`} autoComplete="off">
        <div className="field">
          <label htmlFor={`${testId}-input`}>Evidence</label>
          <textarea
            id={`${testId}-input`}
            name="evidence"
            rows={rows}
            spellCheck={false}
            data-testid={`${testId}-input`}
            placeholder={
              'type="LOGIN_ERROR", … error="cookie_not_found"\n< HTTP/1.1 403 Forbidden\n< WWW-Authenticate: Bearer error="insufficient_scope", …\n{"error":"invalid_grant","error_description":"Code not valid"}\neyJhbGciOi…'
            }
          />
          <span className="hint">
            Keycloak log lines in any form (wrapped, cut, JSON), event JSON, access-log lines, curl -v output,
            responses and their headers, error bodies, exceptions, tokens. Tokens are decoded in this browser
            tab and only their claims are sent; nothing is stored.
          </span>
        </div>
        <div className="actions">
          <button type="submit" className="primary" disabled={busy} data-testid={`${testId}-submit`}>
            {busy ? "Diagnosing…" : "Diagnose"}
          </button>
        </div>
      </form>
      {error ? (
        <p className="banner" role="alert" data-testid={`${testId}-error`}>
          {error}
        </p>
      ) : null}
      {diagnosis ? <Answer diagnosis={diagnosis} testId={testId} /> : null}
    </>
  );
}

function Answer({ diagnosis, testId }: { diagnosis: Diagnosis; testId: string }) {
  const { answer } = diagnosis;
  return (
    <section className="card" aria-live="polite" data-testid={`${testId}-result`}>
      <h2>Diagnosis</h2>
      {answer ? (
        <div data-testid={`${testId}-answer`} data-cause={answer.cause}>
          <p>
            <strong data-testid={`${testId}-cause`}>{CAUSES[answer.cause]?.title ?? answer.cause}</strong> (
            {percent(answer.confidence)} sure, from{" "}
            {answer.pieces.length === 1 ? "one piece" : `${answer.pieces.length} pieces`}
            ): <span data-testid={`${testId}-evidence`}>{answer.evidence}</span>
          </p>
          <p>
            <a href={answer.fixHref} data-testid={`${testId}-fix`}>
              How to fix it
            </a>
          </p>
          {answer.decider ? (
            <p className="banner" data-testid={`${testId}-decider`}>
              To decide: {answer.decider}
            </p>
          ) : null}
          {answer.alternatives.length > 0 ? (
            <>
              <h3>Still possible</h3>
              <ul data-testid={`${testId}-alternatives`}>
                {answer.alternatives.map((a) => (
                  <li key={a.cause}>
                    <strong>{CAUSES[a.cause]?.title ?? a.cause}</strong> ({percent(a.confidence)}):{" "}
                    {a.evidence}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </div>
      ) : (
        <p data-testid={`${testId}-no-answer`}>
          No cause found in what was pasted.
          {diagnosis.pieces.find((p) => p.decider)?.decider
            ? ` To decide: ${diagnosis.pieces.find((p) => p.decider)?.decider}`
            : " The pieces below say what was read; paste the Keycloak log line or the HTTP answer of the failure."}
        </p>
      )}
      <h3>What was read</h3>
      {diagnosis.pieces.length === 0 ? (
        <p className="muted">Nothing in the text was recognised.</p>
      ) : (
        <DataTable columns={["Lines", "Read as", "Cause"]} testId={`${testId}-pieces`} wrap>
          {diagnosis.pieces.map((p, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: one answer's fixed list; two pieces may be identical.
            <tr key={i} data-form={p.form}>
              <td>{lines(p.lines)}</td>
              <td>{p.understood}</td>
              <td>{p.verdict ? (CAUSES[p.verdict.cause]?.title ?? p.verdict.cause) : "—"}</td>
            </tr>
          ))}
        </DataTable>
      )}
      {diagnosis.piecesDropped > 0 ? (
        <p className="muted">{diagnosis.piecesDropped} more pieces were read but not listed.</p>
      ) : null}
      {diagnosis.skipped.length > 0 ? (
        <p className="muted" data-testid={`${testId}-skipped`}>
          Skipped:{" "}
          {diagnosis.skipped
            .map(
              (s) => `line${s.from === s.to ? "" : "s"} ${lines(s)} (${SKIP_REASONS[s.reason] ?? s.reason})`,
            )
            .join("; ")}
          .
        </p>
      ) : null}
      {diagnosis.notes.map((note) => (
        <p className="muted" key={note}>
          {note}
        </p>
      ))}
      {diagnosis.masked ? (
        <p className="muted">User ids, names and addresses are masked for your role.</p>
      ) : null}
    </section>
  );
}
