"use client";

import Link from "next/link";
import { type FormEvent, useId, useState } from "react";
import { DataTable, num } from "@/app/_components/data-table";
import { CAUSES, type CauseId, fixPath, isCauseId } from "@/lib/classify/causes";

/** The import report as POST /api/import answers it (lib/ingest/import/import-log.ts, ImportReport). */
interface ImportAnswer {
  source: { id: string; name: string };
  report: {
    format: string;
    lines: number;
    events: number;
    stored: number;
    alreadyStored: number;
    notEvents: number;
    skipped: number;
    skippedSamples: { lineNo: number; reason: string }[];
    assumption: string;
    causes: Record<string, number>;
    origins: Record<string, number>;
  };
}

const EXPLORER_ORIGINS = ["log", "access-log", "api"] as const;
const ORIGIN_LABEL: Record<(typeof EXPLORER_ORIGINS)[number], string> = {
  log: "event-log lines",
  "access-log": "access-log denials",
  api: "event JSON",
};

/**
 * Uploads one log file. The File itself is the request body, so the browser streams it from disk and the
 * server reads it as a stream: a log of any size imports without being held in memory on either side.
 */
export function ImportForm() {
  const uid = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [answer, setAnswer] = useState<ImportAnswer | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const file = data.get("file");
    if (!(file instanceof File) || file.size === 0) {
      setError("Choose a log file first.");
      return;
    }
    const params = new URLSearchParams();
    for (const name of ["source", "realm", "tz", "date"]) {
      const value = String(data.get(name) ?? "").trim();
      if (value) params.set(name, value);
    }
    setBusy(true);
    setError(null);
    setAnswer(null);
    try {
      const res = await fetch(`/api/import?${params}`, {
        method: "POST",
        headers: { "content-type": file.type || "application/octet-stream" },
        body: file,
      });
      const json = (await res.json().catch(() => null)) as (ImportAnswer & { message?: string }) | null;
      if (!res.ok || !json) setError(json?.message ?? `The server answered ${res.status}.`);
      else setAnswer(json);
    } catch {
      setError("The server could not be reached.");
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <form className="filters" onSubmit={submit} data-testid="import-form" aria-busy={busy}>
        <div className="field">
          <label htmlFor={`${uid}-file`}>Log file</label>
          <input id={`${uid}-file`} name="file" type="file" required data-testid="import-file" />
        </div>
        <div className="field">
          <label htmlFor={`${uid}-source`}>Source</label>
          <input id={`${uid}-source`} name="source" aria-describedby={`${uid}-source-hint`} />
          <span className="hint" id={`${uid}-source-hint`}>
            Name of the Keycloak source the log is from; empty: the only source, else “logs”.
          </span>
        </div>
        <div className="field">
          <label htmlFor={`${uid}-realm`}>Realm</label>
          <input id={`${uid}-realm`} name="realm" aria-describedby={`${uid}-realm-hint`} />
          <span className="hint" id={`${uid}-realm-hint`}>
            For lines that name none (your API’s access log).
          </span>
        </div>
        <div className="field">
          <label htmlFor={`${uid}-tz`}>Time zone of the log</label>
          <input id={`${uid}-tz`} name="tz" defaultValue="UTC" aria-describedby={`${uid}-tz-hint`} />
          <span className="hint" id={`${uid}-tz-hint`}>
            Timestamps without a zone are read in this IANA zone, e.g. Europe/Berlin.
          </span>
        </div>
        <div className="field">
          <label htmlFor={`${uid}-date`}>Date of the log</label>
          <input id={`${uid}-date`} name="date" type="date" aria-describedby={`${uid}-date-hint`} />
          <span className="hint" id={`${uid}-date-hint`}>
            For time-only timestamps (WildFly-era logs); lines with no time at all get the import time.
          </span>
        </div>
        <div className="actions">
          <button type="submit" className="primary" disabled={busy} data-testid="import-submit">
            {busy ? "Importing…" : "Import"}
          </button>
        </div>
      </form>
      {error ? (
        <p className="banner error" role="alert" data-testid="import-error">
          {error}
        </p>
      ) : null}
      {answer ? <ImportResult answer={answer} /> : null}
    </>
  );
}

function ImportResult({ answer }: { answer: ImportAnswer }) {
  const { report, source } = answer;
  const causes = Object.entries(report.causes)
    .filter((entry): entry is [CauseId, number] => isCauseId(entry[0]))
    .sort((a, b) => b[1] - a[1]);
  const origins = EXPLORER_ORIGINS.filter((o) => (report.origins[o] ?? 0) > 0);
  return (
    <section aria-labelledby="import-result-title" data-testid="import-result" aria-live="polite">
      <h2 id="import-result-title">Imported into {source.name}</h2>
      <div className="stats">
        <Stat label="lines read" value={report.lines} />
        <Stat label="events" value={report.events} />
        <Stat label="stored" value={report.stored} testId="import-stored" />
        <Stat label="already stored" value={report.alreadyStored} />
        <Stat label="other lines" value={report.notEvents} />
        <Stat label="skipped" value={report.skipped} testId="import-skipped" />
      </div>
      <p className="muted">
        Read as {report.format}. Assumed: {report.assumption}.
      </p>

      <h3>Causes found</h3>
      {causes.length === 0 ? (
        <p className="empty">No failures in this log.</p>
      ) : (
        <ul data-testid="import-causes">
          {causes.map(([cause, n]) => (
            <li key={cause}>
              <Link href={fixPath(cause)}>{CAUSES[cause].title}</Link>: {n.toLocaleString("en")}
            </li>
          ))}
        </ul>
      )}
      {origins.length > 0 ? (
        <p className="actions">
          {origins.map((o) => (
            <Link key={o} className="button" href={`/events?origin=${o}`} data-testid={`import-explore-${o}`}>
              See the {ORIGIN_LABEL[o]} in the events explorer
            </Link>
          ))}
        </p>
      ) : null}

      {report.skipped > 0 ? (
        <>
          <h3>Skipped lines</h3>
          <p className="muted">
            {report.skipped.toLocaleString("en")} lines could not be read
            {report.skippedSamples.length < report.skipped
              ? `; the first ${report.skippedSamples.length} are listed`
              : ""}
            .
          </p>
          <DataTable columns={[num("Line"), "Reason"]} testId="import-skipped-lines">
            {report.skippedSamples.map((s) => (
              <tr key={`${s.lineNo}-${s.reason}`}>
                <td className="num">{s.lineNo === 0 ? "—" : s.lineNo}</td>
                <td>{s.reason}</td>
              </tr>
            ))}
          </DataTable>
        </>
      ) : null}
    </section>
  );
}

function Stat({ label, value, testId }: { label: string; value: number; testId?: string }) {
  return (
    <div>
      <div className="stat" data-testid={testId}>
        {value.toLocaleString("en")}
      </div>
      <div className="stat-label">{label}</div>
    </div>
  );
}
