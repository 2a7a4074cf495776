import type postgres from "postgres";
import type { AdminChangeKind } from "@/lib/analytics/admin-change";
import { ADMIN_CHANGE_TEXT } from "@/lib/analytics/admin-change-text";
import type { SuspectedChange } from "@/lib/analytics/admin-correlation";
import type { EntityKind } from "@/lib/analytics/admin-names";
import { maskPersonal } from "@/lib/auth/personal-data";
import type { Role } from "@/lib/auth/roles";
import type { EntityRef } from "@/lib/queries/names/entity-names";
import type { PatternSummary } from "@/lib/queries/patterns/list-patterns";
import { type AdminShown, adminShown, loadNames, type Names, realmNamer } from "../names/load-names";
import {
  capitalized,
  idsInPath,
  isUuid,
  type NamedPart,
  namePath,
  nameText,
  partsText,
} from "../names/named-parts";

/** A suspected admin change as a person reads it: what changed and who changed it, by name. */
export interface SuspectView {
  adminEventId: string;
  time: number;
  kind: AdminChangeKind;
  /** The kind of change in words ("Client protocol mapper changed"). */
  title: string;
  /** What happened to `what`: "deleted", "added", "regenerated"... */
  verb: string;
  /** The change in one phrase: "A protocol mapper of client internal-portal deleted", "Sessions of user x ended". */
  summary: NamedPart[];
  operationType: string;
  resourceType: string | null;
  resourcePath: string | null;
  score: number;
  changedFields: string[] | null;
  /** What was changed: the stored resourceName, else the resource path, with names for ids. */
  what: NamedPart[];
  reason: NamedPart[];
  path: NamedPart[];
  by: AdminShown | null;
}

/** A pattern as lists show it: its scope and its top suspect by name. */
export interface PatternRow extends PatternSummary {
  /** The client's clientId, or the user's username masked for the role; null for a realm or an unknown user. */
  scopeName: string | null;
  suspect: SuspectView | null;
}

interface Suspects {
  sourceId: string;
  realm: string;
  suspects: readonly SuspectedChange[];
}

interface AdminAuth {
  realmId: string | null;
  authRealmId: string | null;
  authUserId: string | null;
}

const authKey = (sourceId: string, realm: string, id: string) => JSON.stringify([sourceId, realm, id]);

/**
 * Names for suspects and the users patterns are scoped to. Suspects were named when the pattern was detected
 * (older ones were not): the admin is read again from the admin event, a primary-key probe each, and every id in
 * the path and the texts is looked up, so a name learnt since, or a rename, shows.
 */
async function loadSuspectNames(
  sql: postgres.Sql,
  items: readonly Suspects[],
  extra: readonly EntityRef[],
): Promise<{ names: Names; auth: Map<string, AdminAuth> }> {
  const keys = items.flatMap((i) =>
    i.suspects.map((s) => ({ sourceId: i.sourceId, realm: i.realm, id: String(s.adminEventId) })),
  );
  const authRows =
    keys.length === 0
      ? []
      : await sql<
          {
            source_id: string;
            realm: string;
            id: string;
            realm_id: string | null;
            auth_realm_id: string | null;
            auth_user_id: string | null;
          }[]
        >`
          select a.source_id, a.realm, a.id, a.realm_id, a.auth_realm_id, a.auth_user_id
          from unnest(${keys.map((k) => k.sourceId)}::uuid[], ${keys.map((k) => k.realm)}::text[],
                      ${keys.map((k) => k.id)}::text[]) as k(source_id, realm, id)
          join admin_events a on a.source_id = k.source_id and a.realm = k.realm and a.id = k.id`;
  const auth = new Map(
    authRows.map((r) => [
      authKey(r.source_id, r.realm, r.id),
      { realmId: r.realm_id, authRealmId: r.auth_realm_id, authUserId: r.auth_user_id },
    ]),
  );
  const entities: EntityRef[] = [...extra];
  const admins = [];
  for (const { sourceId, realm, suspects } of items) {
    for (const s of suspects) {
      const inPath = idsInPath(s.resourcePath);
      for (const { kind, id } of inPath) entities.push({ sourceId, realm, kind, id });
      // Ids the texts spell out that the path does not type: a client or a user, the objects reasons name.
      for (const text of [s.reason, s.resourceName, s.by]) {
        for (const [id] of String(text ?? "").matchAll(/[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}/gi)) {
          if (inPath.some((p) => p.id === id)) continue;
          entities.push({ sourceId, realm, kind: "client", id }, { sourceId, realm, kind: "user", id });
        }
      }
      const a = auth.get(authKey(sourceId, realm, String(s.adminEventId)));
      if (a?.authUserId)
        admins.push({
          sourceId,
          realm,
          realmId: a.realmId,
          authRealmId: a.authRealmId,
          userId: a.authUserId,
        });
    }
  }
  return { names: await loadNames(sql, { entities, admins }), auth };
}

function suspectView(
  s: SuspectedChange,
  sourceId: string,
  realm: string,
  names: Names,
  auth: Map<string, AdminAuth>,
  role: Role,
): SuspectView {
  const namer = realmNamer(names, sourceId, realm, role);
  const pathKinds = new Map(idsInPath(s.resourcePath).map((p) => [p.id, p.kind]));
  const nameOf = (id: string): { kind: EntityKind | null; name: string | null } => {
    const known = pathKinds.get(id);
    if (known) return { kind: known, name: namer(known, id) };
    for (const kind of ["client", "user"] as const) {
      const name = namer(kind, id);
      if (name !== null) return { kind, name };
    }
    return { kind: null, name: null };
  };
  // Reasons spell out usernames as they were at detection: shown as the user's current name, masked for viewers.
  const spelled = [...pathKinds]
    .filter(([, kind]) => kind === "user")
    .flatMap(([id]) => {
      const raw = names.entity({ sourceId, realm, kind: "user", id });
      return raw
        ? [{ text: raw, id, kind: "user" as const, name: maskPersonal(raw, "username", role) ?? raw }]
        : [];
    });
  const a = auth.get(authKey(sourceId, realm, String(s.adminEventId)));
  let by: AdminShown | null = a?.authUserId
    ? adminShown(
        names,
        {
          sourceId,
          realm,
          realmId: a.realmId,
          authRealmId: a.authRealmId,
          userId: a.authUserId,
        },
        role,
      )
    : null;
  const storedBy = typeof s.by === "string" && s.by !== "" ? s.by : null;
  if (storedBy && !isUuid(storedBy) && storedBy !== a?.authUserId && (by === null || by.name === null)) {
    by = { name: maskPersonal(storedBy, "username", role), id: by?.id ?? null, realm: by?.realm ?? null };
  } else if (!by && storedBy) {
    by = { name: null, id: storedBy, realm: null };
  }
  const kind = s.kind in ADMIN_CHANGE_TEXT ? s.kind : "other";
  const path = namePath(s.resourcePath, namer);
  const resourceName = typeof s.resourceName === "string" && s.resourceName !== "" ? s.resourceName : null;
  const what = resourceName
    ? nameText(resourceName, nameOf, spelled)
    : (fallbackWhat(s.resourcePath, namer) ?? path);
  const verb = verbOf(kind, s.operationType);
  const userId = [...pathKinds].find(([, k]) => k === "user")?.[0];
  const user: NamedPart[] = userId
    ? [{ text: "user " }, { id: userId, kind: "user", name: namer("user", userId) }]
    : [];
  return {
    adminEventId: String(s.adminEventId),
    time: s.time,
    kind,
    title: ADMIN_CHANGE_TEXT[kind],
    verb,
    operationType: s.operationType,
    resourceType: s.resourceType ?? null,
    resourcePath: s.resourcePath ?? null,
    score: s.score,
    changedFields: Array.isArray(s.changedFields) ? s.changedFields : null,
    what,
    summary: summaryOf(kind, what, verb, user, ADMIN_CHANGE_TEXT[kind]),
    reason: nameText(typeof s.reason === "string" ? s.reason : "", nameOf, spelled),
    path,
    by,
  };
}

const VERBS: Partial<Record<AdminChangeKind, string>> = {
  "user-role-mapping-added": "added",
  "user-role-mapping-removed": "removed",
  "user-group-joined": "added",
  "user-group-left": "removed",
  "client-secret-changed": "regenerated",
  "user-credentials-changed": "changed",
  "user-sessions-ended": "ended",
  "realm-sessions-ended": "ended",
  "user-lockout-cleared": "cleared",
};
const OPERATION_VERBS: Record<string, string> = { CREATE: "created", UPDATE: "updated", DELETE: "deleted" };

/**
 * What a suspect stored before suspects were named changed, from its path: the user and the client it names
 * ("role mappings of client acme-orders-api of user marco.rossi"); null when the path names neither.
 */
function fallbackWhat(
  resourcePath: string | null | undefined,
  namer: (kind: EntityKind | null, id: string) => string | null,
): NamedPart[] | null {
  const ids = idsInPath(resourcePath);
  const part = (kind: EntityKind, label: string): NamedPart[] => {
    const id = ids.find((i) => i.kind === kind)?.id;
    return id ? [{ text: `${label} ` }, { id, kind, name: namer(kind, id) }] : [];
  };
  const user = part("user", "user");
  const client = part("client", "client");
  const mapper = part("mapper", "mapper");
  const roleMappings = (resourcePath ?? "").includes("/role-mappings");
  if (user.length > 0 && roleMappings)
    return client.length > 0
      ? [{ text: "role mappings of " }, ...client, { text: " of " }, ...user]
      : [{ text: "realm role mappings of " }, ...user];
  if (user.length > 0) return user;
  if (client.length > 0 && mapper.length > 0) return [...mapper, { text: " of " }, ...client];
  return client.length > 0 ? client : null;
}

/** Changes whose path names the user but not what of theirs changed read better as a phrase of their own. */
function summaryOf(
  kind: AdminChangeKind,
  what: NamedPart[],
  verb: string,
  user: NamedPart[],
  title: string,
): NamedPart[] {
  const of = (lead: string, end: string): NamedPart[] =>
    user.length > 0 ? [{ text: `${lead} of ` }, ...user, { text: ` ${end}` }] : [{ text: title }];
  switch (kind) {
    case "user-credentials-changed":
      return of("Credentials or required actions", "changed");
    case "user-sessions-ended":
      return of("Sessions or consents", "ended");
    case "user-lockout-cleared":
      return of("Brute-force lockout", "cleared");
    case "realm-sessions-ended":
    case "realm-updated":
    case "events-config-changed":
      return [{ text: title }];
    default:
      return [...capitalized(what.length > 0 ? what : [{ text: title }]), { text: ` ${verb}` }];
  }
}

function verbOf(kind: AdminChangeKind, operationType: string): string {
  return VERBS[kind] ?? OPERATION_VERBS[operationType] ?? "changed";
}

/** Each pattern's suspects by name, in their stored order (top first). */
export async function suspectViews(
  sql: postgres.Sql,
  items: readonly Suspects[],
  role: Role,
): Promise<SuspectView[][]> {
  const { names, auth } = await loadSuspectNames(sql, items, []);
  return items.map((i) => i.suspects.map((s) => suspectView(s, i.sourceId, i.realm, names, auth, role)));
}

/** Patterns with their scope and top suspect by name. */
export async function patternRows(
  sql: postgres.Sql,
  patterns: readonly PatternSummary[],
  role: Role,
): Promise<PatternRow[]> {
  const userScope = (p: PatternSummary): EntityRef | null =>
    p.scopeKind === "user" && p.scopeValue
      ? { sourceId: p.sourceId, realm: p.realm, kind: "user", id: p.scopeValue }
      : null;
  const items = patterns.map((p) => ({
    sourceId: p.sourceId,
    realm: p.realm,
    suspects: p.topSuspect ? [p.topSuspect] : [],
  }));
  const { names, auth } = await loadSuspectNames(
    sql,
    items,
    patterns.flatMap((p) => userScope(p) ?? []),
  );
  return patterns.map((p) => {
    const user = userScope(p);
    return {
      ...p,
      scopeName:
        p.scopeKind === "client"
          ? p.scopeValue
          : user
            ? maskPersonal(names.entity(user), "username", role)
            : null,
      suspect: p.topSuspect ? suspectView(p.topSuspect, p.sourceId, p.realm, names, auth, role) : null,
    };
  });
}

/** A suspect in the stored shape for the JSON API, with its names filled in as the page shows them. */
export function namedSuspect(s: SuspectedChange, v: SuspectView): SuspectedChange {
  return {
    ...s,
    resourceName: partsText(v.what) || s.resourceName || null,
    by: v.by ? (v.by.name ?? v.by.id) : null,
    reason: partsText(v.reason),
  };
}
