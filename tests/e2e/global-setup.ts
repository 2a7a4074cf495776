import { type ChildProcess, spawn } from "node:child_process";
import { rmSync } from "node:fs";
import net from "node:net";
import type { TestProject } from "vitest/node";

/**
 * Starts the product exactly as the README's first command does (scripts/start.ts, production build, embedded
 * PostgreSQL, demo Keycloak) in a throwaway data directory, and waits until /api/health answers 200.
 */
export default async function setup(project: TestProject) {
  const port = await freePort();
  const dataDir = ".data/e2e";
  rmSync(dataDir, { recursive: true, force: true });
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      REALMWATCH_DATA_DIR: dataDir,
      REALMWATCH_PG_PORT: String(await freePort()),
      REALMWATCH_DEMO_KEYCLOAK_PORT: "0",
      REALMWATCH_SYNC_INTERVAL_SEC: "5",
      DATABASE_URL: "",
      KEYCLOAK_URL: "",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  child.stdout?.on("data", (d) => output.push(String(d)));
  child.stderr?.on("data", (d) => output.push(String(d)));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 170_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The app exited early:\n${output.join("").slice(-3000)}`);
    const ok = await fetch(`${baseUrl}/api/health`)
      .then((r) => r.status === 200)
      .catch(() => false);
    if (ok) break;
    if (Date.now() > deadline)
      throw new Error(`The app did not become healthy:\n${output.join("").slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  project.provide("baseUrl", baseUrl);
  return async () => {
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === "object" && addr ? addr.port : 0));
    });
  });
}

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
  }
}
