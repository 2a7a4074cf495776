import { AppError } from "@/lib/server/errors";
import { cappedChunks } from "@/lib/server/read-capped-text";
import { looksBinary } from "./looks-binary";

/** How much of the upload is looked at before the import starts. */
export const SNIFF_BYTES = 4096;

/**
 * A request body as a stream of chunks for importLog, after a look at its first bytes: no body, an empty body,
 * or one that is plainly not a text log (or gzip) is refused before anything is stored. The body is never
 * buffered whole; only the sniffed chunks are held until the import reads them. Past `maxBytes` (counted as
 * the body streams, whatever its Content-Length said or if it is chunked) it stops with a 413 instead of
 * importing a silently shortened file.
 */
export async function textLogBody(
  body: ReadableStream<Uint8Array> | null,
  maxBytes = Number.POSITIVE_INFINITY,
): Promise<AsyncIterable<Uint8Array>> {
  if (!body) throw new AppError("bad_request", "Send the log file as the request body.");
  const reader = body.getReader();
  const tooLarge = () =>
    new AppError(
      "too_large",
      `The upload is larger than ${Math.round(maxBytes / (1024 * 1024))} MiB: the lines before that point were ` +
        "imported (importing them again counts them as already stored); split the file or use npm run import.",
    );
  const chunks = cappedChunks(reader, maxBytes, tooLarge);
  const head: Uint8Array[] = [];
  let headBytes = 0;
  let done = false;
  while (headBytes < SNIFF_BYTES) {
    const next = await chunks.next();
    if (next.done) {
      done = true;
      break;
    }
    head.push(next.value);
    headBytes += next.value.length;
  }
  if (headBytes === 0) throw new AppError("bad_request", "The request body is empty: send the log file.");
  const sample = Buffer.concat(head).subarray(0, SNIFF_BYTES);
  if (looksBinary(sample)) {
    await reader.cancel();
    await chunks.return(undefined);
    throw new AppError(
      "bad_request",
      "This file is not a text log: send a Keycloak server log, an access log or event JSON (plain or gzip).",
    );
  }
  return (async function* () {
    yield* head;
    if (!done) yield* chunks;
  })();
}
