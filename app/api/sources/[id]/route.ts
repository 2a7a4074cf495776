import { z } from "zod";
import { route } from "@/lib/auth/route";
import { getSql } from "@/lib/db/sql";
import { AppError } from "@/lib/server/errors";
import { idParams, one } from "@/lib/server/query-params";
import { listSourceStatus } from "@/lib/sources/list-source-status";
import { removeSource, updateSource } from "@/lib/sources/save-source";
import { updateSourceSchema } from "@/lib/sources/source-input";

export const dynamic = "force-dynamic";

export const GET = route({ params: idParams }, async ({ params }) => {
  const [source] = await listSourceStatus(getSql(), params.id);
  if (!source) throw new AppError("not_found", "No such source.");
  return { source };
});

/** PATCH /api/sources/<id> with the fields to change; an empty clientSecret keeps the stored secret. */
export const PATCH = route({ params: idParams, body: updateSourceSchema }, async ({ params, body }) => {
  await updateSource(getSql(), params.id, body);
  const [source] = await listSourceStatus(getSql(), params.id);
  return { source };
});

const removeQuery = z.object({ events: one(z.enum(["keep", "delete"]).default("keep")) });

/** DELETE /api/sources/<id>?events=delete also deletes the source's stored events; by default they are kept. */
export const DELETE = route({ params: idParams, query: removeQuery }, async ({ params, query }) => {
  await removeSource(getSql(), params.id, query.events === "delete");
  return { removed: params.id, eventsDeleted: query.events === "delete" };
});
