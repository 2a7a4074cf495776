import type { Metadata } from "next";
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
    </>
  );
}
