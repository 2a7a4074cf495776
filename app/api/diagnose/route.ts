import { z } from "zod";
import { route } from "@/lib/auth/route";
import { type CauseId, isCauseId } from "@/lib/classify/causes";
import { getSql } from "@/lib/db/sql";
import { adminApiForRealm } from "@/lib/diagnose/admin-api-for-realm";
import type { CheckId } from "@/lib/diagnose/checks/check-types";
import { CHECKS_FOR_CAUSE, LIVE_CHECKS, runLiveChecks } from "@/lib/diagnose/run-live-checks";

export const dynamic = "force-dynamic";

const CHECK_IDS = Object.keys(LIVE_CHECKS) as [CheckId, ...CheckId[]];
const name = z.string().trim().min(1).max(255);
const values = z.array(z.string().trim().min(1).max(2048)).max(20);

const body = z
  .object({
    sourceId: z.uuid().optional(),
    cause: z.custom<CauseId>((v) => typeof v === "string" && isCauseId(v), "must be a cause id").optional(),
    checks: z.array(z.enum(CHECK_IDS)).min(1).max(CHECK_IDS.length).optional(),
    context: z
      .object({
        realm: name,
        clientId: name.optional(),
        username: name.optional(),
        userId: name.optional(),
        role: name.optional(),
        roleClientId: name.optional(),
        audience: name.optional(),
        scope: z.string().trim().min(1).max(1024).optional(),
        endpoint: z.enum(["userinfo", "api"]).optional(),
        origins: values.optional(),
        redirectUris: values.optional(),
        issuers: values.optional(),
      })
      .strict(),
  })
  .strict();

/**
 * POST /api/diagnose: runs read-only live checks of a realm's configuration (the checks of `cause`, or the
 * ones named) through the Admin REST API of the source serving that realm.
 */
export const POST = route({ body }, async ({ body: input }) => {
  const ids: CheckId[] = input.checks ?? (input.cause ? CHECKS_FOR_CAUSE[input.cause] : CHECK_IDS);
  const { api, sourceName } = await adminApiForRealm(getSql(), input.context.realm, input.sourceId);
  const results = await runLiveChecks(api, input.context, ids);
  return { source: sourceName, realm: input.context.realm, results };
});
