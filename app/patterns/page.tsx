import type { Metadata } from "next";
import { Suspense } from "react";
import { DetectPatterns } from "@/app/_components/detect-patterns";
import { ErrorBanner } from "@/app/_components/error-banner";
import { PatternList } from "@/app/_components/pattern-list";
import { TimeZoneSync } from "@/app/_components/time-zone-sync";
import { listPatterns } from "@/lib/analytics/queries/list-patterns";
import { getSql } from "@/lib/db/sql";
import { hrefWith } from "@/lib/explorer/href-with";
import { parsePatternListFilter } from "@/lib/explorer/patterns/pattern-list-filter";
import { toSearchParams } from "@/lib/http/search-params";
import { settle } from "@/lib/http/settle";

export const metadata: Metadata = { title: "Patterns" };

const STATUS_TABS = [
  { id: "active", label: "Open and ongoing", statuses: ["open", "ongoing"] },
  { id: "resolved", label: "Resolved", statuses: ["resolved"] },
  { id: "all", label: "All", statuses: [] },
] as const;

export default async function PatternsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = toSearchParams(await searchParams);
  const tab = STATUS_TABS.find((t) => t.id === params.get("view")) ?? STATUS_TABS[0];
  const query = new URLSearchParams(params);
  query.delete("view");
  for (const s of tab.statuses) query.append("status", s);
  const result = await settle(
    (async () => {
      const f = parsePatternListFilter(query);
      const patterns = await listPatterns(getSql(), {
        sourceId: f.sourceId ?? undefined,
        realm: f.realm ?? undefined,
        statuses: f.statuses,
        limit: 200,
      });
      return { f, patterns };
    })(),
  );
  return (
    <>
      <Suspense>
        <TimeZoneSync />
      </Suspense>
      <div className="page-head">
        <div>
          <h1>Patterns</h1>
          <p className="muted">
            Incidents: a cause spiking in a realm, a client or for one user, with the admin change that likely
            caused it and the fix.
          </p>
        </div>
        <DetectPatterns />
      </div>
      <nav className="tabs" aria-label="Pattern status">
        {STATUS_TABS.map((t) => (
          <a
            key={t.id}
            href={hrefWith("/patterns", params, { view: t.id })}
            aria-current={t.id === tab.id ? "page" : undefined}
          >
            {t.label}
          </a>
        ))}
      </nav>
      <section className="card" aria-label="Patterns">
        {result.ok ? (
          <PatternList
            patterns={result.value.patterns}
            timeZone={result.value.f.timeZone}
            empty="No pattern here. Patterns are detected from hourly failures against the same hour of earlier weeks."
          />
        ) : (
          <ErrorBanner error={result.error} />
        )}
      </section>
    </>
  );
}
