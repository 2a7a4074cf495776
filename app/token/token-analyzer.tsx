"use client";

import { type FormEvent, useState } from "react";
import { DataTable } from "@/app/_components/data-table";
import { analyzeToken, type TokenAnalysis, type TokenRequirements } from "@/lib/diagnose/token-analyzer";

const list = (value: FormDataEntryValue | null) =>
  String(value ?? "")
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);

const text = (value: FormDataEntryValue | null) => {
  const s = String(value ?? "").trim();
  return s === "" ? undefined : s;
};

function requirements(form: FormData): TokenRequirements {
  const required: TokenRequirements = {};
  const audience = text(form.get("audience"));
  if (audience) required.audience = audience;
  const realmRoles = list(form.get("realmRoles"));
  if (realmRoles.length > 0) required.realmRoles = realmRoles;
  const roleClient = text(form.get("roleClient"));
  const clientRoles = list(form.get("clientRoles"));
  if (roleClient && clientRoles.length > 0)
    required.clientRoles = [{ clientId: roleClient, roles: clientRoles }];
  const scopes = list(form.get("scopes"));
  if (scopes.length > 0) required.scopes = scopes;
  if (form.get("endpoint") === "userinfo") required.endpoint = "userinfo";
  return required;
}

const STATUS_CLASS = { pass: "status-ok", fail: "status-error", info: "muted" } as const;

function Field({
  id,
  label,
  testId,
  placeholder,
}: {
  id: string;
  label: string;
  testId: string;
  placeholder?: string;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} name={id} data-testid={testId} placeholder={placeholder} />
    </div>
  );
}

/** The analyser form. analyzeToken is pure, so it runs right here: the token never leaves the page. */
export function TokenAnalyzer() {
  const [analysis, setAnalysis] = useState<TokenAnalysis | null>(null);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const at = text(form.get("at"));
    const atMs = at ? Date.parse(at) : Number.NaN;
    setAnalysis(
      analyzeToken({
        token: String(form.get("token") ?? ""),
        required: requirements(form),
        knownIssuers: list(form.get("issuers")),
        now: Number.isFinite(atMs) ? atMs : Date.now(),
      }),
    );
  }

  return (
    <>
      <form className="card filters" onSubmit={onSubmit} data-testid="token-form" autoComplete="off">
        <div className="field" style={{ gridColumn: "1 / -1" }}>
          <label htmlFor="token-input">Access token (JWT, payload or payload JSON)</label>
          <textarea
            id="token-input"
            name="token"
            rows={6}
            required
            spellCheck={false}
            data-testid="token-input"
          />
        </div>
        <Field id="audience" label="API client id (aud)" testId="required-audience" />
        <Field id="realmRoles" label="Realm roles required" testId="required-realm-roles" />
        <Field id="clientRoles" label="Client roles required" testId="required-client-roles" />
        <Field id="roleClient" label="… of client" testId="required-role-client" />
        <Field id="scopes" label="Scopes required" testId="required-scopes" />
        <div className="field">
          <label htmlFor="endpoint">Presented to</label>
          <select id="endpoint" name="endpoint" data-testid="required-endpoint" defaultValue="api">
            <option value="api">an API</option>
            <option value="userinfo">Keycloak's userinfo endpoint</option>
          </select>
        </div>
        <Field
          id="issuers"
          label="Expected issuer(s)"
          testId="known-issuers"
          placeholder="https://auth.example.com/realms/acme"
        />
        <div className="field">
          <label htmlFor="at">Time of the failure</label>
          <input id="at" name="at" type="datetime-local" step={1} data-testid="failure-time" />
          <span className="hint">Empty: now. Judges expiry as of that moment.</span>
        </div>
        <div className="actions">
          <button type="submit" className="primary" data-testid="analyze-token">
            Analyse
          </button>
        </div>
      </form>
      {analysis ? <Result analysis={analysis} /> : null}
    </>
  );
}

function Result({ analysis }: { analysis: TokenAnalysis }) {
  const { verdict, claims } = analysis;
  return (
    <section className="card" data-testid="token-result" aria-live="polite">
      <h2>Verdict</h2>
      <p data-testid="token-verdict" data-cause={verdict.cause}>
        <strong>{verdict.cause}</strong>: {verdict.summary} <a href={verdict.fixPath}>How to fix it</a>
      </p>
      <DataTable columns={["Check", "Result", "Evidence"]} testId="token-findings" wrap>
        {analysis.findings.map((f) => (
          <tr key={`${f.id}|${f.title}`} data-testid={`finding-${f.id}`} data-status={f.status}>
            <td>{f.title}</td>
            <td className={STATUS_CLASS[f.status]}>{f.status}</td>
            <td>{f.evidence}</td>
          </tr>
        ))}
      </DataTable>
      {claims ? (
        <details>
          <summary>Decoded claims</summary>
          <pre data-testid="token-claims">{JSON.stringify(claims, null, 2)}</pre>
        </details>
      ) : null}
    </section>
  );
}
