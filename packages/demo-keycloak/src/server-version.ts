/**
 * The Keycloak version the demo claims, and what depends on it. The modern mode claims 26.6.3 (26.2+ events
 * API, 26.4+ serverinfo rules, 26.6+ invalid_grant status, the 26.6.3 origin check); the legacy mode claims
 * 26.1.3, whose events API still takes day dates (user-event dateTo at the day's end since 26.0, admin-event
 * dateTo at its start until 26.2: keycloak PR #30508).
 */
export const MODERN_VERSION = "26.6.3";
export const LEGACY_VERSION = "26.1.3";

/** Whether `version` (major.minor[.patch]) is at least major.minor.patch; an unreadable version counts as newest. */
export function versionAtLeast(version: string, major: number, minor: number, patch = 0): boolean {
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(version);
  if (!m) return true;
  const have = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
  const want = [major, minor, patch];
  for (let i = 0; i < 3; i++) if (have[i] !== want[i]) return have[i]! > want[i]!;
  return true;
}
