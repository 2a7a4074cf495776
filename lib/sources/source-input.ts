import { z } from "zod";

/** Parses KEYCLOAK_REALMS: comma-separated realm names, or `*` for every realm the account can see. */
export function parseRealmList(value: string | undefined): string[] {
  const list = (value ?? "*")
    .split(",")
    .map((r) => r.trim())
    .filter(Boolean);
  return list.length === 0 || list.includes("*") ? ["*"] : [...new Set(list)];
}

export const SYNC_MODES = ["auto", "ranged", "daily"] as const;

const name = z.string().trim().min(1, "is required").max(100);
const serverUrl = z
  .url({
    protocol: /^https?$/,
    message: "must be the http(s) URL of the Keycloak server, e.g. https://sso.example.com",
  })
  .trim()
  .max(500);
const keycloakName = z.string().trim().min(1, "is required").max(255);
const realms = z
  .string()
  .max(4000)
  .optional()
  .transform((v) => parseRealmList(v));

/** A new source. The secret is required and write-only: it is sealed before storage and never returned. */
export const createSourceSchema = z.object({
  name,
  serverUrl,
  authRealm: keycloakName.default("master"),
  clientId: keycloakName,
  clientSecret: z.string().min(1, "is required").max(1000),
  realms,
  syncMode: z.enum(SYNC_MODES).default("auto"),
});

/** Changes to a source. An absent or empty secret keeps the stored one. */
export const updateSourceSchema = z.object({
  name: name.optional(),
  serverUrl: serverUrl.optional(),
  authRealm: keycloakName.optional(),
  clientId: keycloakName.optional(),
  clientSecret: z
    .string()
    .max(1000)
    .optional()
    .transform((s) => (s ? s : undefined)),
  realms: z.string().max(4000).optional(),
  syncMode: z.enum(SYNC_MODES).optional(),
  enabled: z.boolean().optional(),
});

export type CreateSourceInput = z.infer<typeof createSourceSchema>;
export type UpdateSourceInput = z.infer<typeof updateSourceSchema>;
