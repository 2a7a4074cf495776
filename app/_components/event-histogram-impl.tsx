"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import {
  Bar,
  BarChart,
  CartesianGrid,
  ReferenceArea,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import type { HistogramData } from "@/app/_components/format/histogram-data";

const integer = new Intl.NumberFormat("en-US");

/** The explorer's events per bucket; a drag over bars (or a click on one) sets the URL's range to them. */
export default function EventHistogramImpl({ data }: { data: HistogramData }) {
  const router = useRouter();
  const [drag, setDrag] = useState<{ from: number; to: number } | null>(null);
  const index = (state: { activeTooltipIndex?: number | string | null } | null) => {
    const i = state?.activeTooltipIndex;
    return i === undefined || i === null ? null : Number(i);
  };
  const zoom = (a: number, b: number) => {
    const first = data.buckets[Math.min(a, b)];
    const last = data.buckets[Math.max(a, b)];
    if (!first || !last) return;
    const sep = data.base.includes("?") ? "&" : "?";
    router.push(`${data.base}${sep}${new URLSearchParams({ from: first.from, to: last.to })}`);
  };
  return (
    <div className="histogram" data-testid="histogram-plot">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart
          data={data.buckets}
          margin={{ top: 4, right: 8, bottom: 0, left: 8 }}
          onMouseDown={(state) => {
            const i = index(state);
            if (i !== null) setDrag({ from: i, to: i });
          }}
          onMouseMove={(state) => {
            const i = index(state);
            if (drag && i !== null && i !== drag.to) setDrag({ ...drag, to: i });
          }}
          onMouseUp={() => {
            if (drag) zoom(drag.from, drag.to);
            setDrag(null);
          }}
          onMouseLeave={() => setDrag(null)}
          style={{ cursor: "crosshair", userSelect: "none" }}
        >
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="label" tick={{ fontSize: 11 }} minTickGap={24} />
          <YAxis allowDecimals={false} tick={{ fontSize: 11 }} width={48} />
          <Tooltip
            content={({ active, payload }) => {
              const b = payload?.[0]?.payload as HistogramData["buckets"][number] | undefined;
              return active && b ? (
                <div className="chart-tooltip">
                  <p className="chart-tooltip-title">{b.title}</p>
                  {integer.format(b.count)} events
                </div>
              ) : null;
            }}
          />
          <Bar dataKey="count" name="Events" className="histogram-bar" isAnimationActive={false} />
          {drag && drag.from !== drag.to ? (
            <ReferenceArea
              x1={data.buckets[Math.min(drag.from, drag.to)]?.label}
              x2={data.buckets[Math.max(drag.from, drag.to)]?.label}
              fill="#1f5fbf"
              fillOpacity={0.2}
            />
          ) : null}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
