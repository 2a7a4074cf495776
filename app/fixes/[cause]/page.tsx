import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { CAUSES, isCauseId } from "@/lib/classify/causes";
import { getSql } from "@/lib/db/sql";
import type { LiveCheckContext } from "@/lib/diagnose/checks/check-types";
import { CHECKS_FOR_CAUSE, LIVE_CHECKS } from "@/lib/diagnose/run-live-checks";
import { fixPageContext } from "@/lib/fixes/fix-page-context";
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
  ["clientId", "Client"],
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
  const { ctx, untrusted, patternId } = await fixPageContext(getSql, query);
  const fix = renderFix(cause, ctx);
  const pattern = first(query.pattern);
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
      {fix.placeholders.length > 0 ? (
        <p className="banner" data-testid="fix-placeholders">
          Replace {fix.placeholders.join(", ")} in the commands below with your own names, or open this page
          from a pattern to have them filled in.
        </p>
      ) : null}
      <LiveChecks
        cause={cause}
        patternId={patternId}
        context={liveContext(ctx, first(query.endpoint))}
        checks={CHECKS_FOR_CAUSE[cause].map((id) => ({ id, title: LIVE_CHECKS[id].title }))}
      />
      <FixSections sections={fix.sections} />
    </article>
  );
}
