/**
 * Access-log lines in Apache combined form, which Keycloak 26's HTTP access log produces with the pattern
 * `%h %l %u %t "%r" %s %b "%{i,Referer}" "%{i,User-Agent}"`. `%u` carries the calling client's id for
 * bearer-token and client-authenticated requests, so a 403 can be attributed to a service account.
 */
export interface AccessLogEntry {
  time: number;
  ip: string;
  user: string | null;
  method: string;
  /** Path with query string. */
  target: string;
  status: number;
  bytes: number;
  referer?: string | null;
  userAgent?: string | null;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const p2 = (n: number) => String(n).padStart(2, "0");

export function formatClfTime(epochMs: number): string {
  const d = new Date(epochMs);
  return `${p2(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} +0000`;
}

const quoted = (v: string | null | undefined) => `"${v ? v.replace(/["\\]/g, (c) => `\\${c}`) : "-"}"`;

export function formatAccessLogLine(e: AccessLogEntry): string {
  const user = e.user ? e.user.replace(/\s/g, "_") : "-";
  const request = `${e.method} ${e.target} HTTP/1.1`;
  return `${e.ip} - ${user} [${formatClfTime(e.time)}] ${quoted(request)} ${e.status} ${e.bytes > 0 ? e.bytes : "-"} ${quoted(e.referer)} ${quoted(e.userAgent)}`;
}
