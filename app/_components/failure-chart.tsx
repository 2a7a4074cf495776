"use client";

import dynamic from "next/dynamic";
import type { FailureChartData } from "@/app/_components/format/failure-chart-data";

/** recharts draws in the browser only, and loads after the page: the first paint does not wait for it. */
const Chart = dynamic(() => import("./failure-chart-impl"), {
  ssr: false,
  loading: () => (
    <div className="chart">
      <p className="empty" role="status">
        Loading chart…
      </p>
    </div>
  ),
});

export function FailureChart({ data, title }: { data: FailureChartData; title: string }) {
  const shaded = [...new Set(data.spikes.map((s) => s.label))];
  return (
    <figure className="failure-chart" aria-label={title} data-testid="denial-chart">
      <Chart data={data} />
      <figcaption className="hint">
        Click a bar to see its failures in the explorer, a coloured segment for that cause only.
        {shaded.length === 0
          ? ""
          : data.shading === "spike"
            ? ` Shaded: spikes of ${shaded.join(", ")} (click “spike” to open it).`
            : " Shaded: the pattern's time (click “pattern” for its failures)."}
        {data.around ? (
          <>
            {" "}
            The whole chart lies in a spike ({data.around.label}): <a href={data.around.href}>open it</a>.
          </>
        ) : null}
        {data.marks.some((m) => m.kind === "admin")
          ? " Triangles mark admin changes: hover to name them, click to see them."
          : ""}
        {data.marks.some((m) => m.kind === "version")
          ? " Diamonds mark Keycloak version changes: hover to name the versions."
          : ""}
      </figcaption>
    </figure>
  );
}
