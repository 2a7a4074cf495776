"use client";

import { useState } from "react";
import type { CauseId } from "@/lib/classify/causes";
import type {
  CheckResult,
  ClaimsSummary,
  LiveCheckContext,
  TokenComparison,
} from "@/lib/diagnose/checks/check-types";

interface Props {
  cause: CauseId;
  /** The pattern the page was opened from: the server builds the checks from its stored evidence. */
  patternId: string | null;
  /** The stored failure the page was opened from: the server builds the checks from what it carried. */
  event: { eventId: string; sourceId: string } | null;
  /** Null when the page does not know the realm: checks need one. */
  context: LiveCheckContext | null;
  checks: { id: string; title: string }[];
}

type State =
  | { kind: "idle" }
  | { kind: "running" }
  | { kind: "done"; source: string; results: CheckResult[] }
  | { kind: "error"; message: string };

const STATUS_CLASS: Record<CheckResult["status"], string> = {
  pass: "status-ok",
  fail: "status-error",
  unknown: "status-warn",
};

/** The "Run live checks" button of a fix page: read-only checks of the realm, before and after a fix. */
export function LiveChecks({ cause, patternId, event, context, checks }: Props) {
  const [state, setState] = useState<State>({ kind: "idle" });

  async function run() {
    if (!context && !patternId && !event) return;
    setState({ kind: "running" });
    try {
      const res = await fetch("/api/diagnose", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(patternId ? { patternId } : (event ?? { cause, context })),
      });
      const data = (await res.json()) as { source?: string; results?: CheckResult[]; message?: string };
      if (!res.ok || !data.results)
        setState({ kind: "error", message: data.message ?? `The checks failed (${res.status}).` });
      else setState({ kind: "done", source: data.source ?? "", results: data.results });
    } catch {
      setState({ kind: "error", message: "realmwatch could not be reached." });
    }
  }

  return (
    <section className="card" data-testid="live-checks" aria-labelledby="live-checks-title">
      <h2 id="live-checks-title">Live checks</h2>
      <p className="muted">
        Reads the realm's configuration through the Admin REST API ({checks.map((c) => c.title).join(", ")});
        nothing is changed. Run them again after the fix to see each turn to pass.
      </p>
      <button
        type="button"
        data-testid="run-live-checks"
        onClick={run}
        disabled={(!context && !patternId && !event) || state.kind === "running"}
      >
        {state.kind === "running"
          ? "Checking…"
          : state.kind === "done"
            ? "Run live checks again"
            : "Run live checks"}
      </button>
      {!context && !patternId && !event ? (
        <p className="muted">
          Live checks need the realm: open this page from a pattern, or add ?realm= to its URL.
        </p>
      ) : null}
      {state.kind === "error" ? (
        <div className="banner error" role="alert" data-testid="live-checks-error">
          {state.message}
        </div>
      ) : null}
      {state.kind === "done" ? (
        <ul data-testid="live-check-results">
          {state.results.map((r) => (
            <li key={r.id} data-testid={`check-${r.id}`}>
              <strong>{r.title}</strong>:{" "}
              <span className={STATUS_CLASS[r.status]} data-testid="check-status">
                {r.status}
              </span>
              <p>{r.evidence}</p>
              {r.needsRole ? (
                <p className="muted">
                  Give realmwatch's service account the realm-management role <code>{r.needsRole}</code> to
                  run this check.
                </p>
              ) : null}
              {r.cause && r.cause !== cause ? (
                <p>
                  This points at another cause: <a href={`/fixes/${r.cause}`}>{r.cause}</a>.
                </p>
              ) : null}
              {r.comparison ? <Comparison comparison={r.comparison} /> : null}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function claimRows(c: ClaimsSummary | undefined) {
  if (!c) return { aud: "", scope: "", realm: "", client: "" };
  return {
    aud: c.aud.join(" "),
    scope: c.scope.join(" "),
    realm: c.realmRoles.join(" "),
    client: Object.entries(c.clientRoles)
      .map(([client, roles]) => `${client}: ${roles.join(" ")}`)
      .join("; "),
  };
}

function Comparison({ comparison }: { comparison: TokenComparison }) {
  const before = claimRows(comparison.before);
  const now = claimRows(comparison.now);
  const needed = comparison.needed;
  const rows: [string, string, string, string][] = [
    ["aud", needed.audience ?? "", before.aud, now.aud],
    [
      "scope",
      [...(needed.endpoint === "userinfo" ? ["openid"] : []), ...(needed.scopes ?? [])].join(" "),
      before.scope,
      now.scope,
    ],
    ["realm_access.roles", (needed.realmRoles ?? []).join(" "), before.realm, now.realm],
    [
      "resource_access",
      (needed.clientRoles ?? []).map((r) => `${r.clientId}: ${r.roles.join(" ")}`).join("; "),
      before.client,
      now.client,
    ],
  ];
  return (
    <table className="data-table" data-testid="token-comparison">
      <thead>
        <tr>
          <th scope="col">Claim</th>
          <th scope="col">Needed</th>
          {comparison.before ? <th scope="col">Failing token</th> : null}
          <th scope="col">Token issued now</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([claim, need, was, is]) => (
          <tr key={claim}>
            <th scope="row">
              <code>{claim}</code>
            </th>
            <td>{need}</td>
            {comparison.before ? <td>{was}</td> : null}
            <td>{is}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
