import { type Role, roleAtLeast } from "@/lib/auth/roles";
import type { Viewer } from "@/lib/auth/viewer";

/**
 * Who may reach what, as data, and the one place it is said: the request guard (proxy.ts) checks it before
 * any page or route runs, and route() (lib/auth/route.ts) checks it again for the viewer it hands a handler, so
 * no handler checks a role itself. The first matching row wins. "public" needs no sign-in (health probes,
 * sign-in itself, HMAC-signed reports, pushes (signed or with their token), Prometheus, which checks its own bearer token). `methods` limits a row
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
  { prefix: "/api/push", access: "public" },
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
  // Pasted evidence is diagnosed for every role; personal values are masked below analyst.
  { prefix: "/api/diagnose/evidence", access: "viewer" },
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

export interface AccessRefusal {
  status: 401 | 403;
  code: "unauthorized" | "forbidden";
  message: string;
}

/** Why a viewer (null: not signed in) may not reach what needs `access`; null when they may. */
export function accessRefusal(viewer: Viewer | null, access: Role | "public"): AccessRefusal | null {
  if (access === "public") return null;
  if (!viewer) return { status: 401, code: "unauthorized", message: "Sign in first: /signin." };
  if (roleAtLeast(viewer.role, access)) return null;
  return {
    status: 403,
    code: "forbidden",
    message: `This needs the ${access} role; you are signed in as ${viewer.role}.`,
  };
}
