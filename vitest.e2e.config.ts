import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));

/** Browser tests: real Chromium (Debian's /usr/bin/chromium) against the built app with the demo Keycloak. */
export default defineConfig({
  resolve: { alias: { "@": root.replace(/\/$/, "") } },
  test: {
    name: "e2e",
    include: ["tests/e2e/**/*.spec.ts"],
    reporters: ["default", "./tests/summary-reporter.ts"],
    globalSetup: ["./tests/e2e/global-setup.ts"],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
