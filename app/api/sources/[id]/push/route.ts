import { z } from "zod";
import { recordAudit } from "@/lib/auth/record-audit";
import { route } from "@/lib/auth/route";
import { getSql } from "@/lib/db/sql";
import { idParams } from "@/lib/server/query-params";
import {
  disablePush,
  getPushSettings,
  pushSettingsSchema,
  renewPushSecrets,
  updatePushSettings,
} from "@/lib/sources/push-source";

export const dynamic = "force-dynamic";

const body = pushSettingsSchema.extend({
  /** true: turn pushes on, or renew the secrets (the old ones stop working); false: turn pushes off. */
  enabled: z.boolean().optional(),
  renewSecrets: z.boolean().optional(),
});

/**
 * PATCH /api/sources/<id>/push {enabled?, renewSecrets?, acceptUnsigned?, jwtIssuer?, jwtAudience?}: pushes
 * for any source (an API source then also stores what its realms push, each event once). New secrets are in
 * the answer this once.
 */
export const PATCH = route({ params: idParams, body }, async ({ viewer, params, body }) => {
  const sql = getSql();
  const before = await getPushSettings(sql, params.id);
  let secrets = null;
  if (body.enabled === false) await disablePush(sql, params.id);
  else if (body.renewSecrets || (body.enabled && !before.pushEnabled))
    secrets = await renewPushSecrets(sql, params.id);
  const source = await updatePushSettings(sql, params.id, body);
  await recordAudit(sql, {
    viewer,
    action:
      body.enabled === false ? "source.push.disable" : secrets ? "source.push.secrets" : "source.push.update",
    target: params.id,
    details: {
      acceptUnsigned: body.acceptUnsigned,
      jwtIssuer: body.jwtIssuer,
      jwtAudience: body.jwtAudience,
    },
  });
  return secrets ? { source, secrets } : { source };
});
