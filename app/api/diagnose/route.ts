import { z } from "zod";
import { route } from "@/lib/auth/route";
import { type CauseId, isCauseId } from "@/lib/classify/causes";
import { getSql } from "@/lib/db/sql";
import { adminApiForRealm } from "@/lib/diagnose/admin-api-for-realm";
import type { CheckId } from "@/lib/diagnose/checks/check-types";
import { loadEventCheckContext } from "@/lib/diagnose/event-check-context";
import { loadPatternCheckContext } from "@/lib/diagnose/pattern-check-context";
import {
  CHECKS_FOR_CAUSE,
  completeContext,
  LIVE_CHECKS,
  runLiveChecks,
} from "@/lib/diagnose/run-live-checks";

export const dynamic = "force-dynamic";

const CHECK_IDS = Object.keys(LIVE_CHECKS) as [CheckId, ...CheckId[]];
const name = z.string().trim().min(1).max(255);
const values = z.array(z.string().trim().min(1).max(2048)).max(20);

const byContext = z
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

/** A stored pattern: the checks are built on the server from what its failures carried, never from a URL. */
const byPattern = z
  .object({
    patternId: z.uuid(),
    checks: z.array(z.enum(CHECK_IDS)).min(1).max(CHECK_IDS.length).optional(),
  })
  .strict();

/** A stored failure: the checks of its cause with the values it carried, built on the server. */
const byEvent = z
  .object({
    eventId: z.string().trim().min(1).max(255),
    sourceId: z.uuid().optional(),
    checks: z.array(z.enum(CHECK_IDS)).min(1).max(CHECK_IDS.length).optional(),
  })
  .strict();

/** One form or another, chosen by `patternId` or `eventId`, so a bad request names its own field (a union would not). */
const body = z.unknown().transform((value, ctx) => {
  const has = (key: string) => value !== null && typeof value === "object" && key in value;
  const form = has("patternId")
    ? byPattern.safeParse(value)
    : has("eventId")
      ? byEvent.safeParse(value)
      : byContext.safeParse(value);
  if (form.success) return form.data;
  for (const issue of form.error.issues)
    ctx.addIssue({ code: "custom", message: issue.message, path: issue.path, input: value });
  return z.NEVER;
});

/**
 * POST /api/diagnose: runs read-only live checks of a realm's configuration through the Admin REST API of the
 * source serving that realm. `{ patternId }`: the checks of the pattern's cause, with the values its failures
 * carried (the required role, the origin, the redirect URI sent...), through the pattern's own source; the
 * answer shows the context the checks compared with. `{ eventId, sourceId? }`: the same from one stored failure.
 * `{ cause, context }`: the checks of `cause` (or the ones
 * named) with a context the caller gives.
 */
export const POST = route({ body }, async ({ body: input }) => {
  if ("patternId" in input || "eventId" in input) {
    const sql = getSql();
    const target =
      "patternId" in input
        ? await loadPatternCheckContext(sql, input.patternId)
        : await loadEventCheckContext(sql, input.eventId, input.sourceId);
    const ids = input.checks ?? CHECKS_FOR_CAUSE[target.cause];
    const { api, sourceName } = await adminApiForRealm(sql, target.context.realm, target.sourceId);
    const context = await completeContext(api, target.context);
    const results = await runLiveChecks(api, context, ids);
    return {
      source: sourceName,
      realm: context.realm,
      ...("patternId" in input ? { patternId: input.patternId } : { eventId: input.eventId }),
      cause: target.cause,
      context,
      results,
    };
  }
  const ids: CheckId[] = input.checks ?? (input.cause ? CHECKS_FOR_CAUSE[input.cause] : CHECK_IDS);
  const { api, sourceName } = await adminApiForRealm(getSql(), input.context.realm, input.sourceId);
  const results = await runLiveChecks(api, input.context, ids);
  return { source: sourceName, realm: input.context.realm, results };
});
