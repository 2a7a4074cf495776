/**
 * Reading the `representation` of admin events: JSON that Keycloak saves only when admin events are stored
 * with details (adminEventsDetailsEnabled), secrets stripped. It is untrusted text: every reader here returns
 * nothing rather than throwing.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const MAX_REPRESENTATION = 256 * 1024;

export function parseRepresentation(text: string | null | undefined): Json | undefined {
  if (typeof text !== "string" || text === "" || text.length > MAX_REPRESENTATION) return undefined;
  try {
    return JSON.parse(text) as Json;
  } catch {
    return undefined;
  }
}

function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A string field of an object representation ("clientId", "username", "name"). */
export function stringField(rep: Json | undefined, field: string): string | undefined {
  const value = isObject(rep) ? rep[field] : undefined;
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** A boolean field of an object representation ("enabled"). */
export function booleanField(rep: Json | undefined, field: string): boolean | undefined {
  const value = isObject(rep) ? rep[field] : undefined;
  return typeof value === "boolean" ? value : undefined;
}

/** Role names of a role-mapping representation (an array of RoleRepresentation). */
export function roleNames(rep: Json | undefined): string[] {
  if (!Array.isArray(rep)) return [];
  return rep.flatMap((role) => {
    const name = stringField(role, "name");
    return name ? [name] : [];
  });
}

/**
 * The fields that differ between two representations of the same resource: top-level keys, and
 * `attributes.<key>` inside `attributes`, where clients and realms keep most of their settings. Undefined when
 * the two are not both objects (role-mapping representations are arrays of roles: nothing to compare).
 */
export function changedFields(before: Json | undefined, after: Json | undefined): string[] | undefined {
  if (!isObject(before) || !isObject(after)) return undefined;
  const changed: string[] = [];
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const a = before[key];
    const b = after[key];
    if (key === "attributes" && isObject(a) && isObject(b)) {
      for (const attr of new Set([...Object.keys(a), ...Object.keys(b)])) {
        if (JSON.stringify(a[attr]) !== JSON.stringify(b[attr])) changed.push(`attributes.${attr}`);
      }
    } else if (JSON.stringify(a) !== JSON.stringify(b)) {
      changed.push(key);
    }
  }
  return changed.sort();
}
