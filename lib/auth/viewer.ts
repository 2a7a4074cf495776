import type { AuthConfig } from "@/lib/auth/config";
import type { Role } from "@/lib/auth/roles";
import { openSession } from "@/lib/auth/session";

/** Who is looking: a signed-in user, or everyone in the demo mode without sign-in. */
export interface Viewer {
  role: Role;
  name: string;
  anonymous: boolean;
}

/** The demo mode without sign-in shows everything, as realmwatch did before sign-in existed. */
export const ANONYMOUS_VIEWER: Viewer = { role: "admin", name: "anonymous", anonymous: true };

/**
 * Whoever reaches a public route (sign-in, probes, signed reports) without a session: the lowest role, so
 * anything personal would be masked.
 */
export const SIGNED_OUT_VIEWER: Viewer = { role: "viewer", name: "signed-out", anonymous: false };

/** The viewer for a session cookie value under a configuration; null means "must sign in". */
export function viewerFromCookie(
  config: AuthConfig,
  cookie: string | undefined,
  nowSec: number,
  /** Sessions signed out before they expired (lib/auth/revoked-sessions.ts). */
  revoked: ReadonlySet<string> = NO_REVOKED,
): Viewer | null {
  if (config.mode === "anonymous") return ANONYMOUS_VIEWER;
  if (config.mode === "unconfigured") return null;
  const session = openSession(cookie, nowSec);
  if (!session || revoked.has(session.sid)) return null;
  return { role: session.role, name: session.name, anonymous: false };
}

const NO_REVOKED: ReadonlySet<string> = new Set();
