import { z } from "zod";
import { route } from "@/lib/auth/route";
import { getSql } from "@/lib/db/sql";
import { idParams, textPart } from "@/lib/server/query-params";
import { enableEventTypes } from "@/lib/sources/enable-event-types";

export const dynamic = "force-dynamic";

const body = z.object({
  realm: textPart,
  confirm: z.literal(true, {
    message: "must be true: this changes the realm's events configuration in Keycloak",
  }),
});

/**
 * POST /api/sources/<id>/events-config {realm, confirm: true}: adds the recommended 403-relevant event types to
 * the realm's saved types (needs manage-events), writing that field only. Answers the types added; Keycloak's
 * refusal comes back as a 502 whose message names the missing role, or carries Keycloak's own 400 text.
 */
export const POST = route({ params: idParams, body }, async ({ params, body: { realm } }) => ({
  realm,
  added: await enableEventTypes(getSql(), params.id, realm),
}));
