import { getSql } from "@/lib/db/sql";
import { readJson } from "@/lib/server/read-json";
import { json, withErrors } from "@/lib/server/respond";
import { listSourceStatus } from "@/lib/sources/list-source-status";
import { createSource } from "@/lib/sources/save-source";
import { createSourceSchema } from "@/lib/sources/source-input";

export const dynamic = "force-dynamic";

/** GET /api/sources: every source with its sync streams and events-configuration health; never a secret. */
export const GET = withErrors(async () => json({ sources: await listSourceStatus(getSql()) }));

/** POST /api/sources {name, serverUrl, authRealm?, clientId, clientSecret, realms?, syncMode?} */
export const POST = withErrors(async (req: Request) => {
  const id = await createSource(getSql(), await readJson(req, createSourceSchema));
  const [source] = await listSourceStatus(getSql(), id);
  return json({ source }, { status: 201 });
});
