import {
  chmodSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { reachableBinaries, reachableDataDir } from "@/lib/db/embedded-placement";

/**
 * As root the embedded PostgreSQL runs as `postgres`; what that user cannot reach is placed elsewhere. The place
 * must belong to root, so these run as root only (as root is the only case that needs them).
 */
const asRoot = process.getuid?.() === 0;
const base = mkdtempSync(path.join(tmpdir(), "realmwatch-place-"));
chmodSync(base, 0o755);
const place = path.join(base, "place");
const closed = path.join(base, "closed"); // like /root or a mktemp -d directory
mkdirSync(closed, { mode: 0o700 });
chmodSync(closed, 0o700);
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe.skipIf(!asRoot)("placing the embedded PostgreSQL where the user postgres can reach it", () => {
  it("keeps a data directory postgres can reach where it is", async () => {
    const open = path.join(base, "open", "pg");
    expect(await reachableDataDir(open, place)).toBe(open);
  });

  it("moves a data directory behind a 0700 directory out, leaving a link that later starts follow", async () => {
    const dataDir = path.join(closed, ".data", "pg");
    mkdirSync(path.dirname(dataDir), { recursive: true });
    const real = await reachableDataDir(dataDir, place);
    expect(real.startsWith(path.join(place, "data"))).toBe(true);
    expect(lstatSync(dataDir).isSymbolicLink()).toBe(true);
    expect(readlinkSync(dataDir)).toBe(real);
    expect(await reachableDataDir(dataDir, place)).toBe(real);
    // Deleting the data directory starts afresh, as it does without the link.
    rmSync(dataDir);
    expect(await reachableDataDir(dataDir, place)).not.toBe(real);
  });

  it("links the binaries into the place when they sit behind a 0700 directory, links and modes kept", async () => {
    const native = path.join(closed, "node_modules", "pg-bin", "native");
    mkdirSync(path.join(native, "bin"), { recursive: true });
    mkdirSync(path.join(native, "lib"), { recursive: true });
    writeFileSync(path.join(native, "..", "package.json"), '{"version":"1.2.3"}');
    for (const exe of ["postgres", "initdb"])
      writeFileSync(path.join(native, "bin", exe), "#!/bin/sh\n", { mode: 0o755 });
    writeFileSync(path.join(native, "lib", "libpq.so.5.18"), "");
    symlinkSync("libpq.so.5.18", path.join(native, "lib", "libpq.so.5"));
    const bin = {
      postgres: path.join(native, "bin", "postgres"),
      initdb: path.join(native, "bin", "initdb"),
    };
    const placed = await reachableBinaries(bin, place);
    const dest = path.join(place, `postgres-1.2.3-${process.platform}-${process.arch}`);
    expect(placed).toEqual({
      postgres: path.join(dest, "bin", "postgres"),
      initdb: path.join(dest, "bin", "initdb"),
    });
    expect(lstatSync(placed.postgres).mode & 0o777).toBe(0o755);
    expect(readlinkSync(path.join(dest, "lib", "libpq.so.5"))).toBe("libpq.so.5.18");
    // A second start uses the copy it finds.
    expect(await reachableBinaries(bin, place)).toEqual(placed);
  });

  it("leaves binaries postgres can reach where they are", async () => {
    const bin = {
      postgres: path.join(base, "open-bin", "postgres"),
      initdb: path.join(base, "open-bin", "initdb"),
    };
    expect(await reachableBinaries(bin, place)).toBe(bin);
  });
});
