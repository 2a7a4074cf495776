import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { looksBinary } from "@/lib/ingest/import/looks-binary";

const text = (s: string) => new TextEncoder().encode(s);
const LOG =
  '2025-06-03 09:14:07,512 WARN  [org.keycloak.events] (executor-thread-2) type="LOGIN_ERROR", realmName="acme", error="invalid_user_credentials"\n';

/** What users upload, and whether the import must refuse it at once. */
const UPLOADS: { name: string; bytes: Uint8Array; binary: boolean }[] = [
  { name: "a Keycloak server log", bytes: text(LOG.repeat(20)), binary: false },
  { name: "a gzipped log", bytes: gzipSync(LOG.repeat(20)), binary: false },
  {
    name: "coloured console output (ESC sequences)",
    bytes: text(`\u001b[33m${LOG}\u001b[0m`.repeat(10)),
    binary: false,
  },
  {
    name: "a log with one hostile line near the top",
    bytes: text(`${LOG}\u0001\u0002\u0003 garbage\n${LOG.repeat(10)}`),
    binary: false,
  },
  {
    name: "a zip archive",
    bytes: Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00]),
    binary: true,
  },
  {
    name: "a PNG image",
    bytes: Uint8Array.from([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 1, 0,
    ]),
    binary: true,
  },
  {
    name: "UTF-16 text (every other byte NUL)",
    bytes: Uint8Array.from(Buffer.from("type=LOGIN_ERROR", "utf16le")),
    binary: true,
  },
];

describe("looksBinary", () => {
  it.each(UPLOADS)("$name: binary = $binary", ({ bytes, binary }) => {
    expect(looksBinary(bytes)).toBe(binary);
  });
});
