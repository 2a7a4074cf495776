import { recordAudit } from "@/lib/auth/record-audit";
import { route } from "@/lib/auth/route";
import { getSql } from "@/lib/db/sql";
import { idParams } from "@/lib/server/query-params";
import { revealPushSecrets } from "@/lib/sources/push-source";

export const dynamic = "force-dynamic";

/**
 * POST /api/sources/<id>/push/secrets: the source's webhook secret and push token in clear, for an admin who
 * asked to see them (a POST, so the request guard lets only admins through; each showing is audited).
 */
export const POST = route({ params: idParams }, async ({ viewer, params }) => {
  const sql = getSql();
  const secrets = await revealPushSecrets(sql, params.id);
  await recordAudit(sql, { viewer, action: "source.push.reveal", target: params.id });
  return { secrets };
});
