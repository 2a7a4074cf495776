import type { HealthFinding } from "@/lib/queries/overview/ingestion-health";

/** What may be missing from the charts: unsaved events or types, failing syncs, lag, gaps. */
export function HealthBanner({ findings }: { findings: HealthFinding[] }) {
  if (findings.length === 0) {
    return (
      <p className="muted" data-testid="health-ok">
        Ingestion healthy: every realm saves its events and the 403-relevant types, and syncs are current.
      </p>
    );
  }
  const errors = findings.filter((f) => f.severity === "error");
  return (
    <section
      className={errors.length > 0 ? "banner error" : "banner"}
      aria-labelledby="health-title"
      data-testid="health-banner"
    >
      <strong id="health-title">
        Ingestion: {findings.length} issue{findings.length === 1 ? "" : "s"} may hide failures from these
        charts.
      </strong>
      <ul>
        {findings.map((f) => (
          <li key={`${f.kind}/${f.sourceName}/${f.realm}/${f.message}`} data-kind={f.kind}>
            {f.message} <a href="/sources">Sources</a>
          </li>
        ))}
      </ul>
    </section>
  );
}
