/**
 * How often a live page refreshes, from the `live` URL parameter: `off`, or a number of seconds (`30s`) or minutes
 * (`1m`) between 1 s and 1 h. No parameter means the default, 30 s. A value that is not one of these also means
 * the default: live mode is a convenience, and a typo in it must not break the page.
 */
export const LIVE_CHOICES = [
  { value: "off", label: "Off" },
  { value: "10s", label: "10 s" },
  { value: "30s", label: "30 s" },
  { value: "1m", label: "1 min" },
] as const;

export const DEFAULT_LIVE = "30s";

/** Milliseconds between refreshes, or null when live mode is off. */
export function liveIntervalMs(value: string | null | undefined): number | null {
  if (value === "off") return null;
  const m = /^(\d{1,4})(s|m)$/.exec(value ?? "");
  const ms = m ? Number(m[1]) * (m[2] === "m" ? 60_000 : 1000) : 0;
  return ms >= 1000 && ms <= 3_600_000 ? ms : liveIntervalMs(DEFAULT_LIVE);
}
