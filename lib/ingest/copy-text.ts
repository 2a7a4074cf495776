/**
 * PostgreSQL COPY text format: one line per row, tab-separated, \N for NULL, and backslash, newline, carriage
 * return and tab escaped. Values were already made storable (no NUL) by rows.ts.
 */
const NEEDS_ESCAPE = /[\\\n\r\t]/;

export function copyValue(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return "\\N";
  if (typeof value !== "string") return String(value);
  if (!NEEDS_ESCAPE.test(value)) return value;
  let out = "";
  for (const ch of value) {
    if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else out += ch;
  }
  return out;
}

export function copyLine(values: ReadonlyArray<string | number | boolean | null | undefined>): string {
  let line = "";
  for (let i = 0; i < values.length; i++) {
    if (i > 0) line += "\t";
    line += copyValue(values[i]);
  }
  return `${line}\n`;
}
