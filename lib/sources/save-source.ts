import type postgres from "postgres";
import { AppError } from "@/lib/server/errors";
import { checkOutboundUrl, outboundPolicy } from "@/lib/server/outbound";
import { sealSecret } from "@/lib/server/secret-box";
import { getSourceOrThrow } from "./read-sources";
import { type CreateSourceInput, parseRealmList, type UpdateSourceInput } from "./source-input";

/** Everything written to the sources table goes through this module. */

/** A Keycloak source registered from configuration (KEYCLOAK_*, the demo, the benchmark). */
export interface SourceInput {
  name: string;
  serverUrl: string;
  authRealm: string;
  clientId: string;
  clientSecret: string;
  realms: string[];
}

/** Creates a source; its secret is sealed before it reaches the database. A taken name is a conflict. */
export async function createSource(sql: postgres.Sql, input: CreateSourceInput): Promise<string> {
  await checkOutboundUrl(input.serverUrl, outboundPolicy());
  const rows = await sql<{ id: string }[]>`
    insert into sources (id, name, kind, server_url, auth_realm, client_id, secret_ciphertext, realms, sync_mode,
                         updated_at)
    values (gen_random_uuid(), ${input.name}, 'api', ${input.serverUrl.replace(/\/+$/, "")}, ${input.authRealm}, ${input.clientId},
            ${sealSecret(input.clientSecret, "source-secret")}, ${input.realms}::text[], ${input.syncMode}, now())
    on conflict (name) do nothing
    returning id`;
  const id = rows[0]?.id;
  if (!id)
    throw new AppError("conflict", `A source named "${input.name}" exists already: choose another name.`);
  return id;
}

/**
 * Creates or updates a source by name. The secret is sealed before it reaches the database; an update resets
 * the source's status so the next sync tests the new settings.
 */
export async function upsertSource(sql: postgres.Sql, input: SourceInput): Promise<string> {
  const [row] = await sql<{ id: string }[]>`
    insert into sources (id, name, kind, server_url, auth_realm, client_id, secret_ciphertext, realms, updated_at)
    values (gen_random_uuid(), ${input.name}, 'api', ${input.serverUrl.replace(/\/+$/, "")}, ${input.authRealm},
            ${input.clientId}, ${sealSecret(input.clientSecret, "source-secret")}, ${input.realms}::text[], now())
    on conflict (name) do update set
      kind = excluded.kind, server_url = excluded.server_url, auth_realm = excluded.auth_realm,
      client_id = excluded.client_id, secret_ciphertext = excluded.secret_ciphertext, realms = excluded.realms,
      status = 'new', status_message = null, updated_at = now()
    returning id`;
  return row!.id;
}

/** The source named `name` that only log imports and reports feed, created when missing. */
export async function ensureImportOnlySource(
  sql: postgres.Sql,
  name: string,
): Promise<{ id: string; name: string }> {
  const [row] = await sql<{ id: string; name: string }[]>`
    insert into sources (id, name, kind, updated_at) values (gen_random_uuid(), ${name}, 'import', now())
    on conflict (name) do update set updated_at = sources.updated_at returning id, name`;
  return row!;
}

/** The outcome of a source's last sync, as the sources page shows it. */
export async function recordSourceStatus(
  sql: postgres.Sql,
  id: string,
  status: string,
  message: string | null,
): Promise<void> {
  await sql`
    update sources set status = ${status}, status_message = ${message}, updated_at = now()
    where id = ${id}`;
}

/**
 * The Keycloak version (or how the sync mode was told) detected for a source set to "auto". A version other than
 * the one detected before it is also kept in source_versions with that one, at `at`: the charts mark upgrades.
 */
export async function recordDetectedVersion(
  sql: postgres.Sql,
  id: string,
  detected: string,
  at: Date,
  version: string | null = detected,
): Promise<void> {
  await sql.begin(async (tx) => {
    // The update's row lock also orders two syncs recording the same source.
    const updated = await tx`update sources set detected_version = ${detected} where id = ${id} returning id`;
    if (!version || updated.length === 0) return;
    const [last] = await tx<{ version: string }[]>`
      select version from source_versions where source_id = ${id} order by detected_at desc limit 1`;
    if (last?.version === version) return;
    await tx`
      insert into source_versions (source_id, detected_at, version, previous)
      values (${id}, ${at}, ${version}, ${last?.version ?? null})
      on conflict do nothing`;
  });
}

/**
 * Changes a source. A new URL, client, realm list or secret resets its status to "new", so the next sync tests
 * the new settings before the old status is trusted again.
 */
export async function updateSource(sql: postgres.Sql, id: string, input: UpdateSourceInput): Promise<void> {
  const current = await getSourceOrThrow(sql, id);
  // The stored secret is only ever sent where it was entered for: a new Keycloak address or sign-in realm needs
  // it typed again, or an edit of the URL alone would deliver it to whichever host the URL now names.
  const newUrl = input.serverUrl?.replace(/\/+$/, "");
  const moves =
    (newUrl !== undefined && newUrl !== current.server_url) ||
    (input.authRealm !== undefined && input.authRealm !== current.auth_realm);
  if (newUrl !== undefined && newUrl !== current.server_url) await checkOutboundUrl(newUrl, outboundPolicy());
  if (moves && !input.clientSecret) {
    throw new AppError(
      "bad_request",
      "Enter the client secret again: a changed Keycloak URL or sign-in realm never receives the stored secret.",
    );
  }
  const resets =
    input.serverUrl !== undefined ||
    input.authRealm !== undefined ||
    input.clientId !== undefined ||
    input.clientSecret !== undefined ||
    input.realms !== undefined;
  try {
    await sql`
      update sources set
        name = coalesce(${input.name ?? null}, name),
        server_url = coalesce(${newUrl ?? null}, server_url),
        auth_realm = coalesce(${input.authRealm ?? null}, auth_realm),
        client_id = coalesce(${input.clientId ?? null}, client_id),
        secret_ciphertext = coalesce(${input.clientSecret ? sealSecret(input.clientSecret, "source-secret") : null}, secret_ciphertext),
        realms = coalesce(${input.realms !== undefined ? parseRealmList(input.realms) : null}::text[], realms),
        sync_mode = coalesce(${input.syncMode ?? null}, sync_mode),
        enabled = coalesce(${input.enabled ?? null}::boolean, enabled),
        status = case when ${resets}::boolean then 'new' else status end,
        status_message = case when ${resets}::boolean then null else status_message end,
        updated_at = now()
      where id = ${id}::uuid`;
  } catch (err) {
    if ((err as { code?: string }).code === "23505") {
      throw new AppError("conflict", `A source named "${input.name}" exists already: choose another name.`);
    }
    throw err;
  }
}

/**
 * Removes a source with its realms and sync streams. Its stored events stay searchable unless `withEvents`,
 * which deletes them too (events, rollups, usernames, patterns and gaps), in one transaction.
 */
export async function removeSource(sql: postgres.Sql, id: string, withEvents: boolean): Promise<void> {
  await sql.begin(async (tx) => {
    const deleted = await tx`delete from sources where id = ${id}::uuid returning id`;
    if (deleted.length === 0)
      throw new AppError("not_found", "No such source: it may have been removed already.");
    await tx`delete from push_minutes where source_id = ${id}::uuid`;
    if (!withEvents) return;
    for (const table of SOURCE_DATA_TABLES) await tx`delete from ${tx(table)} where source_id = ${id}::uuid`;
  });
}

const SOURCE_DATA_TABLES = [
  "user_events",
  "admin_events",
  "rollup_minute",
  "rollup_hour",
  "rollup_day",
  "rollup_realm_hour",
  "user_names",
  "patterns",
  "event_gaps",
  "ingest_runs",
  "report_nonces",
] as const;
