import { roleAtLeast } from "@/lib/auth/roles";
import { route } from "@/lib/auth/route";
import { getSql } from "@/lib/db/sql";
import { json } from "@/lib/server/respond";
import { listSourceStatus, type SourceStatus } from "@/lib/sources/list-source-status";
import { createSource } from "@/lib/sources/save-source";
import { createSourceSchema } from "@/lib/sources/source-input";

export const dynamic = "force-dynamic";

/**
 * GET /api/sources: every source with its sync streams and events-configuration health; never a secret. Viewers
 * get the states without their sentences: an error text may quote what a Keycloak (or whatever the URL names)
 * answered.
 */
export const GET = route({}, async ({ viewer }) => {
  const sources = await listSourceStatus(getSql());
  return { sources: roleAtLeast(viewer.role, "analyst") ? sources : sources.map(withoutMessages) };
});

function withoutMessages(s: SourceStatus): SourceStatus {
  return {
    ...s,
    statusMessage: null,
    streams: s.streams.map((st) => ({ ...st, message: null })),
    realmHealth: s.realmHealth.map((r) => ({ ...r, error: r.error === null ? null : "not readable" })),
  };
}

/** POST /api/sources {name, serverUrl, authRealm?, clientId, clientSecret, realms?, syncMode?} */
export const POST = route({ body: createSourceSchema }, async ({ body }) => {
  const id = await createSource(getSql(), body);
  const [source] = await listSourceStatus(getSql(), id);
  return json({ source }, { status: 201 });
});
