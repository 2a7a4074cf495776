"use client";

import dynamic from "next/dynamic";
import type { FailureChartData } from "@/app/_components/format/failure-chart-data";

/** recharts draws in the browser only, and loads after the page: the first paint does not wait for it. */
const Chart = dynamic(() => import("./failure-chart-impl"), {
  ssr: false,
  loading: () => (
    <p className="empty" role="status">
      Loading chart…
    </p>
  ),
});

export function FailureChart({ data, title }: { data: FailureChartData; title: string }) {
  return (
    <figure style={{ margin: 0 }} aria-label={title} data-testid="denial-chart">
      <div className="chart">
        <Chart data={data} />
      </div>
      {data.spikes.length > 0 ? (
        <figcaption className="hint">
          Shaded: {[...new Set(data.spikes.map((s) => s.label))].join(", ")} (spikes, listed below).
        </figcaption>
      ) : null}
    </figure>
  );
}
