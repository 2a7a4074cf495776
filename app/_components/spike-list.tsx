import { bucketHref, spikeWhen } from "@/app/_components/format/failure-chart-data";
import { causeTitle } from "@/lib/classify/cause-title";
import type { FailureSpike } from "@/lib/queries/overview/detect-failure-spikes";
import { formatShare } from "@/lib/time/format";

/** Spikes shaded on the chart and listed first; the rest stay one click away. */
export const SPIKES_SHOWN = 5;

/**
 * The spikes of a chart, most unusual first, each in words: when (with its date), how many, and what is usual
 * then. Each opens its pattern, or the explorer at its hours when no pattern stands for it.
 */
export function SpikeList({
  spikes,
  timeZone,
  explore,
}: {
  spikes: (FailureSpike & { patternId?: string | null })[];
  timeZone: string;
  explore: URLSearchParams;
}) {
  if (spikes.length === 0) return null;
  const item = (s: FailureSpike & { patternId?: string | null }) => (
    <li key={`${s.cause}/${s.from}`} data-testid="spike">
      <a
        href={
          s.patternId
            ? `/patterns/${encodeURIComponent(s.patternId)}?${new URLSearchParams({ tz: timeZone })}`
            : bucketHref(s, explore, timeZone)
        }
        data-testid={s.patternId ? "spike-pattern" : "spike-events"}
      >
        {spikeWhen(s, timeZone)}
      </a>
      {s.patternId ? "" : " (no pattern: its failures)"}: {s.summary}
      {s.causes.length > 0 ? (
        <>
          ; of the increase:{" "}
          {s.causes.map((c, i) => (
            <span key={c.cause}>
              {i > 0 ? ", " : ""}
              <strong>{causeTitle(c.cause)}</strong> {formatShare(c.share)}
            </span>
          ))}
        </>
      ) : null}
      . <span className="muted">{s.explanation}.</span>
    </li>
  );
  const rest = spikes.slice(SPIKES_SHOWN);
  return (
    <>
      <h3>Spikes</h3>
      <ul data-testid="spikes">{spikes.slice(0, SPIKES_SHOWN).map(item)}</ul>
      {rest.length > 0 ? (
        <details>
          <summary>
            {rest.length} smaller spike{rest.length === 1 ? "" : "s"}
          </summary>
          <ul>{rest.map(item)}</ul>
        </details>
      ) : null}
    </>
  );
}
