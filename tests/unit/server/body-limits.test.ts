import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { textLogBody } from "@/lib/ingest/import/text-log-body";
import { readLines } from "@/lib/logs/read-lines";
import { IMPORT_MAX_BYTES, JSON_MAX_BYTES } from "@/lib/server/request-limits";
import { routeWith } from "@/lib/server/route";

// @ts-expect-error next.config.js is plain JavaScript without declarations; its shape is checked below.
const { default: nextConfig } = await import("@/next.config.js");

/** A body sent in chunks, without Content-Length (what `Transfer-Encoding: chunked` gives a route). */
function chunked(total: number, chunk = 64 * 1024, byte = 0x61): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= total) return controller.close();
      const n = Math.min(chunk, total - sent);
      sent += n;
      controller.enqueue(new Uint8Array(n).fill(byte));
    },
  });
}

async function drain(source: AsyncIterable<unknown>): Promise<number> {
  let n = 0;
  for await (const _ of source) n++;
  return n;
}

describe("body limits counted as the body streams", () => {
  it("a chunked JSON body over the API limit is a 413, whatever its headers say", async () => {
    const route = routeWith(() => "someone");
    const handler = route({ body: z.unknown() }, () => ({ ok: true }));
    const request = new Request("http://x/api/sources", {
      method: "POST",
      body: chunked(JSON_MAX_BYTES + 1),
      duplex: "half",
    } as RequestInit);
    expect(request.headers.get("content-length")).toBeNull();
    const res = await handler(request);
    expect(res.status).toBe(413);
  });

  it("an upload past the import limit is a 413, not a silently shortened import", async () => {
    const body = await textLogBody(chunked(3 * 1024 * 1024, 64 * 1024, 0x0a), 2 * 1024 * 1024);
    await expect(drain(body)).rejects.toMatchObject({ code: "too_large", message: /larger than 2 MiB/ });
    const fits = await textLogBody(chunked(1024 * 1024, 64 * 1024, 0x0a), 2 * 1024 * 1024);
    expect(await drain(fits)).toBe(16);
  });

  it("a small gzip upload that inflates past the text limit stops there (a gzip bomb)", async () => {
    // Lines of a kilobyte: the limit is reached after 4,096 of them, not after two million one-letter lines (whose
    // reading alone took seconds on a busy machine).
    const bomb = gzipSync(Buffer.alloc(20 * 1024 * 1024, `${"a".repeat(1023)}\n`));
    expect(bomb.length).toBeLessThan(64 * 1024);
    const lines = readLines(
      (async function* () {
        yield bomb;
      })(),
      { maxTotalBytes: 4 * 1024 * 1024 },
    );
    await expect(drain(lines)).rejects.toMatchObject({ code: "too_large", message: /once decompressed/ });
  });

  it("Next's proxy buffers one byte more than the import limit (it shortens longer bodies silently)", () => {
    expect(
      (nextConfig as { experimental: { proxyClientMaxBodySize: number } }).experimental
        .proxyClientMaxBodySize,
    ).toBe(IMPORT_MAX_BYTES + 1);
  });
});
