import { parseRepresentation, stringField } from "@/lib/analytics/admin-representation";

/**
 * Names that an admin event teaches: Keycloak names clients, mappers, client scopes, groups and roles by their
 * internal ids in resourcePath (AdminEventBuilder#resourcePath is the Admin REST URI relative to the realm), and
 * the representation (saved with adminEventsDetailsEnabled) carries the human name. Pure; the representation is
 * untrusted text, so names are length-capped strings and nothing here throws.
 */

export const ENTITY_KINDS = ["client", "user", "role", "mapper", "client-scope", "group"] as const;
export type EntityKind = (typeof ENTITY_KINDS)[number];

export interface EntityNameEntry {
  kind: EntityKind;
  id: string;
  name: string;
}

const MAX_NAME = 200;
const MAX_ID = 200;

export interface AdminEventNameSource {
  resourcePath?: string | null;
  representation?: string | null;
  operationType?: string | null;
}

function clean(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.replace(/[\u0000-\u001f\u007f]/g, "").trim();
  return trimmed === "" ? undefined : trimmed.slice(0, MAX_NAME);
}

function validId(id: string | undefined): id is string {
  return typeof id === "string" && id !== "" && id.length <= MAX_ID && !/[\s/]/.test(id);
}

/** The names an admin event's path and representation give, each with the id Keycloak uses for it. */
export function namesFromAdminEvent(event: AdminEventNameSource): EntityNameEntry[] {
  const path = typeof event.resourcePath === "string" ? event.resourcePath.slice(0, 2000) : "";
  const segments = path
    .split("?")[0]!
    .split("/")
    .filter((s) => s !== "");
  if (segments.length === 0) return [];
  const rep = event.operationType === "DELETE" ? undefined : parseRepresentation(event.representation);
  const out: EntityNameEntry[] = [];
  const add = (kind: EntityKind, id: string | undefined, name: string | undefined) => {
    const n = clean(name);
    if (validId(id) && n) out.push({ kind, id, name: n });
  };
  const [head, id, part, sub, subId] = segments;
  const last = segments.length;
  const named = (field: string) => stringField(rep, field);

  if (head === "clients" && last === 2) add("client", id, named("clientId"));
  if (head === "users" && last === 2) add("user", id, named("username"));
  if (head === "groups" && last === 2) add("group", id, named("name"));
  if (head === "client-scopes" && last === 2) add("client-scope", id, named("name"));
  if (head === "roles-by-id" && last === 2) add("role", id, named("name"));
  if ((head === "clients" || head === "client-scopes") && part === "protocol-mappers" && sub === "models")
    add("mapper", subId, named("name"));
  // Role-mapping and composite representations are arrays of RoleRepresentation with ids and names.
  if (Array.isArray(rep)) {
    for (const role of rep.slice(0, 200)) add("role", stringField(role, "id"), stringField(role, "name"));
  }
  return out;
}
