import { need, requireClient } from "@/lib/diagnose/checks/check-support";
import type { LiveCheck } from "@/lib/diagnose/checks/check-types";
import type { ClientRepresentation } from "@/lib/keycloak/representations";

function originOf(uri: string): string | null {
  try {
    const url = new URL(uri.replace(/\*$/, ""));
    return url.protocol === "http:" || url.protocol === "https:" ? url.origin : null;
  } catch {
    return null;
  }
}

/** Keycloak's allowed origins: the Web origins list, `+` adding the origins of the valid redirect URIs. */
function allowedOrigins(client: ClientRepresentation): { any: boolean; origins: Set<string> } {
  const origins = new Set<string>();
  let any = false;
  for (const entry of client.webOrigins ?? []) {
    if (entry === "*") any = true;
    else if (entry === "+") {
      for (const uri of client.redirectUris ?? []) {
        const origin = originOf(uri.startsWith("/") && client.rootUrl ? `${client.rootUrl}${uri}` : uri);
        if (origin) origins.add(origin);
      }
    } else origins.add(entry.replace(/\/+$/, ""));
  }
  return { any, origins };
}

/** Are the origins seen in CORS failures among the client's web origins? */
export const checkWebOrigins: LiveCheck = async (api, ctx) => {
  const seen = need(ctx.origins, "browser origin");
  const client = await requireClient(api, ctx.realm, ctx.clientId);
  const allowed = allowedOrigins(client);
  const list = (client.webOrigins ?? []).join(", ") || "(empty)";
  if (allowed.any) {
    return {
      status: "pass",
      evidence: `Web origins of ${client.clientId} contain *: every origin is allowed (do not keep this in production).`,
    };
  }
  const rejected = seen.filter((o) => !allowed.origins.has(o.replace(/\/+$/, "")));
  if (rejected.length > 0) {
    return {
      status: "fail",
      evidence: `${rejected.join(", ")} ${rejected.length === 1 ? "is" : "are"} not among the web origins of ${client.clientId} (${list}).`,
    };
  }
  return {
    status: "pass",
    evidence: `Every origin seen (${seen.join(", ")}) is allowed by ${client.clientId}'s web origins (${list}).`,
  };
};
