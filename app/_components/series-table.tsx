import { bucketHref } from "@/app/_components/format/failure-chart-data";
import { causeTitle } from "@/lib/classify/cause-title";
import type { FailureSeries } from "@/lib/queries/overview/failure-series";
import { formatCount, formatTime } from "@/lib/time/format";

/**
 * The chart's numbers as a table, for screen readers and for anyone who wants the exact counts; with `explore`,
 * each bucket links to its failures in the explorer (what a click on a bar does).
 */
export function SeriesTable({
  series,
  timeZone,
  explore,
}: {
  series: FailureSeries;
  timeZone: string;
  explore?: URLSearchParams;
}) {
  const rows = series.buckets.filter((b) => b.total > 0 || (series.previous?.totals.length ?? 0) > 0);
  return (
    <details>
      <summary>Chart data as a table</summary>
      <div className="table-wrap">
        <table className="data-table">
          <caption className="visually-hidden">Failures per {series.bucket} by cause</caption>
          <thead>
            <tr>
              <th scope="col">
                {series.bucket === "day" ? "Day" : series.bucket === "hour" ? "Hour" : "Minute"} from
              </th>
              {series.causes.map((c) => (
                <th scope="col" key={c} className="num">
                  {causeTitle(c)}
                </th>
              ))}
              <th scope="col" className="num">
                Total
              </th>
              {series.previous ? (
                <th scope="col" className="num">
                  Previous period
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {rows.map((b) => (
              <tr key={b.start}>
                <th scope="row" className="nowrap">
                  {explore ? (
                    <a href={bucketHref({ from: b.start, to: b.end }, explore, timeZone)}>
                      {formatTime(b.start, timeZone).slice(0, 16)}
                    </a>
                  ) : (
                    formatTime(b.start, timeZone).slice(0, 16)
                  )}
                </th>
                {series.causes.map((c) => (
                  <td key={c} className="num">
                    {formatCount(b.values[c] ?? 0)}
                  </td>
                ))}
                <td className="num">{formatCount(b.total)}</td>
                {series.previous ? (
                  <td className="num">
                    {formatCount(series.previous.totals[series.buckets.indexOf(b)] ?? 0)}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}
