import { randomUUID } from "node:crypto";
import { existsSync, lstatSync, statSync } from "node:fs";
import { copyFile, link, mkdir, readdir, readFile, readlink, rename, rm, symlink } from "node:fs/promises";
import path from "node:path";
import { unsearchableAncestor } from "./unsearchable-ancestor";

/**
 * PostgreSQL refuses to run as root, so a root process runs the embedded server as the user `postgres`, which
 * must walk every directory on the way to its binaries and its data. A checkout under /root or in a
 * `mktemp -d` directory (both mode 0700) keeps it out. Whatever it cannot reach is placed under this
 * directory instead: the binaries as hard links (a copy across file systems), the data directory behind a
 * symbolic link left where it was asked for, so REALMWATCH_DATA_DIR still names it.
 */
export const ROOT_PLACE = "/var/lib/realmwatch";

export interface Binaries {
  postgres: string;
  initdb: string;
}

/** The binaries as they are when `postgres` can reach them; else hard links (or copies) under `place`. */
export async function reachableBinaries(bin: Binaries, place = ROOT_PLACE): Promise<Binaries> {
  if (!unsearchableAncestor(bin.postgres) && !unsearchableAncestor(bin.initdb)) return bin;
  const native = path.dirname(path.dirname(bin.postgres));
  // The platform package's version names the copy: an upgrade gets a copy of its own.
  const { version } = JSON.parse(await readFile(path.join(native, "..", "package.json"), "utf8"));
  const dest = path.join(await placeRoot(place), `postgres-${version}-${process.platform}-${process.arch}`);
  if (!existsSync(path.join(dest, "bin", path.basename(bin.postgres)))) {
    // Built aside and renamed, so a second process starting at the same time never sees half a tree.
    const aside = `${dest}.${process.pid}.${randomUUID().slice(0, 8)}`;
    await linkTree(native, aside);
    await rename(aside, dest).catch(async (err: NodeJS.ErrnoException) => {
      await rm(aside, { recursive: true, force: true });
      if (!existsSync(dest)) throw err;
    });
  }
  const inDest = (p: string) => path.join(dest, path.relative(native, p));
  return { postgres: inDest(bin.postgres), initdb: inDest(bin.initdb) };
}

/**
 * The directory the server is given for `dataDir`: `dataDir` itself when `postgres` can reach it, the target
 * of the link when `dataDir` is one, else a new directory under `place` with `dataDir` made a link to it.
 * Deleting `dataDir` therefore starts afresh next time, as it does without the link.
 */
export async function reachableDataDir(dataDir: string, place = ROOT_PLACE): Promise<string> {
  const stat = lstatOrNull(dataDir);
  if (stat?.isSymbolicLink()) return path.resolve(path.dirname(dataDir), await readlink(dataDir));
  if (!unsearchableAncestor(dataDir)) return dataDir;
  if (stat) {
    if (existsSync(path.join(dataDir, "PG_VERSION"))) {
      throw new Error(
        `The embedded PostgreSQL data in ${dataDir} is out of reach of the user "postgres" (a parent directory ` +
          `others may not enter). Move it to ${place}/data/<name>/pg and leave a symbolic link in its place.`,
      );
    }
    await rm(dataDir, { recursive: true, force: true }); // an empty start left by a failed first run
  }
  const real = path.join(
    await placeRoot(place),
    "data",
    `${path.basename(path.dirname(dataDir)).replace(/^\.+/, "")}-${randomUUID()}`,
    "pg",
  );
  await mkdir(path.dirname(real), { recursive: true, mode: 0o755 });
  await symlink(real, dataDir);
  return real;
}

/** `place`, created when missing; refused when someone other than root could change what is in it. */
async function placeRoot(place: string): Promise<string> {
  await mkdir(place, { recursive: true, mode: 0o755 });
  const { uid, mode } = statSync(place);
  if (uid !== 0 || (mode & 0o022) !== 0) {
    throw new Error(
      `${place} must belong to root and be writable by root only (it holds PostgreSQL's binaries).`,
    );
  }
  const closed = unsearchableAncestor(path.join(place, "x"));
  if (closed) throw new Error(`The user "postgres" cannot enter ${closed}.`);
  return place;
}

async function linkTree(src: string, dest: string): Promise<void> {
  await mkdir(dest, { recursive: true, mode: 0o755 });
  for (const entry of await readdir(src, { withFileTypes: true })) {
    const from = path.join(src, entry.name);
    const to = path.join(dest, entry.name);
    if (entry.isDirectory()) await linkTree(from, to);
    else if (entry.isSymbolicLink()) await symlink(await readlink(from), to);
    else await link(from, to).catch(() => copyFile(from, to));
  }
}

function lstatOrNull(p: string) {
  try {
    return lstatSync(p);
  } catch {
    return null;
  }
}
