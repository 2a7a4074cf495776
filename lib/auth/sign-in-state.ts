import { z } from "zod";
import { openSecret, sealSecret } from "@/lib/server/secret-box";

/**
 * What the callback needs from the login request (PKCE verifier, state, the ID token's expected nonce, where to
 * return), kept in a sealed,
 * short-lived cookie scoped to /api/auth so no server-side store is needed.
 */
export const SIGN_IN_COOKIE = "rw_signin";
export const SIGN_IN_TTL_SEC = 600;

const schema = z.object({
  verifier: z.string().min(43),
  state: z.string().min(1),
  nonce: z.string().min(16),
  returnTo: z.string(),
  exp: z.number().int(),
});
export type SignInState = z.infer<typeof schema>;

export function sealSignInState(state: SignInState): string {
  return sealSecret(JSON.stringify(state), "sign-in");
}

export function openSignInState(value: string | undefined, nowSec: number): SignInState | null {
  if (!value) return null;
  try {
    const parsed = schema.safeParse(JSON.parse(openSecret(value, "sign-in")));
    return parsed.success && parsed.data.exp > nowSec ? parsed.data : null;
  } catch {
    return null;
  }
}

const BASE = "http://realmwatch.invalid";

/**
 * A path on this site to return to after sign-in, or "/". The value is resolved the way the callback's redirect
 * (and the browser) will resolve it, so tricks that a prefix check misses are caught: a tab or line break that
 * the URL parser drops ("/\t/evil.example" becomes "//evil.example"), backslashes, and dot segments that leave
 * "//" at the start of the path. Only a path on this site: anything else would make sign-in an open redirect.
 */
export function safeReturnTo(value: string | null | undefined): string {
  if (!value?.startsWith("/")) return "/";
  let url: URL;
  try {
    url = new URL(value, BASE);
  } catch {
    return "/";
  }
  if (url.origin !== BASE) return "/";
  const path = `${url.pathname}${url.search}${url.hash}`;
  return path.startsWith("//") || path.startsWith("/\\") ? "/" : path;
}
