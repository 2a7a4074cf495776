import type { Metadata } from "next";
import { EvidenceDiagnoser } from "./evidence-diagnoser";

export const metadata: Metadata = { title: "Diagnose" };

/** GET /diagnose: paste whatever you have about a failure and get its cause, evidence and fix. */
export default function DiagnosePage() {
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Diagnose</h1>
          <p className="muted">
            Paste what you have about a failure, in any mix: Keycloak log lines (with or without their prefix,
            wrapped, cut), event JSON, a curl -v transcript, an HTTP response or its WWW-Authenticate header,
            an error body, an exception, a token. Each piece is read and classified; the answer names the
            cause, its evidence and the fix.
          </p>
        </div>
      </div>
      <EvidenceDiagnoser />
    </>
  );
}
