/**
 * Event details as stored: a JSON object of strings. Anything else found there (a number, a nested object written
 * by an extension or an import) is shown as its JSON text, never trusted as structure.
 */
export function stringRecord(value: unknown): Record<string, string> | null {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return null;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) out[k] = typeof v === "string" ? v : JSON.stringify(v);
  return out;
}
