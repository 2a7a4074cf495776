import type { AdminHandler } from "./admin-auth";
import { CLIENT_ROUTES } from "./routes-clients";
import { ROLE_ROUTES } from "./routes-roles";
import { USER_ROUTES } from "./routes-users";

/** The realm configuration endpoints (clients, scopes, roles, users, attack detection). */
export const CONFIG_ROUTES: ReadonlyArray<{ method: string; path: string; handler: AdminHandler }> = [
  ...CLIENT_ROUTES,
  ...USER_ROUTES,
  ...ROLE_ROUTES,
];
