import type { Metadata } from "next";
import { EvidenceDiagnoser } from "@/app/diagnose/evidence-diagnoser";
import { ImportForm } from "./import-form";

export const metadata: Metadata = { title: "Import a log" };

export default function ImportPage() {
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Import a log</h1>
          <p className="muted">
            Bring in what Keycloak never records as events, or what a realm did not save: jboss-logging event
            lines (any Keycloak version), event JSON, and HTTP access logs (Keycloak, nginx combined or JSON,
            Traefik JSON) with their 401 and 403 answers. Plain or gzip; lines already stored are not stored
            again.
          </p>
        </div>
      </div>
      <section className="card" aria-labelledby="import-title">
        <h2 id="import-title">Log file</h2>
        <ImportForm />
      </section>
      <section aria-labelledby="paste-title">
        <h2 id="paste-title">Or paste a few lines</h2>
        <p className="muted">
          A handful of lines, a curl -v transcript, a response or a token: diagnosed at once, not stored (the
          same as the <a href="/diagnose">Diagnose</a> page).
        </p>
        <EvidenceDiagnoser rows={8} testId="import-paste" />
      </section>
    </>
  );
}
