import { AppError } from "@/lib/server/errors";

/** Reports are a few hundred bytes; the cap leaves room for a large token and many required roles. */
export const MAX_REPORT_BYTES = 64 * 1024;

/**
 * A request body as text, read up to `maxBytes`: a longer body is a 413 as soon as the cap is passed (a
 * Content-Length that says so is refused before reading), and bytes that are not UTF-8 are a 400. The exact
 * bytes matter: the signature is computed over them.
 */
export async function readCappedText(req: Request, maxBytes = MAX_REPORT_BYTES): Promise<string> {
  const tooLarge = () => new AppError("too_large", `The body is larger than ${maxBytes} bytes.`);
  const declared = Number(req.headers.get("content-length") ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
  if (!req.body) return "";
  const chunks: Uint8Array[] = [];
  for await (const chunk of cappedChunks(req.body.getReader(), maxBytes, tooLarge)) chunks.push(chunk);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new AppError("bad_request", "The body is not UTF-8 text.");
  }
}

/**
 * The chunks of a body, counted as they stream (whatever its Content-Length said, or if it is chunked): past
 * `maxBytes` the body is cancelled and `tooLarge()` thrown, so nothing past the cap is read or kept.
 */
export async function* cappedChunks(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  maxBytes: number,
  tooLarge: () => Error,
): AsyncGenerator<Uint8Array> {
  let total = 0;
  try {
    for (;;) {
      const next = await reader.read();
      if (next.done) return;
      total += next.value.length;
      if (total > maxBytes) {
        await reader.cancel();
        throw tooLarge();
      }
      yield next.value;
    }
  } finally {
    reader.releaseLock();
  }
}
