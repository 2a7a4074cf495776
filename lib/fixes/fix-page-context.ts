import type postgres from "postgres";
import type { LiveCheckContext } from "@/lib/diagnose/checks/check-types";
import { loadPatternCheckContext } from "@/lib/diagnose/pattern-check-context";
import { fixContextSchema, parseFixContext } from "@/lib/fixes/fix-context";
import { keycloakUrlForRealm, knownKeycloakUrls } from "@/lib/fixes/keycloak-url-for-realm";
import { trustedFixContext, type UntrustedValue } from "@/lib/fixes/trusted-context";
import type { FixContext } from "@/lib/fixes/types";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface FixPageContext {
  /** What the commands may use: the pattern's evidence, known sources, plain names from the link. */
  ctx: FixContext;
  /** What the link carried that the commands do not use, with the reason. */
  untrusted: UntrustedValue[];
  /** The pattern the page was opened from, when it exists: its checks run from its stored evidence. */
  patternId: string | null;
}

/** A pattern's check context as fix-page values: the first (most frequent) origin, redirect URI and issuer. */
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

/**
 * A fix page's context: the link's values checked against what realmwatch itself knows. Without a database
 * (or a sources table) the page still renders, with placeholders where nothing is trusted.
 */
export async function fixPageContext(
  sql: () => postgres.Sql,
  query: Record<string, string | string[] | undefined>,
): Promise<FixPageContext> {
  const fromLink = parseFixContext(query);
  const pattern = Array.isArray(query.pattern) ? query.pattern[0] : query.pattern;
  let knownUrls: string[] = [];
  let evidence: FixContext | undefined;
  let patternId: string | null = null;
  try {
    const db = sql();
    knownUrls = await knownKeycloakUrls(db);
    if (pattern && UUID.test(pattern)) {
      const target = await loadPatternCheckContext(db, pattern).catch(() => null);
      if (target) {
        evidence = fixContextOf(target.context);
        patternId = pattern;
      }
    }
    const realm = evidence?.realm ?? fromLink.realm;
    const linkUrlKnown = fromLink.keycloakUrl !== undefined && knownUrls.includes(fromLink.keycloakUrl);
    if (!linkUrlKnown && realm) {
      const parsed = fixContextSchema.shape.keycloakUrl.safeParse(
        (await keycloakUrlForRealm(db, realm)) ?? undefined,
      );
      if (parsed.success && parsed.data) evidence = { ...evidence, keycloakUrl: parsed.data };
    }
  } catch {
    // No database (or no sources table yet): nothing is known beyond the link.
  }
  const { ctx, untrusted } = trustedFixContext(fromLink, { knownKeycloakUrls: knownUrls, evidence });
  return { ctx, untrusted, patternId };
}
