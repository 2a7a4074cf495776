import { defineConfig } from "prisma/config";

// env("DATABASE_URL") throws when unset; realmwatch applies migrations itself (lib/db/migrate.ts), so the
// URL is only needed by Prisma commands that a developer runs by hand with an engine available.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost/realmwatch" },
});
