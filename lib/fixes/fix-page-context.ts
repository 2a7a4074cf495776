import type postgres from "postgres";
import type { LiveCheckContext } from "@/lib/diagnose/checks/check-types";
import { loadEventCheckContext } from "@/lib/diagnose/event-check-context";
import { type CheckTarget, loadPatternCheckContext } from "@/lib/diagnose/pattern-check-context";
import { completeContext } from "@/lib/diagnose/run-live-checks";
import { type EvidenceRow, evidenceRows } from "@/lib/fixes/evidence-rows";
import { fixContextSchema, parseFixContext } from "@/lib/fixes/fix-context";
import { keycloakUrlForRealm, knownKeycloakUrls } from "@/lib/fixes/keycloak-url-for-realm";
import { publicUrlOf } from "@/lib/fixes/public-url";
import { trustedFixContext, type UntrustedValue } from "@/lib/fixes/trusted-context";
import type { FixContext } from "@/lib/fixes/types";
import { isRealmManagementRole } from "@/lib/keycloak/realm-management-roles";
import type { AdminApi, ClientRepresentation } from "@/lib/keycloak/representations";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A page waits this long for Keycloak's answers; past it, the page shows what the stored evidence holds. */
const LIVE_FACTS_TIMEOUT_MS = 4000;

/** What the failures behind the page carried, with counts, and where they were read. */
export interface FixEvidence {
  from: "pattern" | "event";
  failures: number;
  rows: EvidenceRow[];
  sourceName: string | null;
  keycloakVersion: string | null;
}

export interface FixPageContext {
  /** What the commands may use: the stored evidence, known sources, plain names from the link. */
  ctx: FixContext;
  /** What the link carried that the commands do not use, with the reason. */
  untrusted: UntrustedValue[];
  /** The pattern the page was opened from, when it exists: its checks run from its stored evidence. */
  patternId: string | null;
  /** The stored failure the page was opened from (an event page), when it exists. */
  eventId: string | null;
  sourceId: string | null;
  evidence: FixEvidence | null;
}

/** How the page reaches the Admin REST API of the source serving a realm (read-only calls). */
export type AdminApiFor = (realm: string, sourceId: string) => Promise<AdminApi>;

/** A check context as fix-page values: the first (most frequent) origin, redirect URI and issuer. */
function fixContextOf(live: LiveCheckContext): FixContext {
  const out: FixContext = {
    realm: live.realm,
    clientId: live.clientId,
    userId: live.userId,
    username: live.username,
    role: live.role,
    roleClientId: live.roleClientId,
    audience: live.audience,
    scope: live.scope,
    origin: live.origins?.[0],
    redirectUri: live.redirectUris?.[0],
    issuer: live.issuers?.[0],
  };
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined)) as FixContext;
}

function withoutSubject(ctx: FixContext): FixContext {
  const { realm: _realm, clientId: _client, userId: _userId, username: _username, ...rest } = ctx;
  return rest;
}

/** What Keycloak says now about the client and realm of the failures: read-only, best effort. */
interface LiveFacts {
  context: LiveCheckContext;
  client: ClientRepresentation | null;
  role: { id: string; clientUuid: string | undefined } | null;
  frontendUrl: string | null;
  advertisedIssuer: string | null;
}

async function liveFacts(api: AdminApi, context: LiveCheckContext): Promise<LiveFacts> {
  const completed = await completeContext(api, context).catch(() => context);
  const [client, realm, advertisedIssuer, role] = await Promise.all([
    completed.clientId
      ? api.getClientByClientId(completed.realm, completed.clientId).catch(() => null)
      : Promise.resolve(null),
    api.getRealm(completed.realm).catch(() => null),
    api.getAdvertisedIssuer(completed.realm).catch(() => null),
    roleOf(api, completed),
  ]);
  return {
    context: completed,
    client,
    role,
    frontendUrl: realm?.attributes?.frontendUrl?.trim() || null,
    advertisedIssuer,
  };
}

/** The required role's id (and its client's UUID), for the console's role page. */
async function roleOf(api: AdminApi, ctx: LiveCheckContext): Promise<LiveFacts["role"]> {
  if (!ctx.role) return null;
  const owner = ctx.roleClientId ?? (isRealmManagementRole(ctx.role) ? "realm-management" : undefined);
  const client = owner ? await api.getClientByClientId(ctx.realm, owner).catch(() => null) : null;
  if (owner && !client?.id) return null;
  const found = await api.getRole(ctx.realm, ctx.role, client?.id).catch(() => null);
  return found?.id ? { id: found.id, clientUuid: client?.id } : null;
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T | null> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), ms);
  });
  return Promise.race([work.catch(() => null), late]).finally(() => clearTimeout(timer));
}

async function loadTarget(
  db: postgres.Sql,
  query: Record<string, string | string[] | undefined>,
): Promise<{ target: CheckTarget; from: "pattern" | "event"; id: string } | null> {
  const pick = (key: string) => {
    const v = query[key];
    return (Array.isArray(v) ? v[0] : v)?.trim();
  };
  const pattern = pick("pattern");
  if (pattern && UUID.test(pattern)) {
    const target = await loadPatternCheckContext(db, pattern).catch(() => null);
    if (target) return { target, from: "pattern", id: pattern };
  }
  const event = pick("event");
  const source = pick("source");
  if (event && event.length <= 255) {
    const target = await loadEventCheckContext(
      db,
      event,
      source && UUID.test(source) ? source : undefined,
    ).catch(() => null);
    if (target) return { target, from: "event", id: event };
  }
  return null;
}

async function sourceInfo(db: postgres.Sql, sourceId: string) {
  const [row] = await db<{ name: string; detected_version: string | null }[]>`
    select name, detected_version from sources where id = ${sourceId}::uuid`;
  return { sourceName: row?.name ?? null, keycloakVersion: row?.detected_version ?? null };
}

/**
 * A fix page's context: the link's values checked against what realmwatch itself knows. Opened from a pattern
 * (`pattern=`) or a stored failure (`event=`, `source=`), the values come from what the failures carried, the
 * client the browser origin points at, the client's UUID and the realm's public URL as Keycloak tells them now.
 * Without a database (or a sources table) the page still renders, with placeholders where nothing is trusted.
 */
export async function fixPageContext(
  sql: () => postgres.Sql,
  query: Record<string, string | string[] | undefined>,
  adminApiFor?: AdminApiFor,
): Promise<FixPageContext> {
  const fromLink = parseFixContext(query);
  let knownUrls: string[] = [];
  let evidenceCtx: FixContext | undefined;
  let evidence: FixEvidence | null = null;
  let opened: { from: "pattern" | "event"; id: string; sourceId: string } | null = null;
  try {
    const db = sql();
    knownUrls = await knownKeycloakUrls(db);
    const loaded = await loadTarget(db, query);
    if (loaded) {
      const { target } = loaded;
      opened = { from: loaded.from, id: loaded.id, sourceId: target.sourceId };
      const api = adminApiFor
        ? await adminApiFor(target.context.realm, target.sourceId).catch(() => null)
        : null;
      const facts = api ? await withTimeout(liveFacts(api, target.context), LIVE_FACTS_TIMEOUT_MS) : null;
      const context = facts?.context ?? target.context;
      evidenceCtx = fixContextOf(context);
      if (facts?.client) evidenceCtx.clientUuid = facts.client.id;
      if (facts?.role) {
        evidenceCtx.roleId = facts.role.id;
        if (facts.role.clientUuid) evidenceCtx.roleClientUuid = facts.role.clientUuid;
      }
      const syncUrl = await keycloakUrlForRealm(db, context.realm);
      const publicUrl = publicUrlOf({
        frontendUrl: facts?.frontendUrl ?? null,
        issuers: context.issuers ?? [],
        advertisedIssuer: facts?.advertisedIssuer ?? null,
        syncUrl,
      });
      if (publicUrl) evidenceCtx.publicUrl = publicUrl.url;
      const source = await sourceInfo(db, target.sourceId);
      const version = fixContextSchema.shape.keycloakVersion.safeParse(source.keycloakVersion ?? undefined);
      if (version.success && version.data) evidenceCtx.keycloakVersion = version.data;
      evidence = {
        from: loaded.from,
        failures: target.failures,
        rows: evidenceRows(target.values, context, facts?.client ?? null, publicUrl),
        ...source,
      };
    }
    const realm = evidenceCtx?.realm ?? fromLink.realm;
    const linkUrlKnown = fromLink.keycloakUrl !== undefined && knownUrls.includes(fromLink.keycloakUrl);
    if (!linkUrlKnown && realm) {
      const parsed = fixContextSchema.shape.keycloakUrl.safeParse(
        (await keycloakUrlForRealm(db, realm)) ?? undefined,
      );
      if (parsed.success && parsed.data) evidenceCtx = { ...evidenceCtx, keycloakUrl: parsed.data };
    }
  } catch {
    // No database (or no sources table yet): nothing is known beyond the link.
  }
  // Opened from a stored pattern or failure, the link's realm, client and user are the ones the pattern link
  // put there from the same record: the evidence decides them (a token exchange's checks look at the subject
  // token's client, not at the exchanging client the pattern is filed under).
  const linkValues = opened ? withoutSubject(fromLink) : fromLink;
  const { ctx, untrusted } = trustedFixContext(linkValues, {
    knownKeycloakUrls: knownUrls,
    evidence: evidenceCtx,
  });
  return {
    ctx,
    untrusted,
    patternId: opened?.from === "pattern" ? opened.id : null,
    eventId: opened?.from === "event" ? opened.id : null,
    sourceId: opened?.sourceId ?? null,
    evidence,
  };
}
