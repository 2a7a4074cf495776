import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getPageViewer } from "@/lib/auth/get-viewer";
import { forViewer } from "@/lib/auth/viewer-boundary";
import { CAUSES, isCauseId } from "@/lib/classify/causes";
import { getSql } from "@/lib/db/sql";
import type { LiveCheckContext } from "@/lib/diagnose/checks/check-types";
import { CHECKS_FOR_CAUSE, LIVE_CHECKS } from "@/lib/diagnose/run-live-checks";
import { type AdminApiFor, type FixEvidence, fixPageContext } from "@/lib/fixes/fix-page-context";
import { PLACEHOLDER_HINTS } from "@/lib/fixes/placeholder-hints";
import { renderFix } from "@/lib/fixes/render-fix";
import type { FixContext } from "@/lib/fixes/types";
import { FixSections } from "./fix-sections";
import { LiveChecks } from "./live-checks";

type Params = Promise<{ cause: string }>;
type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { cause } = await params;
  return { title: isCauseId(cause) ? `Fix: ${CAUSES[cause].title}` : "Fix" };
}

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/** The live-check context the page can give: the fix context plus what the failures showed. */
function liveContext(ctx: FixContext, endpoint: string | undefined): LiveCheckContext | null {
  if (!ctx.realm) return null;
  return {
    realm: ctx.realm,
    clientId: ctx.clientId,
    username: ctx.username,
    userId: ctx.userId,
    role: ctx.role,
    roleClientId: ctx.roleClientId,
    audience: ctx.audience,
    scope: ctx.scope,
    endpoint: endpoint === "userinfo" || endpoint === "api" ? endpoint : undefined,
    origins: ctx.origin ? [ctx.origin] : undefined,
    redirectUris: ctx.redirectUri ? [ctx.redirectUri] : undefined,
    issuers: ctx.issuer ? [ctx.issuer] : undefined,
  };
}

const CONTEXT_LABELS: [keyof FixContext, string][] = [
  ["realm", "Realm"],
  ["publicUrl", "Public URL"],
  ["clientId", "Client"],
  ["clientUuid", "Client UUID"],
  ["username", "User"],
  ["userId", "User id"],
  ["role", "Role"],
  ["roleClientId", "Role of client"],
  ["audience", "API (audience)"],
  ["scope", "Scope"],
  ["origin", "Origin"],
  ["redirectUri", "Redirect URI"],
  ["issuer", "Issuer"],
];

/** The page reads Keycloak (read-only) through the source serving the realm: the client's UUID, the public URL. */
const adminApiFor: AdminApiFor = async (realm, sourceId) => {
  const { adminApiForRealm } = await import("@/lib/diagnose/admin-api-for-realm");
  return (await adminApiForRealm(getSql(), realm, sourceId)).api;
};

/** What the failures carried, with counts, and what Keycloak holds now next to it. */
function EvidencePanel({ evidence }: { evidence: FixEvidence }) {
  const what = evidence.from === "pattern" ? `the pattern's ${evidence.failures} failures` : "this failure";
  return (
    <section className="card" data-testid="fix-evidence" aria-labelledby="fix-evidence-title">
      <h2 id="fix-evidence-title">What the failures carry</h2>
      <p className="muted">
        Read from {what}
        {evidence.sourceName ? ` (source ${evidence.sourceName}` : ""}
        {evidence.sourceName && evidence.keycloakVersion ? `, Keycloak ${evidence.keycloakVersion}` : ""}
        {evidence.sourceName ? ")" : ""}. Counts are failures carrying the value; values marked "now" are read
        from Keycloak as it is now.
      </p>
      <dl className="kv">
        {evidence.rows.map((row) => [
          <dt key={`${row.key}-label`}>{row.label}</dt>,
          <dd key={row.key} data-testid={`evidence-${row.key}`}>
            {row.values.map((v, i) => (
              <span key={v.value}>
                {i > 0 ? ", " : null}
                <code>{v.value}</code>
                {v.count !== null ? <span className="muted"> ×{v.count}</span> : null}
              </span>
            ))}
          </dd>,
        ])}
        {evidence.keycloakVersion
          ? null
          : [
              <dt key="version-label">Keycloak version</dt>,
              <dd key="version">
                not detected: the version shows on the Sources page once realmwatch's account may read it (the
                master realm's admins, or view-system)
              </dd>,
            ]}
      </dl>
    </section>
  );
}

/** GET /fixes/{cause}?realm=&client=&user=&role=&audience=&pattern= : the guided fix page of a cause. */
export default async function FixPage({
  params,
  searchParams,
}: {
  params: Params;
  searchParams: SearchParams;
}) {
  const { cause } = await params;
  if (!isCauseId(cause)) notFound();
  const query = await searchParams;
  const { role } = await getPageViewer();
  const loaded = await fixPageContext(getSql, query, adminApiFor);
  // Through the viewer boundary like every page's data: a viewer's page names no one (lib/auth/viewer-boundary.ts).
  const { ctx, untrusted, patternId, eventId, sourceId, evidence, fix } = await forViewer(
    { ...loaded, fix: renderFix(cause, loaded.ctx) },
    role,
    getSql,
  );
  const pattern = patternId ?? first(query.pattern);
  const known = CONTEXT_LABELS.filter(([field]) => ctx[field] !== undefined);
  const labelOf = (field: keyof FixContext) =>
    field === "keycloakUrl" ? "Keycloak URL" : (CONTEXT_LABELS.find(([f]) => f === field)?.[1] ?? field);
  return (
    <article data-testid="fix-page" data-cause={cause}>
      <div className="page-head">
        <div>
          <h1>{fix.title}</h1>
          <p className="muted">{fix.summary}</p>
        </div>
        {pattern && /^[\w-]{1,64}$/.test(pattern) ? (
          <a href={`/patterns/${pattern}`}>Back to the pattern</a>
        ) : null}
      </div>
      {known.length > 0 ? (
        <dl className="card kv" data-testid="fix-context">
          {known.map(([field, label]) => [
            <dt key={`${field}-label`}>{label}</dt>,
            <dd key={field}>
              <code>{ctx[field]}</code>
            </dd>,
          ])}
        </dl>
      ) : null}
      {untrusted.length > 0 ? (
        <div className="banner" data-testid="fix-untrusted">
          <p>
            These values came with the link and are not used in the commands below (each keeps a placeholder):
          </p>
          <ul>
            {untrusted.map((u) => (
              <li key={u.field}>
                {labelOf(u.field)} <code>{u.value}</code>: {u.reason}.
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {evidence ? <EvidencePanel evidence={evidence} /> : null}
      {fix.placeholders.length > 0 ? (
        <div className="banner" data-testid="fix-placeholders">
          <p>
            {evidence
              ? "The failures do not carry these values; replace them in the commands below:"
              : "Replace these in the commands below, or open this page from a pattern or an event to have them filled in:"}
          </p>
          <ul>
            {fix.placeholders.map((p) => (
              <li key={p}>
                <code>{p}</code>: {PLACEHOLDER_HINTS[p as keyof typeof PLACEHOLDER_HINTS] ?? "your own value"}
                .
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <LiveChecks
        cause={cause}
        patternId={patternId}
        event={eventId && sourceId ? { eventId, sourceId } : null}
        context={liveContext(ctx, first(query.endpoint))}
        checks={CHECKS_FOR_CAUSE[cause].map((id) => ({ id, title: LIVE_CHECKS[id].title }))}
      />
      <FixSections sections={fix.sections} />
    </article>
  );
}
