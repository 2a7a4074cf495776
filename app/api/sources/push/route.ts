import { recordAudit } from "@/lib/auth/record-audit";
import { route } from "@/lib/auth/route";
import { getSql } from "@/lib/db/sql";
import { json } from "@/lib/server/respond";
import { createPushSource, createPushSourceSchema } from "@/lib/sources/push-source";

export const dynamic = "force-dynamic";

/**
 * POST /api/sources/push {name, acceptUnsigned?, jwtIssuer?, jwtAudience?}: a source fed only by pushes. The
 * answer carries its webhook secret and push token this once (admins can show them again on the Sources page).
 */
export const POST = route({ body: createPushSourceSchema }, async ({ viewer, body }) => {
  const sql = getSql();
  const { settings, secrets } = await createPushSource(sql, body);
  await recordAudit(sql, { viewer, action: "source.push.create", target: settings.sourceId });
  return json({ source: settings, secrets }, { status: 201 });
});
