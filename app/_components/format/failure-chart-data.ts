import { ADMIN_CHANGE_TEXT } from "@/lib/analytics/admin-change-text";
import { causeTitle } from "@/lib/classify/cause-title";
import type { AdminChangeMark } from "@/lib/queries/overview/admin-changes-in-range";
import type { FailureSeries } from "@/lib/queries/overview/failure-series";
import type { VersionChangeMark } from "@/lib/queries/overview/version-changes-in-range";
import type { Bucket } from "@/lib/time/choose-bucket";
import { formatTime } from "@/lib/time/format";
import type { TimeRange } from "@/lib/time/time-buckets";
import { causeColor } from "./cause-colors";
import { hrefWith } from "./href-with";

/** What the failure chart draws, prepared on the server: labels in the viewer's zone, no personal data. */
export interface FailureChartData {
  bucket: Bucket;
  timeZone: string;
  /** Each bucket with the explorer's address of its failures (a segment's cause is added by the chart). */
  buckets: {
    label: string;
    total: number;
    previous?: number;
    values: Record<string, number>;
    href: string;
  }[];
  causes: { id: string; title: string; color: string }[];
  /** Shaded spikes as ranges of bucket indexes, each opening its pattern (or the explorer when none). */
  spikes: { first: number; last: number; label: string; when: string; href: string }[];
  /** What the shading stands for: spikes (the overview, a client), or the pattern a pattern page shows. */
  shading: "spike" | "pattern";
  /** A spike that covers the whole chart: said in the caption rather than shading every bar. */
  around: { label: string; href: string } | null;
  /**
   * Admin changes, one mark per bucket, each naming its changes and linking to them; and Keycloak version
   * changes, each naming the versions and linking to the sources page.
   */
  marks: { index: number; title: string; href: string; kind: "admin" | "version" }[];
  hasPrevious: boolean;
}

/** A spike as the chart receives it: its range and cause, its size when known, and its pattern when found. */
export interface ChartSpike extends TimeRange {
  cause: string;
  observed?: number;
  expected?: number;
  patternId?: string | null;
}

export interface ChartLinks {
  /** The explorer's parameters every bucket keeps (scope, zone, outcome). */
  explore: URLSearchParams;
  changes?: readonly Omit<AdminChangeMark, "resourceType">[];
  /** Keycloak version changes detected on the sources in scope. */
  versions?: readonly VersionChangeMark[];
  /** Default "spike". */
  shading?: "spike" | "pattern";
}

const HOUR = 3_600_000;
const MINUTE = 60_000;
/** A bar is shaded when the spike's failures above the usual make up at least this share of it. */
export const SPIKE_SHARE = 0.25;

export function toFailureChartData(
  series: FailureSeries,
  spikes: readonly ChartSpike[],
  timeZone: string,
  links: ChartLinks = { explore: new URLSearchParams({ tz: timeZone, outcome: "failures" }) },
): FailureChartData {
  const label = bucketLabeller(series.bucket, timeZone, series.buckets);
  const previous = series.previous?.totals;
  const buckets = series.buckets;
  const shaded: FailureChartData["spikes"] = [];
  let around: FailureChartData["around"] = null;
  for (const s of spikes) {
    const href = spikeHref(s, links.explore, timeZone);
    const title = causeTitle(s.cause);
    const covered = buckets.flatMap((b, i) => (b.end > s.from && b.start < s.to ? [i] : []));
    if (covered.length === 0) continue;
    if (covered.length === buckets.length && buckets.length > 1) {
      around ??= { label: `${title}, ${spikeWhen(s, timeZone)}`, href };
      continue;
    }
    const excessPerMs =
      s.observed === undefined ? null : Math.max(0, s.observed - (s.expected ?? 0)) / (s.to - s.from);
    const marked = covered.filter((i) => {
      const b = buckets[i]!;
      if (excessPerMs === null) return true;
      const overlap = Math.min(b.end, s.to) - Math.max(b.start, s.from);
      return b.total > 0 && excessPerMs * overlap >= SPIKE_SHARE * b.total;
    });
    const when = spikeWhen(s, timeZone);
    for (const run of runs(marked)) shaded.push({ ...run, label: title, when, href });
  }
  return {
    bucket: series.bucket,
    timeZone,
    buckets: buckets.map((b, i) => ({
      label: label(b.start),
      total: b.total,
      previous: previous?.[i],
      values: b.values,
      href: bucketHref({ from: b.start, to: b.end }, links.explore, timeZone),
    })),
    causes: series.causes.map((id) => ({ id, title: causeTitle(id), color: causeColor(id) })),
    spikes: shaded,
    shading: links.shading ?? "spike",
    around,
    marks: [...changeMarks(buckets, links, timeZone), ...versionMarks(buckets, links, timeZone)],
    hasPrevious: previous !== undefined,
  };
}

/** The explorer at a bucket: from its first minute to its last, as wall-clock times in the viewer's zone. */
export function bucketHref(bucket: TimeRange, explore: URLSearchParams, timeZone: string): string {
  return hrefWith("/events", explore, {
    range: null,
    from: wallText(bucket.from, timeZone),
    to: wallText(Math.max(bucket.from, bucket.to - MINUTE), timeZone),
  });
}

/** "2026-03-10T05:30": what the explorer's From and To take (lib/time/time-range.ts), on the viewer's clock. */
export function wallText(ms: number, timeZone: string): string {
  return formatTime(ms, timeZone).slice(0, 16).replace(" ", "T");
}

function spikeHref(s: ChartSpike, explore: URLSearchParams, timeZone: string): string {
  if (s.patternId)
    return hrefWith(`/patterns/${encodeURIComponent(s.patternId)}`, new URLSearchParams({ tz: timeZone }));
  return bucketHref(s, explore, timeZone);
}

/** Consecutive indexes as first/last ranges. */
function runs(indexes: readonly number[]): { first: number; last: number }[] {
  const out: { first: number; last: number }[] = [];
  for (const i of indexes) {
    const last = out[out.length - 1];
    if (last && last.last === i - 1) last.last = i;
    else out.push({ first: i, last: i });
  }
  return out;
}

/** One mark per bucket with admin changes: their kinds in words and times, linking to them in the explorer. */
function changeMarks(
  buckets: readonly { start: number; end: number }[],
  links: ChartLinks,
  timeZone: string,
): FailureChartData["marks"] {
  const byBucket = new Map<number, NonNullable<ChartLinks["changes"]>[number][]>();
  for (const c of links.changes ?? []) {
    const i = buckets.findIndex((b) => c.time >= b.start && c.time < b.end);
    if (i >= 0) byBucket.set(i, [...(byBucket.get(i) ?? []), c]);
  }
  return [...byBucket]
    .sort(([a], [b]) => a - b)
    .map(([index, changes]) => {
      const sorted = [...changes].sort((a, b) => a.time - b.time);
      const first = sorted[0]!;
      const last = sorted[sorted.length - 1]!;
      const shown = sorted
        .slice(0, 4)
        .map(
          (c) =>
            `${ADMIN_CHANGE_TEXT[c.kind]} (${c.operationType}) at ${formatTime(c.time, timeZone).slice(0, 16)}`,
        );
      const more = sorted.length > shown.length ? `; ${sorted.length - shown.length} more` : "";
      const title =
        sorted.length === 1
          ? `Admin change: ${shown[0]}`
          : `${sorted.length} admin changes: ${shown.join("; ")}${more}`;
      const same = (key: "sourceId" | "realm") =>
        sorted.every((c) => c[key] === first[key]) ? first[key] : null;
      const params = new URLSearchParams({ tab: "admin", tz: timeZone });
      const sourceId = same("sourceId");
      const realm = same("realm");
      if (sourceId) params.set("source", sourceId);
      if (realm) params.set("realm", realm);
      return {
        index,
        title,
        kind: "admin" as const,
        href: bucketHref(
          {
            from: Math.floor(first.time / MINUTE) * MINUTE,
            to: Math.floor(last.time / MINUTE) * MINUTE + MINUTE,
          },
          params,
          timeZone,
        ),
      };
    });
}

function bucketLabeller(bucket: Bucket, timeZone: string, buckets: readonly { start: number }[]) {
  const first = buckets[0]?.start ?? 0;
  const last = buckets[buckets.length - 1]?.start ?? 0;
  const sameDay = last - first < 24 * HOUR;
  const options: Intl.DateTimeFormatOptions =
    bucket === "day"
      ? { month: "short", day: "2-digit" }
      : bucket === "hour" && !sameDay
        ? { month: "short", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }
        : { hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
  const format = new Intl.DateTimeFormat("en-GB", { timeZone, ...options });
  return (at: number) => format.format(at);
}

/** "Sat 05 Dec 06:00–19:00" (or "… to Sun 06 Dec 02:00" across midnight), on the viewer's clock. */
export function spikeWhen(s: { from: number; to: number }, timeZone: string): string {
  const day = new Intl.DateTimeFormat("en-GB", {
    timeZone,
    weekday: "short",
    day: "2-digit",
    month: "short",
  });
  const clock = new Intl.DateTimeFormat("en-GB", {
    timeZone,
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  });
  const sameDay = day.format(s.from) === day.format(s.to - 1);
  return sameDay
    ? `${day.format(s.from)} ${clock.format(s.from)}–${clock.format(s.to)}`
    : `${day.format(s.from)} ${clock.format(s.from)} to ${day.format(s.to)} ${clock.format(s.to)}`;
}

/** One mark per Keycloak version change: the source, the versions and when, linking to the sources page. */
function versionMarks(
  buckets: readonly { start: number; end: number }[],
  links: ChartLinks,
  timeZone: string,
): FailureChartData["marks"] {
  return (links.versions ?? []).flatMap((v) => {
    const index = buckets.findIndex((b) => v.time >= b.start && v.time < b.end);
    if (index < 0) return [];
    const when = formatTime(v.time, timeZone).slice(0, 16);
    return [
      {
        index,
        kind: "version" as const,
        title: `Keycloak of ${v.sourceName}: ${v.previous} → ${v.version}, detected at ${when}`,
        href: "/sources",
      },
    ];
  });
}
