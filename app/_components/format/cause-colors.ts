import type { CauseId } from "@/lib/classify/causes";

/**
 * One colour per cause, the same on every chart. Chosen to stay distinguishable for the common colour-vision
 * deficiencies when stacked next to each other (Okabe-Ito and Tableau-10 hues), with "unknown" in grey.
 */
export const CAUSE_COLORS: Record<CauseId, string> = {
  "missing-scope": "#0072b2",
  "missing-role": "#d55e00",
  "wrong-audience": "#cc79a7",
  "proxy-misconfig": "#009e73",
  cors: "#e69f00",
  "redirect-uri": "#56b4e9",
  "token-expired": "#8c6d31",
  "session-invalid": "#9467bd",
  "client-auth": "#b8860b",
  "client-config": "#17becf",
  "user-credentials": "#7f7f7f",
  "user-state": "#bcbd22",
  "authz-policy": "#e377c2",
  unknown: "#a0a7b1",
};

export function causeColor(cause: string): string {
  return (CAUSE_COLORS as Record<string, string>)[cause] ?? "#4d5560";
}
