/**
 * Removes secrets from anything about to be logged: values under secret-looking keys, bearer and basic
 * credentials, JWTs, and secret-looking query parameters inside strings. Pure, so tests can iterate over cases.
 */
const SECRET_KEY =
  /pass(word)?|secret|token|authorization|cookie|api[-_]?key|credential|private[-_]?key|code[-_]?verifier|^code$|session/i;

const STRING_PATTERNS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, "$1 [redacted]"],
  [/\beyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, "[redacted-jwt]"],
  [
    /([?&](?:access_token|refresh_token|id_token|client_secret|password|code|code_verifier|token)=)[^&\s"']*/gi,
    "$1[redacted]",
  ],
  [/(\/\/[^:/@\s]+:)[^@/\s]+@/g, "$1[redacted]@"],
];

export const REDACTED = "[redacted]";

export function redactString(value: string): string {
  let out = value;
  for (const [pattern, replacement] of STRING_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return redactString(value);
  if (value === null || typeof value !== "object") return value;
  if (depth > 8) return "[too deep]";
  if (value instanceof Error) return { name: value.name, message: redactString(value.message) };
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) && v !== null && v !== undefined ? REDACTED : redact(v, depth + 1);
  }
  return out;
}
