import type { RangePreset } from "@/lib/time/time-range";

/** The parameters with a preset filled in when the URL names no range (a page whose natural span is not 24 h). */
export function withDefaultRange(params: URLSearchParams, preset: RangePreset): URLSearchParams {
  if (params.has("range") || params.has("from") || params.has("to")) return params;
  const next = new URLSearchParams(params);
  next.set("range", preset);
  return next;
}
