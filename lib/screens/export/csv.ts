/**
 * CSV (RFC 4180) with spreadsheet formula injection neutralised: a cell starting with =, +, -, @, tab or
 * carriage return gets a leading apostrophe, so Excel, LibreOffice and Sheets show it as text. Event fields
 * are attacker-controlled (usernames, redirect URIs, details).
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  let s =
    typeof value === "string" ? value : typeof value === "object" ? JSON.stringify(value) : String(value);
  if (FORMULA_START.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function csvLine(values: ReadonlyArray<unknown>): string {
  return `${values.map(csvCell).join(",")}\r\n`;
}
