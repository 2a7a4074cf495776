const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * Quotes a value for a POSIX shell. Safe words stay bare; anything else is single-quoted, with each `'`
 * written as `'\''`. Inside single quotes nothing is special (`$`, backticks, `\`, newlines), so a hostile
 * realm or client name is shown as data and never runs.
 */
export function shellQuote(value: string): string {
  if (SAFE.test(value)) return value;
  return `'${value.replaceAll("'", `'\\''`)}'`;
}
