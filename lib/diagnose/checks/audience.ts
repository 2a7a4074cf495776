import {
  Conclusion,
  need,
  requireClient,
  requireSubject,
  splitScope,
} from "@/lib/diagnose/checks/check-support";
import type { LiveCheck } from "@/lib/diagnose/checks/check-types";
import type { ProtocolMapperRepresentation } from "@/lib/keycloak/representations";

const AUDIENCE_MAPPER = "oidc-audience-mapper";

/** An Audience mapper writing `audience` into access tokens (a missing access.token.claim counts as on). */
function addsAudience(mapper: ProtocolMapperRepresentation, audience: string): boolean {
  const config = mapper.config ?? {};
  return (
    mapper.protocolMapper === AUDIENCE_MAPPER &&
    (config["included.client.audience"] === audience || config["included.custom.audience"] === audience) &&
    config["access.token.claim"] !== "false"
  );
}

/**
 * Does something put the API into aud of the client's tokens: an Audience mapper on the client, in a
 * default client scope, in an optional scope the client requests, or Audience Resolve through a client
 * role of the API that the subject holds?
 */
export const checkAudience: LiveCheck = async (api, ctx) => {
  const audience = need(ctx.audience, "target API (audience)");
  const client = await requireClient(api, ctx.realm, ctx.clientId);
  const [own, defaults, optional, scopes] = await Promise.all([
    api.listProtocolMappers(ctx.realm, client.id),
    api.listDefaultClientScopes(ctx.realm, client.id),
    api.listOptionalClientScopes(ctx.realm, client.id),
    api.listClientScopes(ctx.realm),
  ]);
  const mapper = own.find((m) => addsAudience(m, audience));
  if (mapper) {
    return {
      status: "pass",
      evidence: `The Audience mapper ${mapper.name} of ${client.clientId} adds ${audience} to aud.`,
    };
  }
  const byId = new Map(scopes.map((s) => [s.id, s]));
  const scopeWith = (list: { id: string }[]) =>
    list.map((s) => byId.get(s.id)).find((s) => s?.protocolMappers?.some((m) => addsAudience(m, audience)));
  const inDefault = scopeWith(defaults);
  if (inDefault) {
    return {
      status: "pass",
      evidence: `The default client scope ${inDefault.name} adds ${audience} to aud.`,
    };
  }
  const inOptional = scopeWith(optional);
  if (inOptional && splitScope(ctx.scope).includes(inOptional.name)) {
    return {
      status: "pass",
      evidence: `The optional client scope ${inOptional.name}, which the client requests, adds ${audience} to aud.`,
    };
  }
  const audienceClient = await api.getClientByClientId(ctx.realm, audience);
  const rolesScope = defaults.some((s) => s.name === "roles");
  if (audienceClient && rolesScope) {
    // No user and no service account: Audience Resolve cannot be judged, the mappers decide alone.
    const subject = await requireSubject(api, ctx).catch((err) => {
      if (err instanceof Conclusion) return null;
      throw err;
    });
    if (subject) {
      const held = await api.listUserClientRoles(ctx.realm, subject.id, audienceClient.id, true);
      if (held.length > 0) {
        return {
          status: "pass",
          evidence: `No Audience mapper, but ${subject.label} holds client roles of ${audience} (${held.map((r) => r.name).join(", ")}), so Audience Resolve adds it to aud.`,
        };
      }
    }
  }
  if (inOptional) {
    return {
      status: "fail",
      evidence: `Only the optional client scope ${inOptional.name} adds ${audience}, and the client does not request it: send scope=${inOptional.name}, or make it a default scope.`,
    };
  }
  return {
    status: "fail",
    evidence: `Nothing adds ${audience} to aud of ${client.clientId}'s tokens: no Audience mapper on the client or in its client scopes${audienceClient ? "" : `, and realm ${ctx.realm} has no client ${audience} for Audience Resolve`}. Add an Audience mapper with Included Client Audience ${audience}.`,
  };
};
