import type postgres from "postgres";
import type { Env } from "@/lib/server/env";
import { AppError } from "@/lib/server/errors";
import { upsertSource } from "./save-source";
import { parseRealmList } from "./source-input";

/** The source configured by KEYCLOAK_* variables ("default"), registered or updated; null when unset. */
export async function registerEnvSource(sql: postgres.Sql, env: Env): Promise<string | null> {
  if (!env.KEYCLOAK_URL) return null;
  if (!env.KEYCLOAK_CLIENT_ID || !env.KEYCLOAK_CLIENT_SECRET) {
    throw new AppError(
      "bad_request",
      "KEYCLOAK_URL is set: KEYCLOAK_CLIENT_ID and KEYCLOAK_CLIENT_SECRET are required too.",
    );
  }
  return upsertSource(sql, {
    name: "default",
    serverUrl: env.KEYCLOAK_URL,
    authRealm: env.KEYCLOAK_AUTH_REALM,
    clientId: env.KEYCLOAK_CLIENT_ID,
    clientSecret: env.KEYCLOAK_CLIENT_SECRET,
    realms: parseRealmList(env.KEYCLOAK_REALMS),
  });
}
