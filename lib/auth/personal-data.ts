import { AsyncLocalStorage } from "node:async_hooks";
import { getAuthConfig } from "@/lib/auth/config";
import { maskPersonal } from "@/lib/auth/mask-personal";
import type { Role } from "@/lib/auth/roles";

/**
 * Every personal value the dashboard shows or returns (usernames, e-mails, IP addresses, user ids) passes
 * through here and is masked for the viewer's role (viewers see `a•••`, `203.0.x.x`; analysts and admins the
 * values). Loaders bind the request's role with `enterViewerRole(await requestViewerRole())`; code that runs
 * without a bound role is treated as a viewer whenever sign-in is on, so forgetting to bind it masks, never
 * leaks.
 */
export type PersonalKind = "username" | "email" | "ip" | "user-id";

// One store per process, even when bundles hold several copies of this module.
const STORE = Symbol.for("realmwatch.viewerRole");
const holder = globalThis as { [STORE]?: AsyncLocalStorage<Role> };
holder[STORE] ??= new AsyncLocalStorage<Role>();
const viewerRole = holder[STORE];

export function withViewerRole<T>(role: Role, fn: () => T): T {
  return viewerRole.run(role, fn);
}

/**
 * Binds the current request's viewer role for the rest of the calling async function (and what it awaits):
 * `enterViewerRole(await requestViewerRole())` at the top of every loader that returns personal data. Next
 * runs route handlers and server components in async contexts of its own, so the server's binding does not
 * reach them; reading the session cookie here does.
 */
export function enterViewerRole(role: Role): void {
  viewerRole.enterWith(role);
}

export async function requestViewerRole(): Promise<Role> {
  const bound = viewerRole.getStore();
  if (bound) return bound;
  try {
    const { getViewer } = await import("@/lib/auth/get-viewer");
    return (await getViewer())?.role ?? "viewer";
  } catch {
    // Outside a request (scripts, tests): the deployment's default.
    return getAuthConfig().mode === "anonymous" ? "admin" : "viewer";
  }
}

function currentRole(): Role {
  return viewerRole.getStore() ?? (getAuthConfig().mode === "anonymous" ? "admin" : "viewer");
}

export function showPersonal(value: string | null | undefined, kind: PersonalKind): string | null {
  return maskPersonal(value, kind, currentRole());
}

/** Event `details` keys that hold personal data, and what they hold. */
const PERSONAL_DETAILS: Record<string, PersonalKind> = {
  username: "username",
  email: "email",
  previous_email: "email",
  updated_email: "email",
  first_name: "username",
  last_name: "username",
  previous_first_name: "username",
  updated_first_name: "username",
  previous_last_name: "username",
  updated_last_name: "username",
  identity_provider_identity: "username",
  impersonator: "username",
  refresh_token_sub: "user-id",
};

/** Event details with their personal values passed through showPersonal. */
export function showPersonalDetails(details: Record<string, string> | null): Record<string, string> | null {
  if (!details) return null;
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(details)) {
    const kind = PERSONAL_DETAILS[key];
    out[key] = kind ? (showPersonal(value, kind) ?? "") : value;
  }
  return out;
}
