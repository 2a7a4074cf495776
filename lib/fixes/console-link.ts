import type { ConsoleLink, FixContext, FixValues } from "@/lib/fixes/types";

/** Console sections a link falls back to when the page lacks the id of the exact item. */
const LIST_LABELS: Record<string, string> = { clients: "Clients", users: "Users", roles: "Roles" };

/**
 * A deep link into the Keycloak 19+ admin console (served by the master realm at
 * `/admin/master/console/#/<realm>/...`), or undefined without a Keycloak URL and realm. `route` is a list
 * of path segments, each percent-encoded; a segment naming a context field (`{ field: "clientUuid" }`) is
 * filled when known, and when it is not, the link points at the list to pick the item from instead.
 */
export function consoleLink(
  v: FixValues,
  label: string,
  route: (string | { field: keyof FixContext })[],
): ConsoleLink | undefined {
  if (!v.known("keycloakUrl") || !v.known("realm") || !/^https?:\/\//i.test(v.keycloakUrl)) return undefined;
  // The routes below are those of the admin console Keycloak ships since 19 (js/apps/admin-ui, a hash router:
  // ClientRoute /:realm/clients/:clientId/:tab, DedicatedScopeDetailsRoute .../clientScopes/dedicated/:tab,
  // UserRoute /:realm/users/:id/:tab); the older console has other paths, so it gets no deep link.
  const major = v.known("keycloakVersion") ? Number.parseInt(v.keycloakVersion, 10) : Number.NaN;
  if (Number.isFinite(major) && major < 19) return undefined;
  const segments: string[] = [v.realm];
  let linkLabel = label;
  for (const part of route) {
    if (typeof part === "string") segments.push(part);
    else if (v.known(part.field)) segments.push(v[part.field]);
    else {
      const list = segments[segments.length - 1] ?? "";
      const listLabel = LIST_LABELS[list];
      if (!listLabel) return undefined;
      linkLabel = `Open ${listLabel} in the admin console`;
      break;
    }
  }
  return {
    label: linkLabel,
    href: `${v.keycloakUrl}/admin/master/console/#/${segments.map(encodeURIComponent).join("/")}`,
  };
}
