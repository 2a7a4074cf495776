/**
 * True when a Keycloak version string (`26.4.2`, `24.0.1-SNAPSHOT`, `nightly` is unknown) is at least
 * `minimum`; null when the version is unknown or unreadable, so callers decide what unknown means.
 */
export function versionAtLeast(version: string | null | undefined, minimum: string): boolean | null {
  if (version == null) return null;
  const have = numericParts(version);
  if (have === null) return null;
  const want = numericParts(minimum) ?? [];
  for (let i = 0; i < Math.max(have.length, want.length); i++) {
    const a = have[i] ?? 0;
    const b = want[i] ?? 0;
    if (a !== b) return a > b;
  }
  return true;
}

function numericParts(version: string): number[] | null {
  const m = /^\s*v?(\d{1,4})(?:\.(\d{1,4}))?(?:\.(\d{1,4}))?/.exec(version);
  if (m === null) return null;
  return [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)];
}
