import { getSql } from "@/lib/db/sql";
import { idParam } from "@/lib/server/query-params";
import { json, withErrors } from "@/lib/server/respond";
import { testSource } from "@/lib/sources/test-source";

export const dynamic = "force-dynamic";

/** POST /api/sources/<id>/test: authenticate and read each realm's events configuration; changes nothing. */
export const POST = withErrors(async (_req: Request, ctx: { params: Promise<{ id: string }> }) =>
  json({ result: await testSource(getSql(), idParam.parse((await ctx.params).id)) }),
);
