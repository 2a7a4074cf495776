import { route } from "@/lib/auth/route";
import { getSql } from "@/lib/db/sql";
import { json } from "@/lib/server/respond";
import { listSourceStatus } from "@/lib/sources/list-source-status";
import { createSource } from "@/lib/sources/save-source";
import { createSourceSchema } from "@/lib/sources/source-input";

export const dynamic = "force-dynamic";

/** GET /api/sources: every source with its sync streams and events-configuration health; never a secret. */
export const GET = route({}, async () => ({ sources: await listSourceStatus(getSql()) }));

/** POST /api/sources {name, serverUrl, authRealm?, clientId, clientSecret, realms?, syncMode?} */
export const POST = route({ body: createSourceSchema }, async ({ body }) => {
  const id = await createSource(getSql(), body);
  const [source] = await listSourceStatus(getSql(), id);
  return json({ source }, { status: 201 });
});
