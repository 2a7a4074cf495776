import { chmodSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { unsearchableAncestor } from "@/lib/db/unsearchable-ancestor";

const base = mkdtempSync(path.join(tmpdir(), "realmwatch-search-"));
afterAll(() => {
  chmodSync(base, 0o755);
  rmSync(base, { recursive: true, force: true });
});

describe("the directory that keeps other users out", () => {
  it("names the first directory others may not enter, and nothing when every one is open", () => {
    const open = path.join(base, "open", "pg");
    mkdirSync(open, { recursive: true, mode: 0o755 });
    chmodSync(base, 0o755);
    chmodSync(path.join(base, "open"), 0o755);
    expect(unsearchableAncestor(open)).toBeNull();
    // Not created yet: whoever creates it makes it searchable.
    expect(unsearchableAncestor(path.join(open, "later", "data"))).toBeNull();
    // The target itself may be closed (a PostgreSQL data directory is 0700).
    chmodSync(open, 0o700);
    expect(unsearchableAncestor(open)).toBeNull();

    chmodSync(base, 0o700); // as mktemp -d and home directories are
    expect(unsearchableAncestor(open)).toBe(base);
    chmodSync(base, 0o711);
    chmodSync(path.join(base, "open"), 0o750);
    expect(unsearchableAncestor(open)).toBe(path.join(base, "open"));
  });
});
