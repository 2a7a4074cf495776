import type { Env } from "@/lib/server/env";

/**
 * The Host header values realmwatch answers to, in every sign-in mode: the loopback names and the bound address
 * at PORT, the public URL's host, and the names listed in REALMWATCH_ALLOWED_HOSTS. Anything else is refused
 * before a page or route runs. This is what stops DNS rebinding: a page whose name is made to resolve to
 * 127.0.0.1 reaches the server, but its requests carry that name as Host (and as Origin), so they are refused
 * instead of being served as the loopback mode's admin. Values are lower case `host[:port]`; a name without a
 * port is listed when the port is the scheme's default (the browser leaves it out then).
 */
export function allowedHostsOf(e: Env): ReadonlySet<string> {
  const hosts = new Set<string>();
  const add = (hostname: string, port: string | number, defaultPorts: readonly string[]) => {
    const name = bracketed(hostname.trim().toLowerCase());
    if (!name) return;
    hosts.add(`${name}:${port}`);
    if (defaultPorts.includes(String(port))) hosts.add(name);
  };
  for (const name of ["localhost", "127.0.0.1", "[::1]"]) add(name, e.PORT, ["80"]);
  if (!isWildcardAddress(e.HOST)) add(e.HOST, e.PORT, ["80"]);
  if (e.REALMWATCH_PUBLIC_URL) {
    const url = new URL(e.REALMWATCH_PUBLIC_URL);
    const port = url.port || (url.protocol === "https:" ? "443" : "80");
    add(url.hostname, port, [url.protocol === "https:" ? "443" : "80"]);
  }
  for (const entry of (e.REALMWATCH_ALLOWED_HOSTS ?? "").split(",")) {
    const value = entry.trim().toLowerCase();
    if (value) hosts.add(value);
  }
  return hosts;
}

/**
 * Requests that carry no ambient authority (no session cookie is read, the loopback mode's admin does not
 * apply): probes, signed reports, pushes (signed or token-authenticated) and token-protected metrics. Orchestrators and resource servers reach these by
 * whatever name or address they have (a pod IP, a service name), which the allow-list cannot know.
 */
const MACHINE_PATHS = ["/api/live", "/api/health", "/api/ready", "/api/reports", "/api/push"];

export function hostCheckApplies(pathname: string, metricsTokenSet: boolean): boolean {
  if (MACHINE_PATHS.some((p) => pathname === p || pathname.startsWith(`${p}/`))) return false;
  if (metricsTokenSet && pathname === "/metrics") return false;
  return true;
}

export type HostVerdict = { ok: true } | { ok: false; host: string };

export function checkHost(hostHeader: string | null, allowed: ReadonlySet<string>): HostVerdict {
  const host = (hostHeader ?? "").trim().toLowerCase();
  return host && allowed.has(host) ? { ok: true } : { ok: false, host };
}

function isWildcardAddress(host: string): boolean {
  const h = host.trim();
  return h === "0.0.0.0" || h === "::" || h === "[::]" || h === "";
}

/** IPv6 literals appear in Host headers in brackets. */
function bracketed(hostname: string): string {
  return hostname.includes(":") && !hostname.startsWith("[") ? `[${hostname}]` : hostname;
}
