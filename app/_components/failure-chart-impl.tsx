"use client";

import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import {
  Bar,
  CartesianGrid,
  ComposedChart,
  Line,
  ReferenceArea,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  type TooltipContentProps,
  XAxis,
  YAxis,
} from "recharts";
import type { FailureChartData } from "@/app/_components/format/failure-chart-data";

const PREVIOUS = "previous";
/** Spike shading: a red that reads as a tint on the light and the dark card alike. */
const SPIKE = "#e5484d";
const integer = new Intl.NumberFormat("en-US");

/**
 * Failures per bucket stacked by cause, the previous period as a dashed line, real spikes shaded (each opening
 * its pattern) and admin changes marked (each linking to the change). A bar opens the explorer at its bucket, a
 * segment at its bucket and cause; the legend's entries show and hide their series.
 */
export default function FailureChartImpl({ data }: { data: FailureChartData }) {
  const router = useRouter();
  // A segment's click also reaches the chart's; the segment's (with its cause) wins.
  const segmentClicked = useRef(false);
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const rows = data.buckets.map((b) => ({ label: b.label, previous: b.previous, ...b.values }));
  const toggle = (id: string) =>
    setHidden((h) => {
      const next = new Set(h);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  const open = (index: number, cause?: string) => {
    const bucket = data.buckets[index];
    if (bucket) router.push(cause ? withCause(bucket.href, cause) : bucket.href);
  };
  const per = data.bucket;
  const word = data.shading === "spike" ? "Spike" : "Pattern";
  return (
    <>
      <div className="chart" data-testid="chart-plot">
        <ResponsiveContainer width="100%" height="100%">
          <ComposedChart
            data={rows}
            margin={{ top: 16, right: 8, bottom: 16, left: 8 }}
            onClick={(state) => {
              const i = state?.activeTooltipIndex;
              if (!segmentClicked.current && i !== undefined && i !== null) open(Number(i));
              segmentClicked.current = false;
            }}
            style={{ cursor: "pointer" }}
          >
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis
              dataKey="label"
              tick={{ fontSize: 12 }}
              minTickGap={24}
              label={{
                value: `Time (${data.timeZone})`,
                position: "insideBottom",
                offset: -10,
                fontSize: 12,
              }}
            />
            <YAxis
              allowDecimals={false}
              tick={{ fontSize: 12 }}
              width={56}
              label={{
                value: `Failures per ${per}`,
                angle: -90,
                position: "insideLeft",
                style: { textAnchor: "middle" },
                fontSize: 12,
              }}
            />
            <Tooltip content={(props) => <StackTooltip {...props} data={data} hidden={hidden} />} />
            {data.spikes.map((s) => (
              <ReferenceArea
                key={`${s.first}-${s.last}-${s.label}`}
                x1={data.buckets[s.first]?.label}
                x2={data.buckets[s.last]?.label}
                className="spike-area"
                fill={SPIKE}
                stroke={SPIKE}
                fillOpacity={0.16}
                strokeOpacity={0.7}
                ifOverflow="extendDomain"
                label={({ viewBox }: { viewBox?: { x?: number; y?: number; width?: number } }) => (
                  <a
                    href={s.href}
                    data-testid="spike-link"
                    aria-label={`${word} of ${s.label}, ${s.when}: open it`}
                  >
                    <title>{`${word} of ${s.label}, ${s.when}`}</title>
                    <text
                      x={(viewBox?.x ?? 0) + (viewBox?.width ?? 0) / 2}
                      y={(viewBox?.y ?? 0) + 14}
                      textAnchor="middle"
                      className="chart-link-text"
                    >
                      {data.shading}
                    </text>
                  </a>
                )}
              />
            ))}
            {data.causes.map((c) => (
              <Bar
                key={c.id}
                dataKey={c.id}
                name={c.title}
                stackId="causes"
                fill={c.color}
                className="chart-segment"
                hide={hidden.has(c.id)}
                isAnimationActive={false}
                onClick={(_, index) => {
                  segmentClicked.current = true;
                  open(index, c.id);
                }}
              />
            ))}
            {data.hasPrevious ? (
              <Line
                dataKey={PREVIOUS}
                name="Previous period (total)"
                className="chart-previous"
                strokeDasharray="5 4"
                dot={false}
                hide={hidden.has(PREVIOUS)}
                isAnimationActive={false}
              />
            ) : null}
            {data.marks.map((m) => (
              <ReferenceLine
                key={`${m.kind}-${m.index}`}
                x={data.buckets[m.index]?.label}
                className="change-line"
                strokeDasharray="2 3"
                strokeOpacity={0.55}
                ifOverflow="extendDomain"
                label={({ viewBox }: { viewBox?: { x?: number; y?: number } }) => (
                  <a
                    href={m.href}
                    data-testid={m.kind === "version" ? "version-marker" : "change-marker"}
                    aria-label={m.title}
                  >
                    <title>{m.title}</title>
                    {m.kind === "version" ? (
                      // A diamond, above the admin changes' triangles when both fall in one bucket.
                      <path
                        className="change-marker"
                        d={`M${viewBox?.x ?? 0},${(viewBox?.y ?? 0) - 24} l6,6 l-6,6 l-6,-6 z`}
                      />
                    ) : (
                      <path
                        className="change-marker"
                        d={`M${(viewBox?.x ?? 0) - 6},${(viewBox?.y ?? 0) - 12} h12 l-6,9 z`}
                      />
                    )}
                  </a>
                )}
              />
            ))}
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      <ul className="chart-legend" aria-label="Series (press to show or hide)">
        {data.causes.map((c) => (
          <li key={c.id}>
            <button type="button" aria-pressed={!hidden.has(c.id)} onClick={() => toggle(c.id)}>
              <span className="swatch" style={{ background: c.color }} aria-hidden="true" />
              {c.title}
            </button>
          </li>
        ))}
        {data.hasPrevious ? (
          <li>
            <button type="button" aria-pressed={!hidden.has(PREVIOUS)} onClick={() => toggle(PREVIOUS)}>
              <span className="swatch dashed" aria-hidden="true" />
              Previous period (total)
            </button>
          </li>
        ) : null}
      </ul>
    </>
  );
}

/** A bucket's explorer address narrowed to one cause (any cause it had is replaced). */
function withCause(href: string, cause: string): string {
  const [path, query] = href.split("?");
  const params = new URLSearchParams(query);
  params.delete("cause");
  params.set("cause", cause);
  return `${path}?${params.toString()}`;
}

/** The bucket's causes from the top of the stack down, as drawn, then the total and the previous period. */
function StackTooltip({
  active,
  label,
  payload,
  data,
  hidden,
}: TooltipContentProps & { data: FailureChartData; hidden: ReadonlySet<string> }) {
  if (!active || !payload?.length) return null;
  const row = (payload[0]?.payload ?? {}) as Record<string, number | undefined>;
  const shown = data.causes.filter((c) => !hidden.has(c.id) && (row[c.id] ?? 0) > 0).reverse();
  const total = shown.reduce((sum, c) => sum + (row[c.id] ?? 0), 0);
  return (
    <div className="chart-tooltip">
      <p className="chart-tooltip-title">{label}</p>
      <table>
        <tbody>
          {shown.map((c) => (
            <tr key={c.id}>
              <td className="tip-cell">
                <span className="swatch" style={{ background: c.color }} aria-hidden="true" />
                {c.title}
              </td>
              <td className="tip-cell num">{integer.format(row[c.id] ?? 0)}</td>
            </tr>
          ))}
          <tr>
            <th scope="row" className="tip-cell tip-total">
              Total{hidden.size > 0 ? " shown" : ""}
            </th>
            <td className="tip-cell tip-total num">{integer.format(total)}</td>
          </tr>
          {data.hasPrevious && !hidden.has(PREVIOUS) ? (
            <tr>
              <td className="tip-cell">Previous period</td>
              <td className="tip-cell num">{integer.format(row[PREVIOUS] ?? 0)}</td>
            </tr>
          ) : null}
        </tbody>
      </table>
      <p className="chart-tooltip-hint">Click a bar to see its failures</p>
    </div>
  );
}
