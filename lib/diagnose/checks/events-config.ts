import type { LiveCheck } from "@/lib/diagnose/checks/check-types";
import { RECOMMENDED_EVENT_TYPES } from "@/lib/keycloak/events-config";

/** Does the realm save events at all, and the denial types among them? */
export const checkEventsConfig: LiveCheck = async (api, ctx) => {
  const config = await api.getEventsConfig(ctx.realm);
  if (config.eventsEnabled !== true) {
    return {
      status: "fail",
      evidence: `Realm ${ctx.realm} does not save user events (Save events is off): failures reach only the jboss-logging listener and the metrics.`,
    };
  }
  // GET events/config lists the saved-by-default types when the realm names none, so this list is what is saved.
  const enabled = new Set(config.enabledEventTypes ?? []);
  const missing = RECOMMENDED_EVENT_TYPES.filter((t) => !enabled.has(t));
  if (missing.length > 0) {
    return {
      status: "fail",
      evidence: `Realm ${ctx.realm} saves events, but not ${missing.join(", ")}: the userinfo, introspection, refresh and permission denials of those types are lost.`,
    };
  }
  return {
    status: "pass",
    evidence: `Realm ${ctx.realm} saves events, including ${RECOMMENDED_EVENT_TYPES.join(", ")}.`,
  };
};
