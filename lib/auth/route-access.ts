import type { Role } from "@/lib/auth/roles";

/**
 * Who may reach what, as data; the first matching row wins. "public" needs no sign-in (health probes,
 * sign-in itself, HMAC-signed reports, Prometheus, which checks its own bearer token). `methods` limits a row
 * to those methods (reads of the sources list are for every role; changes are for admins).
 */
export interface RouteAccess {
  prefix: string;
  methods?: readonly string[];
  access: Role | "public";
}

const WRITE = ["POST", "PUT", "PATCH", "DELETE"] as const;

export const ROUTE_ACCESS: readonly RouteAccess[] = [
  { prefix: "/signin", access: "public" },
  { prefix: "/api/auth/", access: "public" },
  { prefix: "/api/live", access: "public" },
  { prefix: "/api/ready", access: "public" },
  { prefix: "/api/health", access: "public" },
  { prefix: "/api/reports/keys", access: "admin" },
  { prefix: "/api/reports", access: "public" },
  { prefix: "/metrics", access: "public" },
  { prefix: "/_next/", access: "public" },
  { prefix: "/favicon", access: "public" },
  { prefix: "/api/sources", methods: WRITE, access: "admin" },
  { prefix: "/api/alerts", access: "admin" },
  { prefix: "/api/sync", methods: WRITE, access: "admin" },
  { prefix: "/api/import", access: "admin" },
  { prefix: "/import", access: "admin" },
  { prefix: "/sources", access: "admin" },
  { prefix: "/api/events/export", access: "analyst" },
  { prefix: "/api/token", access: "analyst" },
  { prefix: "/token", access: "analyst" },
  { prefix: "/api/diagnose", access: "analyst" },
  { prefix: "/api/patterns/refresh", access: "analyst" },
  { prefix: "/", access: "viewer" },
];

export function routeAccessFor(pathname: string, method: string): Role | "public" {
  const m = method.toUpperCase();
  for (const row of ROUTE_ACCESS) {
    const matches =
      pathname === row.prefix.replace(/\/$/, "") ||
      pathname.startsWith(row.prefix.endsWith("/") ? row.prefix : `${row.prefix}/`) ||
      row.prefix === "/";
    if (matches && (!row.methods || row.methods.includes(m))) return row.access;
  }
  return "viewer";
}
