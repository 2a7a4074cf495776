import type { EntityKind } from "@/lib/analytics/admin-names";

/**
 * Text a person reads, with the Keycloak ids in it marked: each id part is shown by its name when one is known,
 * else shortened, the full id on hover. Pure; names are looked up by the caller.
 */
export type NamedPart = { text: string } | { id: string; kind: EntityKind | null; name: string | null };

export interface EntityId {
  kind: EntityKind;
  id: string;
}

/** The id kind of the segment after each collection of the Admin REST API (resourcePath is relative to a realm). */
const COLLECTIONS: Record<string, EntityKind> = {
  users: "user",
  clients: "client",
  groups: "group",
  "client-scopes": "client-scope",
  "default-client-scopes": "client-scope",
  "optional-client-scopes": "client-scope",
  "roles-by-id": "role",
};

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

export function isUuid(value: string): boolean {
  return new RegExp(`^${UUID.source}$`, "i").test(value);
}

/** "3f2a9c1e…" for a long id; short ids are left whole. */
export function shortId(id: string): string {
  return id.length > 12 ? `${id.slice(0, 8)}…` : id;
}

function segmentKind(segments: readonly string[], i: number): EntityKind | null | undefined {
  if (i >= 2 && segments[i - 1] === "models" && segments[i - 2] === "protocol-mappers") return "mapper";
  const kind = i >= 1 ? COLLECTIONS[segments[i - 1]!] : undefined;
  if (kind) return kind;
  return isUuid(segments[i]!) ? null : undefined;
}

/** The objects a resourcePath names by id ("users/<id>/role-mappings/clients/<uuid>": a user and a client). */
export function idsInPath(path: string | null | undefined): EntityId[] {
  const segments = (path ?? "").split("?")[0]!.split("/");
  const out: EntityId[] = [];
  segments.forEach((segment, i) => {
    const kind = segment === "" ? undefined : segmentKind(segments, i);
    if (kind) out.push({ kind, id: segment });
  });
  return out;
}

/** A resourcePath with its ids as parts: "clients/<uuid>/client-secret" reads "clients/retail-backend/client-secret". */
export function namePath(
  path: string | null | undefined,
  nameOf: (kind: EntityKind | null, id: string) => string | null,
): NamedPart[] {
  if (!path) return [];
  const segments = path.split("/");
  const parts: NamedPart[] = [];
  segments.forEach((segment, i) => {
    if (i > 0) parts.push({ text: "/" });
    const kind = segment === "" ? undefined : segmentKind(segments, i);
    parts.push(kind === undefined ? { text: segment } : { id: segment, kind, name: nameOf(kind, segment) });
  });
  return mergeText(parts);
}

/**
 * Free text (a suspect's reason, written when the pattern was detected) with the UUIDs in it as parts, and the
 * given names (a username the text spells out) as parts of their object too, so they can be shown masked.
 */
export function nameText(
  text: string | null | undefined,
  nameOf: (id: string) => { kind: EntityKind | null; name: string | null },
  spelled: readonly { text: string; id: string; kind: EntityKind; name: string }[] = [],
): NamedPart[] {
  if (!text) return [];
  let parts: NamedPart[] = [];
  let last = 0;
  for (const m of text.matchAll(UUID)) {
    if (m.index > last) parts.push({ text: text.slice(last, m.index) });
    parts.push({ id: m[0], ...nameOf(m[0]) });
    last = m.index + m[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last) });
  for (const s of [...spelled].sort((a, b) => b.text.length - a.text.length)) {
    if (s.text === "") continue;
    parts = parts.flatMap((p) => ("text" in p ? splitOn(p.text, s) : [p]));
  }
  return mergeText(parts);
}

/** Occurrences of a spelled-out name as a whole word (not inside a longer name). */
function splitOn(text: string, s: { text: string; id: string; kind: EntityKind; name: string }): NamedPart[] {
  const out: NamedPart[] = [];
  let from = 0;
  for (let at = text.indexOf(s.text); at !== -1; at = text.indexOf(s.text, at + 1)) {
    const before = text[at - 1];
    const after = text[at + s.text.length];
    if ((before && /[\w.@-]/.test(before)) || (after && /[\w@-]/.test(after))) continue;
    if (at > from) out.push({ text: text.slice(from, at) });
    out.push({ id: s.id, kind: s.kind, name: s.name });
    from = at + s.text.length;
  }
  if (from < text.length) out.push({ text: text.slice(from) });
  return out;
}

function mergeText(parts: NamedPart[]): NamedPart[] {
  const out: NamedPart[] = [];
  for (const p of parts) {
    const prev = out[out.length - 1];
    if ("text" in p && prev && "text" in prev) out[out.length - 1] = { text: prev.text + p.text };
    else if (!("text" in p) || p.text !== "") out.push(p);
  }
  return out;
}

/** The parts as one string for the JSON API: names where known, else the ids. */
export function partsText(parts: readonly NamedPart[]): string {
  return parts.map((p) => ("text" in p ? p.text : (p.name ?? p.id))).join("");
}

/** The parts as plain text with unknown ids shortened, as the page shows them. */
export function partsDisplayText(parts: readonly NamedPart[]): string {
  return parts.map((p) => ("text" in p ? p.text : (p.name ?? shortId(p.id)))).join("");
}

/** The parts with their first letter capitalised, to start a sentence. */
export function capitalized(parts: readonly NamedPart[]): NamedPart[] {
  const [first, ...rest] = parts;
  if (!first || !("text" in first)) return [...parts];
  return [{ text: first.text.charAt(0).toUpperCase() + first.text.slice(1) }, ...rest];
}
