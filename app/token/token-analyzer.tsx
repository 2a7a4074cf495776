"use client";

import { type FormEvent, useState } from "react";
import { DataTable } from "@/app/_components/data-table";
import { analyzeToken, type TokenAnalysis, type TokenRequirements } from "@/lib/diagnose/token-analyzer";
import type { TokenPrefill } from "@/lib/diagnose/token-prefill";
import { parseInstant } from "@/lib/time/time-range";

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
  value,
}: {
  id: string;
  label: string;
  testId: string;
  placeholder?: string;
  value?: string;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} name={id} data-testid={testId} placeholder={placeholder} defaultValue={value} />
    </div>
  );
}

/**
 * The fix page of the verdict, keeping what the analyzer was opened with: the realm, client and API, and the
 * pattern or event, from whose stored evidence the fix page reads the role and the rest itself.
 */
function fixHref(fixPath: string, initial: TokenPrefill | null | undefined, form: FormData | null): string {
  const p = new URLSearchParams();
  const put = (key: string, value: string | undefined) => {
    if (value) p.set(key, value);
  };
  put("realm", initial?.realm);
  put("client", initial?.clientId);
  put("audience", text(form?.get("audience") ?? null) ?? initial?.audience);
  put("pattern", initial?.pattern);
  put("event", initial?.event);
  put("source", initial?.source);
  const q = p.toString();
  return q ? `${fixPath}?${q}` : fixPath;
}

/** A time typed in the datetime field, on the page's clock (not the browser's), or NaN. */
function instantOn(text: string, timeZone: string): number {
  try {
    return parseInstant(text, timeZone, "start", "time of the failure");
  } catch {
    return Number.NaN;
  }
}

/** The analyser form. analyzeToken is pure, so it runs right here: the token never leaves the page. */
export function TokenAnalyzer({
  initial,
  timeZone,
}: {
  initial?: TokenPrefill | null;
  /** The page's zone: times in the findings are written in it, as on every page. */
  timeZone: string;
}) {
  const [form, setForm] = useState<FormData | null>(null);
  const [analysis, setAnalysis] = useState<TokenAnalysis | null>(null);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setForm(form);
    const at = text(form.get("at"));
    const atMs = at ? instantOn(at, timeZone) : Number.NaN;
    setAnalysis(
      analyzeToken({
        token: String(form.get("token") ?? ""),
        required: requirements(form),
        knownIssuers: list(form.get("issuers")),
        now: Number.isFinite(atMs) ? atMs : Date.now(),
        timeZone,
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
        <Field
          id="audience"
          label="API client id (aud)"
          testId="required-audience"
          value={initial?.audience}
        />
        <Field
          id="realmRoles"
          label="Realm roles required"
          testId="required-realm-roles"
          value={initial?.realmRoles}
        />
        <Field
          id="clientRoles"
          label="Client roles required"
          testId="required-client-roles"
          value={initial?.clientRoles}
        />
        <Field
          id="roleClient"
          label="… of client"
          testId="required-role-client"
          value={initial?.roleClient}
        />
        <Field id="scopes" label="Scopes required" testId="required-scopes" value={initial?.scopes} />
        <div className="field">
          <label htmlFor="endpoint">Presented to</label>
          <select
            id="endpoint"
            name="endpoint"
            data-testid="required-endpoint"
            defaultValue={initial?.endpoint ?? "api"}
          >
            <option value="api">an API</option>
            <option value="userinfo">Keycloak's userinfo endpoint</option>
          </select>
        </div>
        <Field
          id="issuers"
          label="Expected issuer(s)"
          testId="known-issuers"
          placeholder="https://auth.example.com/realms/acme"
          value={initial?.issuers}
        />
        <div className="field">
          <label htmlFor="at">Time of the failure</label>
          <input id="at" name="at" type="datetime-local" step={1} data-testid="failure-time" />
          <span className="hint">
            Empty: now. On the clock of {timeZone}; judges expiry as of that moment.
          </span>
        </div>
        <div className="actions">
          <button type="submit" className="primary" data-testid="analyze-token">
            Analyse
          </button>
        </div>
      </form>
      {analysis ? (
        <Result analysis={analysis} fix={fixHref(analysis.verdict.fixPath, initial, form)} />
      ) : null}
    </>
  );
}

function Result({ analysis, fix }: { analysis: TokenAnalysis; fix: string }) {
  const { verdict, claims } = analysis;
  return (
    <section className="card" data-testid="token-result" aria-live="polite">
      <h2>Verdict</h2>
      <p data-testid="token-verdict" data-cause={verdict.cause}>
        <strong>{verdict.cause}</strong>: {verdict.summary}{" "}
        <a href={fix} data-testid="token-fix-link">
          How to fix it
        </a>
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
