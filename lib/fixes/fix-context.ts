import { z } from "zod";
import type { FixContext } from "@/lib/fixes/types";

const name = z.string().trim().min(1).max(255);

/** Only http(s) URLs: the value becomes a link on the page, so `javascript:` and friends must never pass. */
const httpUrl = z
  .string()
  .trim()
  .max(2048)
  .refine((value) => {
    try {
      const url = new URL(value);
      return (
        (url.protocol === "https:" || url.protocol === "http:") && url.username === "" && url.password === ""
      );
    } catch {
      return false;
    }
  })
  .transform((value) => value.replace(/\/+$/, ""));

export const fixContextSchema = z.object({
  keycloakUrl: httpUrl.optional(),
  publicUrl: httpUrl.optional(),
  keycloakVersion: z
    .string()
    .trim()
    .regex(/^\d+(\.\d+){0,3}$/)
    .optional(),
  realm: name.optional(),
  clientId: name.optional(),
  clientUuid: name.optional(),
  userId: name.optional(),
  username: name.optional(),
  role: name.optional(),
  roleClientId: name.optional(),
  roleId: name.optional(),
  roleClientUuid: name.optional(),
  audience: name.optional(),
  scope: z.string().trim().min(1).max(1024).optional(),
  origin: z.string().trim().min(1).max(2048).optional(),
  redirectUri: z.string().trim().min(1).max(2048).optional(),
  issuer: z.string().trim().min(1).max(2048).optional(),
}) satisfies z.ZodType<FixContext, unknown>;

const FIELDS = Object.keys(fixContextSchema.shape) as (keyof FixContext)[];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Query-string aliases the pattern links use: `client`, and `user` (a user id when it is a UUID). */
function aliasOf(key: string, value: string | undefined): keyof FixContext | undefined {
  if (key === "client") return "clientId";
  if (key === "user") return value !== undefined && UUID.test(value.trim()) ? "userId" : "username";
  return undefined;
}

/**
 * Reads a fix context from query parameters, field by field: an invalid value (a non-http URL, an overlong
 * name) is dropped and shows as a placeholder instead of failing the whole page.
 */
export function parseFixContext(params: Record<string, string | string[] | undefined>): FixContext {
  const ctx: Record<string, string> = {};
  for (const [key, raw] of Object.entries(params)) {
    const value = Array.isArray(raw) ? raw[0] : raw;
    const field = (FIELDS as string[]).includes(key) ? (key as keyof FixContext) : aliasOf(key, value);
    if (!field || ctx[field] !== undefined) continue;
    const parsed = fixContextSchema.shape[field].safeParse(value);
    if (parsed.success && parsed.data !== undefined) ctx[field] = parsed.data;
  }
  return ctx as FixContext;
}
