import type { CauseId } from "@/lib/classify/causes";

/**
 * One colour per cause, the same on every chart and in both themes. Chosen by search over the sRGB cube for the
 * largest smallest pairwise CIEDE2000 distance as seen with normal vision, protanopia and deuteranopia, with
 * CIELAB lightness between 42 and 82 so every colour stands out on the light and the dark card alike
 * (tests/unit/app/format/cause-colors.test.ts checks the distances). The colours carry no text: legend and
 * tooltip labels are in the text colour, each beside its swatch, and stacked segments are separated by a line.
 */
export const CAUSE_COLORS: Record<CauseId, string> = {
  "missing-scope": "#8822ee",
  "missing-role": "#ff4400",
  "wrong-audience": "#88ccff",
  "proxy-misconfig": "#669955",
  cors: "#aadd00",
  "redirect-uri": "#cc0011",
  "token-expired": "#9988ff",
  "session-invalid": "#776655",
  "client-auth": "#7777aa",
  "client-config": "#99cccc",
  "user-credentials": "#aacc88",
  "user-state": "#776677",
  "authz-policy": "#99aa99",
  unknown: "#8a929c",
};

/** A cause outside the catalogue (an older classification) draws as "unknown". */
export function causeColor(cause: string): string {
  return (CAUSE_COLORS as Record<string, string>)[cause] ?? CAUSE_COLORS.unknown;
}
