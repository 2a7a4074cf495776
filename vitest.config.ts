import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  resolve: { alias: { "@": root.replace(/\/$/, "") } },
  test: {
    reporters: ["default", "./tests/summary-reporter.ts"],
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["tests/unit/**/*.test.ts", "packages/*/tests/*.test.ts"],
          environment: "node",
          // The demo Keycloak and test servers listen on 127.0.0.1 (lib/server/outbound.ts refuses it otherwise).
          env: { REALMWATCH_ALLOW_PRIVATE_SOURCES: "1" },
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts", "packages/*/tests/integration/*.test.ts"],
          environment: "node",
          globalSetup: ["./tests/integration/global-setup.ts"],
          // One key for every file: sources sealed by one test file stay readable in the next, whatever the order.
          env: {
            REALMWATCH_SECRET_KEY: "integration-tests-secret-key-0123456789abcdef",
            REALMWATCH_ALLOW_PRIVATE_SOURCES: "1",
          },
          // One real PostgreSQL is shared; files run one after another so resets cannot interleave.
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
