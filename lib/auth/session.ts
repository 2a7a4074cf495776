import { randomBytes } from "node:crypto";
import { z } from "zod";
import { ROLES, type Role } from "@/lib/auth/roles";
import { openSecret, sealSecret } from "@/lib/server/secret-box";

/**
 * The session cookie: AES-256-GCM sealed (lib/server/secret-box.ts, keyed by REALMWATCH_SECRET_KEY or the data
 * dir key) so it can be neither read nor forged. It holds the role, the expiry and the username for the audit
 * log; never a token.
 */
export const SESSION_COOKIE = "rw_session";

const sessionSchema = z.object({
  v: z.literal(1),
  sid: z.string().min(16).max(64),
  role: z.enum(ROLES),
  name: z.string().max(256),
  exp: z.number().int(),
});

export interface Session {
  /** A random id, so that sign-out can revoke this session (lib/auth/revoked-sessions.ts). */
  sid: string;
  role: Role;
  name: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

export function sealSession(session: Omit<Session, "sid"> & { sid?: string }): string {
  return sealSecret(
    JSON.stringify({ v: 1, sid: randomBytes(16).toString("base64url"), ...session }),
    "session",
  );
}

/** The session in a cookie value, or null when it is missing, forged, from another key, or expired. */
export function openSession(value: string | undefined, nowSec: number): Session | null {
  if (!value) return null;
  try {
    const parsed = sessionSchema.safeParse(JSON.parse(openSecret(value, "session")));
    if (!parsed.success || parsed.data.exp <= nowSec) return null;
    return { sid: parsed.data.sid, role: parsed.data.role, name: parsed.data.name, exp: parsed.data.exp };
  } catch {
    return null;
  }
}

export interface CookieOptions {
  httpOnly: true;
  secure: boolean;
  sameSite: "lax";
  path: string;
  maxAge: number;
}

/** HttpOnly, SameSite=Lax, Secure when realmwatch is served over https. */
export function sessionCookieOptions(secure: boolean, maxAgeSec: number): CookieOptions {
  return { httpOnly: true, secure, sameSite: "lax", path: "/", maxAge: maxAgeSec };
}
