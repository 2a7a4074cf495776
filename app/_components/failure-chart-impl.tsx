"use client";

import {
  Bar,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ReferenceArea,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import type { FailureChartData } from "@/app/_components/format/failure-chart-data";

/** Failures per bucket stacked by cause, the previous period as a dashed line, spikes shaded. */
export default function FailureChartImpl({ data }: { data: FailureChartData }) {
  const rows = data.buckets.map((b) => ({ label: b.label, previous: b.previous, ...b.values }));
  return (
    <ResponsiveContainer width="100%" height="100%">
      <ComposedChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="label" tick={{ fontSize: 12 }} minTickGap={24} />
        <YAxis allowDecimals={false} tick={{ fontSize: 12 }} width={48} />
        <Tooltip />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        {data.spikes.map((s) => (
          <ReferenceArea
            key={`${s.first}-${s.last}-${s.label}`}
            x1={data.buckets[s.first]?.label}
            x2={data.buckets[s.last]?.label}
            fill="#b42318"
            fillOpacity={0.12}
            stroke="#b42318"
            strokeOpacity={0.5}
            ifOverflow="extendDomain"
          />
        ))}
        {data.causes.map((c) => (
          <Bar
            key={c.id}
            dataKey={c.id}
            name={c.title}
            stackId="causes"
            fill={c.color}
            isAnimationActive={false}
          />
        ))}
        {data.hasPrevious ? (
          <Line
            dataKey="previous"
            name="Previous period (total)"
            stroke="#17202a"
            strokeDasharray="5 4"
            dot={false}
            isAnimationActive={false}
          />
        ) : null}
      </ComposedChart>
    </ResponsiveContainer>
  );
}
