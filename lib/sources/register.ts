import type { PrismaClient } from "@/lib/db/generated/client.ts";
import { sealSecret } from "@/lib/server/secret-box";

export interface SourceInput {
  name: string;
  serverUrl: string;
  authRealm: string;
  clientId: string;
  clientSecret: string;
  realms: string[];
}

/** Parses KEYCLOAK_REALMS: comma-separated realm names, or `*` for every realm the account can see. */
export function parseRealmList(value: string | undefined): string[] {
  const list = (value ?? "*")
    .split(",")
    .map((r) => r.trim())
    .filter(Boolean);
  return list.length === 0 || list.includes("*") ? ["*"] : [...new Set(list)];
}

/**
 * Creates or updates a source by name. The secret is sealed before it reaches the database; a changed URL,
 * client or secret resets the source's status so the next sync tests the new settings.
 */
export async function upsertSource(prisma: PrismaClient, input: SourceInput): Promise<string> {
  const serverUrl = input.serverUrl.replace(/\/+$/, "");
  const data = {
    kind: "api",
    serverUrl,
    authRealm: input.authRealm,
    clientId: input.clientId,
    secretCiphertext: sealSecret(input.clientSecret),
    realms: input.realms,
  };
  const row = await prisma.source.upsert({
    where: { name: input.name },
    create: { name: input.name, ...data },
    update: { ...data, status: "new", statusMessage: null },
    select: { id: true },
  });
  return row.id;
}
