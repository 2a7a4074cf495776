import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { type ReadLine, type ReadLinesOptions, readLines } from "@/lib/logs/read-lines";

async function collect(chunks: (Buffer | string)[], options?: ReadLinesOptions): Promise<ReadLine[]> {
  const out: ReadLine[] = [];
  for await (const line of readLines(Readable.from(chunks, { objectMode: true }), options)) out.push(line);
  return out;
}

/** Every byte in its own chunk: the hardest split for a line reader. */
function bytewise(text: Buffer): Buffer[] {
  return [...text].map((b) => Buffer.from([b]));
}

describe("readLines", () => {
  it("yields numbered lines, strips CR, keeps empty lines and a last line without newline", async () => {
    const lines = await collect([Buffer.from("first\r\n\nsecond\nthird")]);
    expect(lines).toEqual([
      { lineNo: 1, text: "first" },
      { lineNo: 2, text: "" },
      { lineNo: 3, text: "second" },
      { lineNo: 4, text: "third" },
    ]);
  });

  it("reassembles lines and multi-byte characters split across chunks", async () => {
    const text = "type=LOGIN_ERROR, username=Jürgen 日本\nnext ✓\n";
    expect(await collect(bytewise(Buffer.from(text)))).toEqual([
      { lineNo: 1, text: "type=LOGIN_ERROR, username=Jürgen 日本" },
      { lineNo: 2, text: "next ✓" },
    ]);
  });

  it("accepts string chunks (a stream with an encoding set)", async () => {
    expect(await collect(["a\nb", "c\n"])).toEqual([
      { lineNo: 1, text: "a" },
      { lineNo: 2, text: "bc" },
    ]);
  });

  it("skips a line over the byte limit, whether it arrives whole or in pieces, and goes on", async () => {
    const long = "x".repeat(300);
    const whole = await collect([Buffer.from(`ok\n${long}\nafter\n`)], { maxLineBytes: 100 });
    const pieces = await collect(bytewise(Buffer.from(`ok\n${long}\nafter\n`)), { maxLineBytes: 100 });
    const expected = [
      { lineNo: 1, text: "ok" },
      { lineNo: 2, skipped: "too-long" },
      { lineNo: 3, text: "after" },
    ];
    expect(whole).toEqual(expected);
    expect(pieces).toEqual(expected);
  });

  it("skips a 10 MB line under the default 1 MiB limit, including as the last line", async () => {
    const huge = Buffer.alloc(10 * 1024 * 1024, 0x61);
    const chunks = [Buffer.from("before\n")];
    for (let i = 0; i < huge.length; i += 65536) chunks.push(huge.subarray(i, i + 65536));
    const lines = await collect(chunks);
    expect(lines).toEqual([
      { lineNo: 1, text: "before" },
      { lineNo: 2, skipped: "too-long" },
    ]);
  });

  it("reports invalid UTF-8, NUL bytes and binary garbage instead of decoding them", async () => {
    const input = Buffer.concat([
      Buffer.from("good\n"),
      Buffer.from([0xc3, 0x28, 0x0a]), // an invalid 2-byte sequence
      Buffer.from("nul\u0000inside\n"),
      Buffer.from([0x01, 0x02, 0x03, 0x7f, 0x0a]),
      Buffer.from("\u001b[33mWARN\u001b[0m coloured console output is text\n"),
    ]);
    expect(await collect([input])).toEqual([
      { lineNo: 1, text: "good" },
      { lineNo: 2, skipped: "invalid-utf8" },
      { lineNo: 3, skipped: "nul-bytes" },
      { lineNo: 4, skipped: "binary" },
      { lineNo: 5, text: "\u001b[33mWARN\u001b[0m coloured console output is text" },
    ]);
  });

  it("gunzips a gzip stream detected by its magic bytes, even split into tiny chunks", async () => {
    const compressed = gzipSync(Buffer.from("one\ntwo\n"));
    expect(await collect(bytewise(compressed))).toEqual([
      { lineNo: 1, text: "one" },
      { lineNo: 2, text: "two" },
    ]);
  });

  it("reports gzip instead of reading it when asked to", async () => {
    expect(await collect([gzipSync(Buffer.from("one\n"))], { gzip: "report" })).toEqual([
      { lineNo: 1, skipped: "gzip" },
    ]);
  });

  it("reports a damaged gzip stream after the lines it could read", async () => {
    const compressed = gzipSync(Buffer.from(`${"line\n".repeat(2000)}`));
    const truncated = compressed.subarray(0, compressed.length - 20);
    const lines = await collect([truncated]);
    expect(lines.at(-1)).toMatchObject({ skipped: "gzip-corrupt" });
    expect(lines.filter((l) => l.text === "line").length).toBeGreaterThan(0);
  });

  it("yields nothing for an empty source", async () => {
    expect(await collect([])).toEqual([]);
  });

  it("rethrows a failure of the source itself", async () => {
    async function* failing() {
      yield Buffer.from("a\n");
      throw new Error("EIO: read failed");
    }
    const read = async () => {
      for await (const _ of readLines(failing())) {
        // drain
      }
    };
    await expect(read()).rejects.toThrow("EIO");
  });
});
