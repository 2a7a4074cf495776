/**
 * The container's first step before `node server.js` (Next's standalone server): refuse to start without
 * sign-in on a reachable address, apply migrations, and register the Keycloak source from KEYCLOAK_*. Bundled
 * into docker-dist/prepare.mjs by the Dockerfile, since the standalone image has no tsx.
 */
import { assertAuthConfigured } from "@/lib/auth/assert-auth-configured";
import { applyMigrations } from "@/lib/db/migrate";
import { createSql } from "@/lib/db/sql";
import { getEnv } from "@/lib/server/env";
import { registerEnvSource } from "@/lib/sources/env-source";

const env = getEnv();
assertAuthConfigured(process.env);
if (!env.DATABASE_URL) throw new Error("DATABASE_URL is required in the container.");
const sql = createSql(env.DATABASE_URL, 1);
try {
  const applied = await applyMigrations(sql);
  console.log(`[realmwatch] migrations applied: ${applied.length ? applied.join(", ") : "none pending"}`);
  if (env.KEYCLOAK_URL) {
    await registerEnvSource(sql, env);
    console.log(`[realmwatch] Keycloak source "default": ${env.KEYCLOAK_URL}`);
  }
} finally {
  await sql.end();
}
