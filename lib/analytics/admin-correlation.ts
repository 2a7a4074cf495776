import { type AdminChange, type AdminChangeKind, classifyAdminChange } from "@/lib/analytics/admin-change";
import {
  ADMIN_CHANGE_RELEVANCE,
  EVENTS_CONFIG_RELEVANCE,
  RELEVANT_FIELDS,
  type Relevance,
  UNKNOWN_CAUSE_RELEVANCE,
} from "@/lib/analytics/admin-relevance";
import {
  booleanField,
  changedFields,
  parseRepresentation,
  roleNames,
  stringField,
} from "@/lib/analytics/admin-representation";
import { isCauseId } from "@/lib/classify/causes";

/** What is known about a spike: when it began and who and what it hit, each with its share of the increase. */
export interface SpikeContext {
  /** When the spike began. */
  onset: number;
  /** Changes up to this instant may still explain it (default: the end of the onset hour). */
  latest?: number;
  causes: readonly { cause: string; share: number }[];
  /** Human clientIds, with the internal UUID where known (admin events name clients by UUID). */
  clients: readonly { clientId: string; uuid?: string | null; share: number }[];
  users: readonly { userId: string; username?: string | null; share: number }[];
  /**
   * Clients the failures name without being the caller: the audience or API a token was refused by, the client
   * that issued an exchanged token, the owner of a required client role. A change to one of them explains the
   * failures as well as a change to the caller.
   */
  relatedClients?: readonly { clientId: string; uuid?: string | null }[];
  /** Event types in the spike (USER_INFO_REQUEST_ERROR...), to recognise a just-enabled event type. */
  eventTypes?: readonly string[];
}

/**
 * Names of what admin events name by internal id (clients, users, roles, mappers, client scopes, groups), from
 * stored names and representations; every lookup may miss.
 */
export interface NameBook {
  client?(uuid: string): string | undefined;
  user?(id: string): string | undefined;
  role?(id: string): string | undefined;
  mapper?(id: string): string | undefined;
  clientScope?(id: string): string | undefined;
  group?(id: string): string | undefined;
}

export interface AdminEventInput {
  id: string;
  time: number;
  operationType: string;
  resourceType?: string | null;
  resourcePath?: string | null;
  representation?: string | null;
  /** The representation of the same resource before this change, when the caller looked it up. */
  previousRepresentation?: string | null;
  /** The admin who made the change: username when known, else the user id. */
  by?: string | null;
}

export interface SuspectedChange {
  adminEventId: string;
  time: number;
  operationType: string;
  resourceType: string | null;
  resourcePath: string | null;
  /** What was changed, by name: "mapper gateway-audience of client internal-portal". */
  resourceName: string | null;
  /** The admin who changed it (username, or id when no name is known). */
  by: string | null;
  kind: AdminChangeKind;
  /** 0..1, for ranking. */
  score: number;
  reason: string;
  /** Representation fields this change altered, when the previous representation was known. */
  changedFields?: string[];
}

/**
 * A change counts fully when it touched a client or user behind all of the increase, half when behind a sliver
 * of it; a change to a client or user not in the spike barely counts (roles of another client still can: an
 * API's client roles are checked in tokens that other clients requested). Realm-wide changes touch everyone.
 * The gap before the spike halves the score every 6 hours: most configuration incidents start within minutes
 * (the next token), some at the next login wave (the next morning).
 */
export const CORRELATION_SETTINGS = {
  lookbackMs: 24 * 3_600_000,
  halfLifeMs: 6 * 3_600_000,
  onsetHourMs: 3_600_000,
  minScore: 0.05,
  limit: 10,
  unrelatedClient: 0.15,
  unrelatedClientRoles: 0.5,
  unrelatedUser: 0.05,
  unknownScope: 0.4,
  irrelevantFields: 0.2,
  /** A change to a client the failures name without calling (audience, exchanged token's client, role owner). */
  relatedClient: 0.9,
  /** A change made after the first failure can still be the cause (the start is known to the hour), but rarely. */
  afterOnset: 0.3,
} as const;

/** Admin events before a spike ranked by how likely each caused it, with a reason sentence each. */
export function correlateAdminEvents(
  spike: SpikeContext,
  events: readonly AdminEventInput[],
  settings: Partial<typeof CORRELATION_SETTINGS> = {},
  book: NameBook = {},
): SuspectedChange[] {
  const s = { ...CORRELATION_SETTINGS, ...settings };
  const latest = spike.latest ?? spike.onset + s.onsetHourMs;
  const names = clientNames(spike, events, book);
  const previousByPath = new Map<string, string>();
  const scored: SuspectedChange[] = [];

  for (const event of [...events].sort((a, b) => a.time - b.time)) {
    const path = typeof event.resourcePath === "string" ? event.resourcePath : null;
    const previous = event.previousRepresentation ?? (path ? previousByPath.get(path) : undefined);
    if (path && event.representation) previousByPath.set(path, event.representation);
    if (!Number.isFinite(event.time) || event.time < spike.onset - s.lookbackMs || event.time > latest)
      continue;

    const change = classifyAdminChange(event);
    const rep = parseRepresentation(event.representation);
    // Only an UPDATE replaces a representation with a newer one of the same resource.
    const fields =
      previous && event.operationType === "UPDATE"
        ? changedFields(parseRepresentation(previous), rep)
        : undefined;
    const relevance = relevanceOf(change.kind, spike, fields, rep, s.irrelevantFields);
    if (!relevance) continue;
    const scope = scopeOf(change, spike, names, s);
    const gap = Math.max(0, spike.onset - event.time);
    const after = event.time > spike.onset ? s.afterOnset : 1;
    const score = relevance.weight * scope.factor * after * 0.5 ** (gap / s.halfLifeMs);
    if (score < s.minScore) continue;

    const what = describe(change, event, rep, names, spike, book);
    const fieldNote = fields?.length
      ? ` (${fields.slice(0, 4).join(", ")}${fields.length > 4 ? ", ..." : ""})`
      : "";
    const reason = `${what}${fieldNote} ${when(event.time, spike.onset)}; ${relevance.why}.${scope.note ? ` ${scope.note}` : ""}`;
    scored.push({
      adminEventId: event.id,
      time: event.time,
      operationType: event.operationType,
      resourceType: event.resourceType ?? null,
      resourcePath: path,
      resourceName: resourceNameOf(change, event, rep, names, spike, book),
      by: event.by ?? null,
      kind: change.kind,
      score: Math.round(score * 1000) / 1000,
      reason,
      ...(fields ? { changedFields: fields } : {}),
    });
  }
  return scored.sort((a, b) => b.score - a.score || b.time - a.time).slice(0, s.limit);
}

/** The spike's causes weighted by their share; the reason quotes the cause contributing most. */
function relevanceOf(
  kind: AdminChangeKind,
  spike: SpikeContext,
  fields: string[] | undefined,
  rep: ReturnType<typeof parseRepresentation>,
  irrelevantFields: number,
): Relevance | undefined {
  if (kind === "events-config-changed") {
    const enabled = rep && typeof rep === "object" && !Array.isArray(rep) ? rep.enabledEventTypes : undefined;
    const justEnabled =
      Array.isArray(enabled) && (spike.eventTypes ?? []).some((type) => enabled.includes(type));
    return justEnabled ? { ...EVENTS_CONFIG_RELEVANCE, weight: 1 } : EVENTS_CONFIG_RELEVANCE;
  }
  const causes = spike.causes.filter((c) => c.share > 0);
  const totalShare = causes.reduce((sum, c) => sum + c.share, 0);
  let weight = 0;
  let best: Relevance | undefined;
  let bestContribution = 0;
  for (const { cause, share } of causes.length > 0 ? causes : [{ cause: "unknown", share: 1 }]) {
    let relevance = isCauseId(cause) ? ADMIN_CHANGE_RELEVANCE[cause][kind] : undefined;
    if (!relevance && (!isCauseId(cause) || cause === "unknown") && kind !== "other") {
      relevance = UNKNOWN_CAUSE_RELEVANCE;
    }
    if (!relevance) continue;
    if (fields && isCauseId(cause) && RELEVANT_FIELDS[cause].length > 0) {
      const hit = fields.some((f) => RELEVANT_FIELDS[cause].includes(f));
      relevance = hit
        ? { ...relevance, weight: 1 }
        : { ...relevance, weight: relevance.weight * irrelevantFields };
    }
    const contribution = relevance.weight * (totalShare > 0 ? share / totalShare : 1);
    weight += contribution;
    if (contribution > bestContribution) {
      bestContribution = contribution;
      best = relevance;
    }
  }
  return best && weight > 0 ? { weight, why: best.why } : undefined;
}

function scopeOf(
  change: AdminChange,
  spike: SpikeContext,
  names: Map<string, string>,
  s: typeof CORRELATION_SETTINGS,
): { factor: number; note: string } {
  if (change.userId) {
    const user = spike.users.find((u) => u.userId === change.userId);
    if (user) return { factor: 0.5 + 0.5 * clampShare(user.share), note: shareNote("The user", user.share) };
    return { factor: spike.users.length === 0 ? s.unknownScope : s.unrelatedUser, note: "" };
  }
  if (change.clientUuid) {
    const clientId = names.get(change.clientUuid);
    const client = spike.clients.find(
      (c) => c.uuid === change.clientUuid || (clientId !== undefined && c.clientId === clientId),
    );
    if (client)
      return { factor: 0.5 + 0.5 * clampShare(client.share), note: shareNote("The client", client.share) };
    const related = (spike.relatedClients ?? []).find(
      (c) => c.uuid === change.clientUuid || (clientId !== undefined && c.clientId === clientId),
    );
    if (related) return { factor: s.relatedClient, note: `The failures name client ${related.clientId}.` };
    if (spike.clients.length === 0) return { factor: s.unknownScope, note: "" };
    const rolesOfAnother =
      change.kind === "client-role-changed" || change.kind === "client-scope-mapping-changed";
    return { factor: rolesOfAnother ? s.unrelatedClientRoles : s.unrelatedClient, note: "" };
  }
  return { factor: 1, note: "" };
}

function shareNote(who: string, share: number): string {
  return `${who} accounts for ${Math.round(clampShare(share) * 100)}% of the increase.`;
}

function clampShare(share: number): number {
  return Number.isFinite(share) ? Math.min(1, Math.max(0, share)) : 0;
}

/** Client UUID to clientId: stored names, client representations among the events, the spike's own clients. */
function clientNames(
  spike: SpikeContext,
  events: readonly AdminEventInput[],
  book: NameBook,
): Map<string, string> {
  const names = new Map<string, string>();
  for (const event of events) {
    const change = classifyAdminChange(event);
    for (const uuid of [change.clientUuid, change.roleClientUuid]) {
      const known = uuid ? book.client?.(uuid) : undefined;
      if (uuid && known) names.set(uuid, known);
    }
    if (!change.clientUuid || change.kind !== "client-updated") continue;
    const clientId = stringField(parseRepresentation(event.representation), "clientId");
    if (clientId) names.set(change.clientUuid, clientId);
  }
  for (const c of [...spike.clients, ...(spike.relatedClients ?? [])])
    if (c.uuid) names.set(c.uuid, c.clientId);
  return names;
}

/**
 * The changed object by name. Keycloak's resourcePath holds internal ids (clients/<uuid>/protocol-mappers/models/
 * <uuid>); a person reads "mapper gateway-audience of client internal-portal".
 */
function resourceNameOf(
  change: AdminChange,
  event: AdminEventInput,
  rep: ReturnType<typeof parseRepresentation>,
  names: Map<string, string>,
  spike: SpikeContext,
  book: NameBook,
): string | null {
  const segments = (event.resourcePath ?? "")
    .split("?")[0]!
    .split("/")
    .filter((x) => x !== "");
  const client = (uuid: string | undefined) =>
    uuid ? `client ${names.get(uuid) ?? book.client?.(uuid) ?? uuid}` : undefined;
  const user = (id: string | undefined) =>
    id
      ? `user ${spike.users.find((u) => u.userId === id)?.username ?? book.user?.(id) ?? stringField(rep, "username") ?? id}`
      : undefined;
  const roles = roleNames(rep).slice(0, 3);
  const [head, id, part, sub, subId] = segments;
  if (head === "users" && id) {
    const who = user(id)!;
    if (part === "role-mappings") {
      const owner = change.roleClientUuid ? ` of ${client(change.roleClientUuid)}` : " (realm roles)";
      return roles.length > 0
        ? `roles ${roles.join(", ")}${owner} of ${who}`
        : `role mappings${owner} of ${who}`;
    }
    if (part === "groups" && sub) return `group ${book.group?.(sub) ?? sub} of ${who}`;
    return who;
  }
  if (head === "clients" && id) {
    const owner = client(id)!;
    if (part === "protocol-mappers" && sub === "models" && subId) {
      const mapper = book.mapper?.(subId) ?? stringField(rep, "name");
      return mapper ? `mapper ${mapper} of ${owner}` : `a protocol mapper of ${owner}`;
    }
    if (part === "roles" && sub) return `role ${sub} of ${owner}`;
    if ((part === "default-client-scopes" || part === "optional-client-scopes") && sub)
      return `client scope ${book.clientScope?.(sub) ?? sub} of ${owner}`;
    if (part === "scope-mappings")
      return roles.length > 0 ? `scope of ${owner}: ${roles.join(", ")}` : `scope of ${owner}`;
    if (part === "authz") return `authorization settings of ${owner}`;
    if (part === "client-secret") return `secret of ${owner}`;
    return owner;
  }
  if (head === "client-scopes" && id) {
    const scope = book.clientScope?.(id) ?? stringField(rep, "name") ?? id;
    if (part === "protocol-mappers" && sub === "models" && subId)
      return `mapper ${book.mapper?.(subId) ?? subId} of client scope ${scope}`;
    return `client scope ${scope}`;
  }
  if (head === "roles-by-id" && id) return `role ${book.role?.(id) ?? stringField(rep, "name") ?? id}`;
  if (head === "roles" && id) return `realm role ${id}`;
  if (head === "groups" && id) return `group ${book.group?.(id) ?? stringField(rep, "name") ?? id}`;
  if (change.kind === "realm-updated" || change.kind === "events-config-changed") return "realm settings";
  if (segments.length > 0) return segments.join("/");
  return event.resourceType ?? null;
}

const VERB = new Map([
  ["CREATE", "created"],
  ["UPDATE", "updated"],
  ["DELETE", "deleted"],
]);

function describe(
  change: AdminChange,
  event: AdminEventInput,
  rep: ReturnType<typeof parseRepresentation>,
  names: Map<string, string>,
  spike: SpikeContext,
  book: NameBook,
): string {
  const verb = VERB.get(event.operationType) ?? "changed";
  const user = change.userId
    ? `user ${spike.users.find((u) => u.userId === change.userId)?.username ?? book.user?.(change.userId) ?? stringField(rep, "username") ?? change.userId}`
    : "a user";
  const client = change.clientUuid
    ? `client ${names.get(change.clientUuid) ?? stringField(rep, "clientId") ?? change.clientUuid}`
    : "a client";
  const roles = roleNames(rep).slice(0, 3);
  const roleList = roles.length > 0 ? ` (${roles.join(", ")})` : "";
  const scopeName = stringField(rep, "name");
  const phrases: Record<AdminChangeKind, () => string> = {
    "user-role-mapping-removed": () => `Role mapping removed from ${user}${roleList}`,
    "user-role-mapping-added": () => `Role mapping added to ${user}${roleList}`,
    "user-group-left": () => `${cap(user)} removed from a group`,
    "user-group-joined": () => `${cap(user)} added to a group`,
    "user-updated": () =>
      `${cap(user)} updated${booleanField(rep, "enabled") === false ? " (disabled)" : ""}`,
    "user-created": () => `${cap(user)} created`,
    "user-deleted": () => `${cap(user)} deleted`,
    "user-credentials-changed": () => `Credentials of ${user} ${verb}`,
    "user-sessions-ended": () => `Sessions or consents of ${user} ended`,
    "user-lockout-cleared": () =>
      change.userId ? `Brute-force lockout cleared for ${user}` : "Lockouts cleared",
    "client-created": () => `${cap(client)} created`,
    "client-updated": () => `${cap(client)} updated`,
    "client-deleted": () => `${cap(client)} deleted`,
    "client-secret-changed": () => `Credentials of ${client} ${verb === "changed" ? "regenerated" : verb}`,
    "client-role-changed": () => {
      const [, , part, role] = (event.resourcePath ?? "").split("/");
      return part === "roles" && role ? `Role ${role} of ${client} ${verb}` : `A role of ${client} ${verb}`;
    },
    "client-mapper-changed": () => {
      const [, , , , mapperId] = (event.resourcePath ?? "").split("/");
      const mapper = (mapperId ? book.mapper?.(mapperId) : undefined) ?? stringField(rep, "name");
      return mapper
        ? `Protocol mapper ${mapper} of ${client} ${verb}`
        : `A protocol mapper of ${client} ${verb}`;
    },
    "client-scope-mapping-changed": () => `Scope mappings of ${client} ${verb}`,
    "client-scopes-assigned-changed": () =>
      `Client scopes of ${client} ${verb === "deleted" ? "reduced" : verb}`,
    "client-authz-changed": () => `Authorization settings of ${client} ${verb}`,
    "realm-updated": () => "Realm settings updated",
    "events-config-changed": () => "Realm events configuration updated",
    "realm-role-changed": () => {
      const [head, id] = (event.resourcePath ?? "").split("/");
      const role = head === "roles" ? id : id ? (book.role?.(id) ?? stringField(rep, "name")) : undefined;
      return role ? `Realm role ${role} ${verb}` : `A realm role ${verb}`;
    },
    "group-changed": () => `A group ${verb}`,
    "client-scope-changed": () => `Client scope ${scopeName ?? ""} ${verb}`.replace("  ", " "),
    "realm-default-scopes-changed": () => `Realm default client scopes ${verb}`,
    "component-changed": () => `A realm component (keys or user federation) ${verb}`,
    "realm-sessions-ended": () => "Sessions of the realm signed out or a not-before policy pushed",
    "identity-provider-changed": () => `An identity provider ${verb}`,
    "authentication-flow-changed": () => `An authentication flow ${verb}`,
    other: () =>
      `${event.operationType} ${event.resourceType ?? "resource"} ${event.resourcePath ?? ""}`.trim(),
  };
  return phrases[change.kind]();
}

function cap(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function when(time: number, onset: number): string {
  if (time > onset) return "during the first hour of the spike";
  const minutes = Math.round((onset - time) / 60_000);
  if (minutes < 1) return "as the spike began";
  if (minutes < 90) return `${minutes} minute${minutes === 1 ? "" : "s"} before the spike`;
  const hours = Math.round(minutes / 60);
  return `${hours} hours before the spike`;
}
