/** A cookie's value in a request's Cookie header; values are URI-encoded when set, so decoded here. */
export function cookieIn(headers: { get(name: string): string | null }, name: string): string | undefined {
  for (const pair of headers.get("cookie")?.split(";") ?? []) {
    const eq = pair.indexOf("=");
    if (eq < 0 || pair.slice(0, eq).trim() !== name) continue;
    try {
      return decodeURIComponent(pair.slice(eq + 1).trim());
    } catch {
      return undefined;
    }
  }
  return undefined;
}
