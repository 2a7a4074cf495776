import { statSync } from "node:fs";
import path from "node:path";

/**
 * The first directory on the way to `target`, from the root down, that other users may not enter (no search
 * permission for "others"), or null. `target` itself is not looked at: a data directory is 0700 and owned by
 * postgres. Running as root, the embedded PostgreSQL runs as the user `postgres` (PostgreSQL refuses root),
 * which must reach both its binaries and its data.
 */
export function unsearchableAncestor(target: string): string | null {
  const parts = path.dirname(path.resolve(target)).split(path.sep).filter(Boolean);
  const dirs = [path.sep, ...parts.map((_, i) => path.sep + parts.slice(0, i + 1).join(path.sep))];
  for (const dir of dirs) {
    let mode: number;
    try {
      mode = statSync(dir).mode;
    } catch {
      return null; // not created yet: it will be created by us, searchable
    }
    if ((mode & 0o001) === 0) return dir;
  }
  return null;
}
