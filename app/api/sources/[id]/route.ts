import { z } from "zod";
import { getSql } from "@/lib/db/sql";
import { AppError } from "@/lib/server/errors";
import { idParam } from "@/lib/server/query-params";
import { readJson } from "@/lib/server/read-json";
import { json, withErrors } from "@/lib/server/respond";
import { listSourceStatus } from "@/lib/sources/list-source-status";
import { removeSource, updateSource } from "@/lib/sources/save-source";
import { updateSourceSchema } from "@/lib/sources/source-input";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

export const GET = withErrors(async (_req: Request, ctx: Context) => {
  const [source] = await listSourceStatus(getSql(), idParam.parse((await ctx.params).id));
  if (!source) throw new AppError("not_found", "No such source.");
  return json({ source });
});

/** PATCH /api/sources/<id> with the fields to change; an empty clientSecret keeps the stored secret. */
export const PATCH = withErrors(async (req: Request, ctx: Context) => {
  const id = idParam.parse((await ctx.params).id);
  await updateSource(getSql(), id, await readJson(req, updateSourceSchema));
  const [source] = await listSourceStatus(getSql(), id);
  return json({ source });
});

/** DELETE /api/sources/<id>?events=delete also deletes the source's stored events; by default they are kept. */
export const DELETE = withErrors(async (req: Request, ctx: Context) => {
  const id = idParam.parse((await ctx.params).id);
  const { events } = z
    .object({ events: z.enum(["keep", "delete"]).default("keep") })
    .parse({ events: new URL(req.url).searchParams.get("events") ?? undefined });
  await removeSource(getSql(), id, events === "delete");
  return json({ removed: id, eventsDeleted: events === "delete" });
});
