/**
 * Patches to dependencies, applied by `npm install` (postinstall) and checked by tests/unit/patches.test.ts.
 *
 * postgres (postgres.js) 3.4.9: when PostgreSQL goes away while a connection still has work (a transaction's
 * ROLLBACK, a reserved connection's next query, a buffered write), the driver writes to a socket it has already
 * set to null, and throws a TypeError from a setImmediate callback: an uncaught exception that kills the
 * process (upstream porsager/postgres#1208, also #1154 and #1066; fixes proposed in #1209, #1168, #1176, not
 * released). The patch makes such a write fail the pending queries with CONNECTION_CLOSED instead, so a sync
 * reports "database unavailable" and resumes later, as any other caller sees a closed connection.
 * Idempotent; refuses to run against a version whose code it does not recognise.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const MARK = "/* realmwatch: closed-socket patch */";
const WRITE = "  function write(x, fn) {\n";
const NEXT_WRITE = "  function nextWrite(fn) {\n";
const GUARD = `    if (!socket) return closedSocket(fn) ${MARK}\n`;
const HELPER = `  function closedSocket(fn) { ${MARK}
    clearImmediate(nextWriteTimer)
    chunk = nextWriteTimer = null
    const err = Errors.connection('CONNECTION_CLOSED', options)
    error(err)
    typeof fn === 'function' && fn(err)
    return false
  }

`;

export function patchPostgresConnection(source: string): string {
  if (source.includes(MARK)) return source;
  if (!source.includes(WRITE) || !source.includes(NEXT_WRITE) || !source.includes("function error(err)")) {
    throw new Error("postgres.js connection.js is not the version this patch was written for (3.4.x).");
  }
  return source.replace(WRITE, `${HELPER}${WRITE}${GUARD}`).replace(NEXT_WRITE, `${NEXT_WRITE}${GUARD}`);
}

export function applyPatches(root = process.cwd()): string[] {
  const patched: string[] = [];
  for (const dir of ["src", "cjs/src", "cf/src"]) {
    const file = path.join(root, "node_modules", "postgres", dir, "connection.js");
    if (!existsSync(file)) continue;
    const before = readFileSync(file, "utf8");
    const after = patchPostgresConnection(before);
    if (after !== before) {
      writeFileSync(file, after);
      patched.push(path.relative(root, file));
    }
  }
  return patched;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const patched = applyPatches();
  if (patched.length) console.log(`patched: ${patched.join(", ")}`);
}
