import { mkdir, open, readdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import path from "node:path";

/**
 * Follows a log file like `tail -F`, handing each batch of complete lines to `onLines` and, once it returns
 * (the lines are stored), saving the position: a restart resumes after the last stored line, so nothing is
 * lost and nothing is read twice (a crash between the store and the save re-reads the last batch, which the
 * import's content fingerprints store once).
 *
 * - Rotation by rename (logrotate's default, Keycloak's file handler): the renamed file is read to its end
 *   before the new file is read from its start; after a restart, the renamed file is found again by its inode
 *   in the same directory.
 * - Truncation (copytruncate): a file shorter than the position is read again from its start.
 * - A line still being written (no newline yet) waits for its end; at a rotation it counts as complete.
 */
export interface FollowOptions {
  file: string;
  /** Where the position is kept (JSON); its directory is created. */
  stateFile: string;
  onLines: (lines: string[]) => Promise<void>;
  pollMs?: number;
  signal?: AbortSignal;
  /** A line longer than this is dropped (and counted) instead of being held in memory. */
  maxLineBytes?: number;
  onSkip?: (reason: "too-long") => void;
}

interface Position {
  file: string;
  ino: number;
  offset: number;
}

const CHUNK = 1024 * 1024;

export async function followFile(opts: FollowOptions): Promise<void> {
  const pollMs = opts.pollMs ?? 500;
  const maxLine = opts.maxLineBytes ?? 1024 * 1024;
  const file = path.resolve(opts.file);
  const saved = await readPosition(opts.stateFile, file);

  // After a restart: if the file was rotated meanwhile, finish the renamed one first.
  let current = await statOrNull(file);
  if (saved && current && current.ino !== saved.ino) {
    const renamed = await findByInode(path.dirname(file), saved.ino);
    if (renamed)
      await readRest(renamed, saved.offset, true, opts, maxLine, (offset) =>
        savePosition(opts.stateFile, { ...saved, offset }),
      );
    await savePosition(opts.stateFile, { file, ino: current.ino, offset: 0 });
  }
  let position: Position =
    saved && current && current.ino === saved.ino
      ? { ...saved, offset: current.size < saved.offset ? 0 : saved.offset }
      : { file, ino: current?.ino ?? 0, offset: 0 };

  while (!opts.signal?.aborted) {
    current = await statOrNull(file);
    if (current && current.ino !== position.ino && position.ino !== 0) {
      // Rotated: the old file (renamed, still the same inode) may have last lines.
      const renamed = await findByInode(path.dirname(file), position.ino);
      const old = position;
      if (renamed)
        await readRest(renamed, old.offset, true, opts, maxLine, (offset) =>
          savePosition(opts.stateFile, { ...old, offset }),
        );
      position = { file, ino: current.ino, offset: 0 };
      await savePosition(opts.stateFile, position);
    }
    if (current) {
      if (position.ino === 0) position = { file, ino: current.ino, offset: 0 };
      if (current.size < position.offset) position = { ...position, offset: 0 }; // truncated
      if (current.size > position.offset) {
        const at = position;
        position = {
          ...at,
          offset: await readRest(file, at.offset, false, opts, maxLine, async (offset) => {
            await savePosition(opts.stateFile, { ...at, offset });
          }),
        };
      }
    }
    await sleep(pollMs, opts.signal);
  }
}

/**
 * Reads `file` from `offset` to its end, line batch by line batch; returns the offset after the last complete
 * line. `final`: the file will not grow again (rotated), so a last line without a newline is complete.
 */
async function readRest(
  file: string,
  offset: number,
  final: boolean,
  opts: FollowOptions,
  maxLine: number,
  saved: (offset: number) => Promise<void>,
): Promise<number> {
  const handle = await open(file, "r").catch(() => null);
  if (!handle) return offset;
  try {
    let pos = offset;
    let carry = Buffer.alloc(0);
    let dropping = false;
    const buffer = Buffer.alloc(CHUNK);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, CHUNK, pos + carry.length);
      if (bytesRead === 0) break;
      const data = Buffer.concat([carry, buffer.subarray(0, bytesRead)]);
      const lastNewline = data.lastIndexOf(0x0a);
      if (lastNewline < 0) {
        if (data.length > maxLine) {
          // A line without end past the cap: dropped up to the next newline.
          if (!dropping) opts.onSkip?.("too-long");
          dropping = true;
          pos += data.length;
          carry = Buffer.alloc(0);
        } else carry = data;
        continue;
      }
      const lines = data.subarray(0, lastNewline).toString("utf8").split("\n");
      if (dropping) {
        lines.shift();
        dropping = false;
      }
      const kept: string[] = [];
      for (const raw of lines) {
        const l = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
        if (Buffer.byteLength(l) > maxLine) opts.onSkip?.("too-long");
        else if (l.length > 0) kept.push(l);
      }
      if (kept.length > 0) await opts.onLines(kept);
      pos += lastNewline + 1;
      carry = data.subarray(lastNewline + 1);
      await saved(pos);
    }
    if (final && carry.length > 0 && !dropping) {
      await opts.onLines([carry.toString("utf8")]);
      pos += carry.length;
    }
    return pos;
  } finally {
    await handle.close();
  }
}

async function readPosition(stateFile: string, file: string): Promise<Position | null> {
  try {
    const p = JSON.parse(await readFile(stateFile, "utf8")) as Position;
    return p.file === file && Number.isInteger(p.ino) && Number.isInteger(p.offset) && p.offset >= 0
      ? p
      : null;
  } catch {
    return null;
  }
}

/** Written to a temporary file and renamed over the old one: a crash leaves the old or the new position. */
async function savePosition(stateFile: string, p: Position): Promise<void> {
  await mkdir(path.dirname(stateFile), { recursive: true });
  const tmp = `${stateFile}.tmp`;
  await writeFile(tmp, JSON.stringify(p));
  await rename(tmp, stateFile);
}

async function statOrNull(file: string): Promise<{ ino: number; size: number } | null> {
  try {
    const s = await stat(file);
    return { ino: s.ino, size: s.size };
  } catch {
    return null;
  }
}

async function findByInode(dir: string, ino: number): Promise<string | null> {
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const full = path.join(dir, name);
    const s = await statOrNull(full);
    if (s?.ino === ino) return full;
  }
  return null;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const wake = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", wake);
      resolve();
    };
    const timer = setTimeout(wake, ms);
    signal?.addEventListener("abort", wake, { once: true });
  });
}
