/**
 * Generates Prisma Client into lib/db/generated (run by `npm install` as postinstall, and by the build).
 * Prisma 7's CLI wants to download its native schema engine first, which fails offline; `generate` does not
 * execute it, so pointing PRISMA_SCHEMA_ENGINE_BINARY at any existing file lets it run with no network.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const cli = require.resolve("prisma/build/index.js");
const placeholder = ["/bin/false", "/usr/bin/false", process.execPath].find((p) => existsSync(p));
const result = spawnSync(process.execPath, [cli, "generate"], {
  stdio: ["ignore", "inherit", "inherit"],
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? placeholder,
    CHECKPOINT_DISABLE: "1",
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
  },
});
process.exit(result.status ?? 1);
