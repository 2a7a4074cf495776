import { type ChildProcess, spawn } from "node:child_process";
import { rmSync } from "node:fs";
import net from "node:net";
import { afterAll, describe, expect, it } from "vitest";

/**
 * The README's first command, killed with SIGKILL and run again: the embedded PostgreSQL left running by the
 * killed process is shut down and restarted, and the app serves the database again.
 */
const dataDir = ".data/e2e-restart";
let app: ChildProcess | undefined;

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

async function start(port: number, pgPort: number): Promise<{ child: ChildProcess; output: string[] }> {
  const output: string[] = [];
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      REALMWATCH_DATA_DIR: dataDir,
      REALMWATCH_PG_PORT: String(pgPort),
      REALMWATCH_DEMO_KEYCLOAK_PORT: "0",
      REALMWATCH_POLLER: "off",
      DATABASE_URL: "",
      KEYCLOAK_URL: "",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (d) => output.push(String(d)));
  child.stderr?.on("data", (d) => output.push(String(d)));
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The app exited:\n${output.join("").slice(-2000)}`);
    const ok = await fetch(`http://127.0.0.1:${port}/api/health`)
      .then((r) => r.status === 200)
      .catch(() => false);
    if (ok) return { child, output };
    if (Date.now() > deadline)
      throw new Error(`The app did not become healthy:\n${output.join("").slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

afterAll(async () => {
  if (app && app.exitCode === null) {
    app.kill("SIGTERM");
    await new Promise((r) => app?.once("exit", r));
  }
});

describe("npm start after a SIGKILL", () => {
  it("starts again on the same data directory and serves the database", async () => {
    rmSync(dataDir, { recursive: true, force: true });
    const pgPort = await freePort();
    const first = await start(await freePort(), pgPort);
    first.child.kill("SIGKILL");
    await new Promise((r) => first.child.once("exit", r));

    const port = await freePort();
    const second = await start(port, pgPort);
    app = second.child;
    const health = (await (await fetch(`http://127.0.0.1:${port}/api/health`)).json()) as { status: string };
    expect(health.status).toBe("ok");
    const page = await fetch(`http://127.0.0.1:${port}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('data-testid="overview"');
  }, 300_000);
});
