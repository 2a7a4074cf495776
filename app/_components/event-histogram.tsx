"use client";

import dynamic from "next/dynamic";
import type { HistogramData } from "@/app/_components/format/histogram-data";

/** recharts loads after the page, as for the failure chart. */
const Histogram = dynamic(() => import("./event-histogram-impl"), {
  ssr: false,
  loading: () => <div className="histogram" />,
});

export function EventHistogram({ data }: { data: HistogramData }) {
  return (
    <figure
      className="failure-chart"
      aria-label={`Matching events per ${data.bucket}`}
      data-testid="event-histogram"
    >
      <Histogram data={data} />
      <figcaption className="hint">
        Events per {data.bucket} ({data.timeZone}). Drag across bars to zoom to their time, or click one bar.
      </figcaption>
    </figure>
  );
}
