import type { TimeRange } from "@/lib/time/time-buckets";

/** The range an API answer covers, as every list and drill-down states it: its bounds and the zone it was read in. */
export function answerRange(filter: {
  range: TimeRange;
  timeZone: string;
}): TimeRange & { timeZone: string } {
  return { from: filter.range.from, to: filter.range.to, timeZone: filter.timeZone };
}
