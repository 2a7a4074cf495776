import { need, requireClient } from "@/lib/diagnose/checks/check-support";
import type { LiveCheck } from "@/lib/diagnose/checks/check-types";
import { allowedOrigins } from "@/lib/diagnose/client-for-origins";

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
