import { createHash, randomBytes } from "node:crypto";
import type postgres from "postgres";
import { z } from "zod";
import { AppError } from "@/lib/server/errors";
import { openSecret, sealSecret } from "@/lib/server/secret-box";

/**
 * Push settings of a source (lib/ingest/push receives the pushes). Any source may take pushes: a source of
 * kind "push" is fed by nothing else, and an "api" source with pushes enabled stores what its realms push
 * next to what the sync reads, so one event arriving both ways is stored once (same source, same id).
 *
 * Two secrets, both generated here, sealed at rest and shown only to admins:
 * - the webhook secret, the shared HMAC key of ext-event-webhook / ext-event-http (`X-Keycloak-Signature`);
 * - the push token, the Bearer of log shippers and of senders that cannot sign (compared by its sha256).
 */
export interface PushSettings {
  sourceId: string;
  name: string;
  kind: string;
  enabled: boolean;
  /** Whether pushes are enabled at all (a webhook secret exists). */
  pushEnabled: boolean;
  acceptUnsigned: boolean;
  jwtIssuer: string | null;
  jwtAudience: string | null;
}

/** What the receiver needs: the settings, the sealed webhook secret and the push token's hash. */
export interface PushCredentials extends PushSettings {
  secretCipher: string | null;
  tokenHash: string | null;
}

export interface PushSecrets {
  webhookSecret: string;
  pushToken: string;
}

const issuer = z
  .url({
    protocol: /^https?$/,
    message: "must be the realm's issuer URL, e.g. https://sso.example.com/realms/acme",
  })
  .trim()
  .max(500)
  .transform((v) => v.replace(/\/+$/, ""));

/** Changes to a source's push settings; `jwtIssuer: null` (or "") turns Bearer JWT verification off. */
export const pushSettingsSchema = z.object({
  acceptUnsigned: z.boolean().optional(),
  jwtIssuer: z.union([issuer, z.literal("").transform(() => null), z.null()]).optional(),
  jwtAudience: z
    .union([z.string().trim().max(255), z.null()])
    .optional()
    .transform((v) => (v === undefined ? undefined : v || null)),
});

/** A new push-only source. */
export const createPushSourceSchema = pushSettingsSchema.extend({
  name: z.string().trim().min(1, "is required").max(100),
});

/** What the schemas above give (undefined: leave as it is). */
export interface PushSettingsInput {
  acceptUnsigned?: boolean;
  jwtIssuer?: string | null;
  jwtAudience?: string | null;
}

export interface CreatePushSourceInput extends PushSettingsInput {
  name: string;
}

export function hashPushToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

function newSecrets(): PushSecrets {
  return {
    webhookSecret: randomBytes(24).toString("base64url"),
    pushToken: `rwp_${randomBytes(32).toString("base64url")}`,
  };
}

const columns = (sql: postgres.Sql) => sql`
  id as "sourceId", name, kind, enabled, push_secret_cipher is not null as "pushEnabled",
  push_accept_unsigned as "acceptUnsigned", push_jwt_issuer as "jwtIssuer", push_jwt_audience as "jwtAudience"`;

/** A source of kind "push" with fresh secrets, returned this once. A taken name is a conflict. */
export async function createPushSource(
  sql: postgres.Sql,
  input: CreatePushSourceInput,
): Promise<{ settings: PushSettings; secrets: PushSecrets }> {
  const secrets = newSecrets();
  const rows = await sql<{ id: string }[]>`
    insert into sources (id, name, kind, push_secret_cipher, push_token_hash, push_token_cipher,
                         push_accept_unsigned, push_jwt_issuer, push_jwt_audience, status, updated_at)
    values (gen_random_uuid(), ${input.name}, 'push', ${sealSecret(secrets.webhookSecret, "push-secret")},
            ${hashPushToken(secrets.pushToken)}, ${sealSecret(secrets.pushToken, "push-secret")}, ${input.acceptUnsigned ?? false},
            ${input.jwtIssuer ?? null}, ${input.jwtAudience ?? null}, 'ok', now())
    on conflict (name) do nothing
    returning id`;
  const id = rows[0]?.id;
  if (!id)
    throw new AppError("conflict", `A source named "${input.name}" exists already: choose another name.`);
  return { settings: await getPushSettings(sql, id), secrets };
}

/**
 * Turns pushes on for a source (or renews its secrets: senders holding the old ones get 401 from then on) and
 * returns the new secrets this once.
 */
export async function renewPushSecrets(sql: postgres.Sql, sourceId: string): Promise<PushSecrets> {
  forgetPushCredentials(sourceId);
  const secrets = newSecrets();
  const updated = await sql`
    update sources set push_secret_cipher = ${sealSecret(secrets.webhookSecret, "push-secret")},
                       push_token_hash = ${hashPushToken(secrets.pushToken)},
                       push_token_cipher = ${sealSecret(secrets.pushToken, "push-secret")}, updated_at = now()
    where id = ${sourceId}::uuid`;
  if (updated.count === 0) throw new AppError("not_found", "No such source.");
  return secrets;
}

/** Turns pushes off: the secrets are forgotten, and every push to the source is refused. */
export async function disablePush(sql: postgres.Sql, sourceId: string): Promise<void> {
  forgetPushCredentials(sourceId);
  const updated = await sql`
    update sources set push_secret_cipher = null, push_token_hash = null, push_token_cipher = null,
                       updated_at = now()
    where id = ${sourceId}::uuid`;
  if (updated.count === 0) throw new AppError("not_found", "No such source.");
}

export async function updatePushSettings(
  sql: postgres.Sql,
  sourceId: string,
  input: PushSettingsInput,
): Promise<PushSettings> {
  forgetPushCredentials(sourceId);
  const updated = await sql`
    update sources set
      push_accept_unsigned = coalesce(${input.acceptUnsigned ?? null}::boolean, push_accept_unsigned),
      push_jwt_issuer = case when ${input.jwtIssuer !== undefined}::boolean then ${input.jwtIssuer ?? null}
                             else push_jwt_issuer end,
      push_jwt_audience = case when ${input.jwtAudience !== undefined}::boolean then ${input.jwtAudience ?? null}
                               else push_jwt_audience end,
      updated_at = now()
    where id = ${sourceId}::uuid`;
  if (updated.count === 0) throw new AppError("not_found", "No such source.");
  return getPushSettings(sql, sourceId);
}

export async function getPushSettings(sql: postgres.Sql, sourceId: string): Promise<PushSettings> {
  const [row] = await sql<PushSettings[]>`select ${columns(sql)} from sources where id = ${sourceId}::uuid`;
  if (!row) throw new AppError("not_found", "No such source.");
  return row;
}

/** Every source's push settings (never a secret), by source id. */
export async function listPushSettings(sql: postgres.Sql): Promise<Map<string, PushSettings>> {
  const rows = await sql<PushSettings[]>`select ${columns(sql)} from sources`;
  return new Map(rows.map((r) => [r.sourceId, r]));
}

/**
 * What the receiver checks a push against; undefined for an unknown source. Pushes come thousands a second per
 * source, so the row is remembered for a second: a change of settings or secrets applies within that second.
 */
export async function cachedPushCredentials(
  sql: postgres.Sql,
  sourceId: string,
  now: number,
): Promise<PushCredentials | undefined> {
  const hit = credentialCache.get(sourceId);
  if (hit && now >= hit.at && now - hit.at < CREDENTIALS_TTL_MS) return hit.value;
  const value = readPushCredentials(sql, sourceId);
  if (credentialCache.size > 10_000) credentialCache.clear();
  credentialCache.set(sourceId, { at: now, value });
  value.catch(() => credentialCache.delete(sourceId));
  return value;
}

/** The push source a URL names, or not_found (for an id that is not even a UUID too). */
export async function pushSourceOrThrow(
  sql: postgres.Sql,
  sourceId: string,
  now: number,
): Promise<PushCredentials> {
  const source = UUID.test(sourceId) ? await cachedPushCredentials(sql, sourceId, now) : undefined;
  if (!source) throw new AppError("not_found", "No such push source.");
  return source;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CREDENTIALS_TTL_MS = 1_000;
const credentialCache = new Map<string, { at: number; value: Promise<PushCredentials | undefined> }>();

/** Forgets the remembered credentials (after this process changed them). */
export function forgetPushCredentials(sourceId: string): void {
  credentialCache.delete(sourceId);
}

/** What the receiver checks a push against, read now; undefined for an unknown source. */
export async function readPushCredentials(
  sql: postgres.Sql,
  sourceId: string,
): Promise<PushCredentials | undefined> {
  const [row] = await sql<PushCredentials[]>`
    select ${columns(sql)}, push_secret_cipher as "secretCipher", push_token_hash as "tokenHash"
    from sources where id = ${sourceId}::uuid`;
  return row;
}

/** The secrets in clear, for an admin who asked to see them (the caller records the audit entry). */
export async function revealPushSecrets(sql: postgres.Sql, sourceId: string): Promise<PushSecrets> {
  const [row] = await sql<{ secret: string | null; token: string | null }[]>`
    select push_secret_cipher as secret, push_token_cipher as token from sources where id = ${sourceId}::uuid`;
  if (!row) throw new AppError("not_found", "No such source.");
  if (!row.secret || !row.token)
    throw new AppError("conflict", "Pushes are not enabled for this source: enable them first.");
  return {
    webhookSecret: openSecret(row.secret, "push-secret"),
    pushToken: openSecret(row.token, "push-secret"),
  };
}
