import { z } from "zod";
import { getSql } from "@/lib/db/sql";
import { idParam, textPart } from "@/lib/server/query-params";
import { readJson } from "@/lib/server/read-json";
import { json, withErrors } from "@/lib/server/respond";
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
 * the realm's saved types (needs manage-events). Answers the types added; Keycloak's refusal comes back as a 502
 * whose message names the missing role.
 */
export const POST = withErrors(async (req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const id = idParam.parse((await ctx.params).id);
  const { realm } = await readJson(req, body);
  return json({ realm, added: await enableEventTypes(getSql(), id, realm) });
});
