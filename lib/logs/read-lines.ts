import { pipeline, Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { AppError } from "@/lib/server/errors";

export const DEFAULT_MAX_LINE_BYTES = 1024 * 1024;

/** Why a line was not handed to a parser. */
export type SkipReason =
  | "too-long"
  | "invalid-utf8"
  | "nul-bytes"
  | "binary"
  /** The input is gzip and the caller asked to be told rather than have it decompressed. */
  | "gzip"
  /** The gzip stream is damaged; nothing after this point can be read. */
  | "gzip-corrupt";

export type ReadLine =
  | { lineNo: number; text: string; skipped?: undefined }
  | { lineNo: number; skipped: SkipReason; text?: undefined };

export interface ReadLinesOptions {
  /** Longer lines are skipped as "too-long" without being buffered whole. Default 1 MiB. */
  maxLineBytes?: number;
  /** "gunzip" (default) decompresses a gzip stream on the fly; "report" yields one "gzip" skip and stops. */
  gzip?: "gunzip" | "report";
  /**
   * The most text bytes (after gzip decompression) read before a `too_large` AppError: a small upload that
   * inflates without end (a gzip bomb) stops there. Unset: no limit.
   */
  maxTotalBytes?: number;
}

type ByteSource = AsyncIterable<Uint8Array | string>;

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
// C0 controls other than tab, LF, CR and ESC, plus DEL. ESC stays: coloured console output is text.
const BINARY_CHARS = /[\x00-\x08\x0b\x0c\x0e-\x1a\x1c-\x1f\x7f]/;

/**
 * Streams lines out of a byte source. Splits on 0x0A in Buffers (no per-character JS work), strips a
 * trailing CR, decodes each line with a fatal UTF-8 decoder, and reports unreadable lines instead of
 * throwing, so one bad line never stops an import. A line over the byte limit is discarded while the
 * reader scans for its end: it is never held in memory whole.
 */
export async function* readLines(
  source: ByteSource,
  options: ReadLinesOptions = {},
): AsyncGenerator<ReadLine> {
  const maxBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const { first, rest } = await peek(source);
  if (first === null) return;

  let chunks: AsyncIterable<Uint8Array | string>;
  if (isGzip(first)) {
    if (options.gzip === "report") {
      yield { lineNo: 1, skipped: "gzip" };
      return;
    }
    chunks = gunzip(prepend(first, rest));
  } else {
    chunks = prepend(first, rest);
  }

  let parts: Buffer[] = [];
  let partBytes = 0;
  let discarding = false;
  let lineNo = 0;
  let total = 0;
  const maxTotal = options.maxTotalBytes ?? Number.POSITIVE_INFINITY;

  try {
    for await (const raw of chunks) {
      const chunk = typeof raw === "string" ? Buffer.from(raw, "utf8") : toBuffer(raw);
      total += chunk.length;
      if (total > maxTotal) {
        throw new AppError(
          "too_large",
          `The log holds more than ${formatMiB(maxTotal)} of text${first !== null && isGzip(first) ? " once decompressed" : ""}: ` +
            `the lines before line ${lineNo + 1} were imported; split the file or use npm run import for the rest.`,
        );
      }
      let start = 0;
      while (start < chunk.length) {
        const newline = chunk.indexOf(NEWLINE, start);
        if (newline === -1) {
          const tail = chunk.length - start;
          if (!discarding) {
            if (partBytes + tail > maxBytes) {
              discarding = true;
              parts = [];
              partBytes = 0;
            } else {
              parts.push(chunk.subarray(start));
              partBytes += tail;
            }
          }
          break;
        }
        lineNo++;
        const segment = newline - start;
        if (discarding || partBytes + segment > maxBytes) {
          discarding = false;
          parts = [];
          partBytes = 0;
          yield { lineNo, skipped: "too-long" };
        } else if (partBytes === 0) {
          yield decodeLine(decoder, chunk.subarray(start, newline), lineNo);
        } else {
          parts.push(chunk.subarray(start, newline));
          const line = Buffer.concat(parts, partBytes + segment);
          parts = [];
          partBytes = 0;
          yield decodeLine(decoder, line, lineNo);
        }
        start = newline + 1;
      }
    }
  } catch (error) {
    if (!isZlibError(error)) throw error;
    yield { lineNo: lineNo + 1, skipped: "gzip-corrupt" };
    return;
  }

  if (discarding) {
    yield { lineNo: lineNo + 1, skipped: "too-long" };
  } else if (partBytes > 0) {
    yield decodeLine(decoder, Buffer.concat(parts, partBytes), lineNo + 1);
  }
}

function decodeLine(decoder: TextDecoder, bytes: Buffer, lineNo: number): ReadLine {
  const line =
    bytes.length > 0 && bytes[bytes.length - 1] === CARRIAGE_RETURN ? bytes.subarray(0, -1) : bytes;
  if (line.indexOf(0) !== -1) return { lineNo, skipped: "nul-bytes" };
  let text: string;
  try {
    text = decoder.decode(line);
  } catch {
    return { lineNo, skipped: "invalid-utf8" };
  }
  if (BINARY_CHARS.test(text)) return { lineNo, skipped: "binary" };
  return { lineNo, text };
}

function isGzip(first: Buffer): boolean {
  return first.length >= 2 && first[0] === 0x1f && first[1] === 0x8b;
}

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Reads until at least two bytes are known (enough for the gzip magic) or the source ends. */
async function peek(
  source: ByteSource,
): Promise<{ first: Buffer | null; rest: AsyncIterator<Uint8Array | string> }> {
  const rest = source[Symbol.asyncIterator]();
  const seen: Buffer[] = [];
  let bytes = 0;
  while (bytes < 2) {
    const next = await rest.next();
    if (next.done) break;
    const chunk = typeof next.value === "string" ? Buffer.from(next.value, "utf8") : toBuffer(next.value);
    seen.push(chunk);
    bytes += chunk.length;
  }
  return { first: bytes === 0 ? null : Buffer.concat(seen, bytes), rest };
}

async function* prepend(
  first: Buffer,
  rest: AsyncIterator<Uint8Array | string>,
): AsyncGenerator<Uint8Array | string> {
  yield first;
  for (;;) {
    const next = await rest.next();
    if (next.done) return;
    yield next.value;
  }
}

function gunzip(compressed: AsyncIterable<Uint8Array | string>): AsyncIterable<Buffer> {
  const inflate = createGunzip();
  // The callback only swallows the pipeline's own report: the error also reaches the reader of `inflate`.
  pipeline(Readable.from(compressed), inflate, () => {});
  return inflate;
}

function isZlibError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("Z_");
}

function formatMiB(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024))} MiB`;
}
