/** A link to `path` with the current parameters changed: a null value removes the key, an array repeats it. */
export function hrefWith(
  path: string,
  params: URLSearchParams,
  changes: Record<string, string | readonly string[] | null> = {},
): string {
  const next = new URLSearchParams(params);
  for (const [key, value] of Object.entries(changes)) {
    next.delete(key);
    if (value === null) continue;
    for (const v of typeof value === "string" ? [value] : value) next.append(key, v);
  }
  const q = next.toString();
  return q ? `${path}?${q}` : path;
}
