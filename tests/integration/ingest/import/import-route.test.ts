import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { closeSql } from "@/lib/db/sql";
import { LOG_LINE_CASES, NOISE_LINES, SIGNATURE_PART } from "@/testkit/log-lines";
import { testDatabaseUrl, testSql } from "../../helpers/db";

// Route modules are server-only and read the session cookie; outside Next there is no request scope.
vi.mock("server-only", () => ({}));
vi.mock("next/headers", () => ({ cookies: async () => ({ get: () => undefined }) }));
const SOURCE = "import-route-test";
const sql = (() => {
  testDatabaseUrl();
  return testSql(2);
})();
let sourceId = "";

beforeAll(async () => {
  const [row] = await sql<{ id: string }[]>`
    insert into sources (id, name, kind, updated_at) values (gen_random_uuid(), ${SOURCE}, 'import', now())
    returning id`;
  sourceId = row!.id;
});

afterAll(async () => {
  await sql`delete from user_events where source_id = ${sourceId}`;
  await sql`delete from admin_events where source_id = ${sourceId}`;
  await sql`delete from sources where id = ${sourceId}`;
  await sql.end();
  await closeSql();
});

const { POST } = await import("@/app/api/import/route");

/** The upload as the browser sends it: a stream, in small chunks, so nothing depends on one buffer. */
function streamOf(bytes: Uint8Array, chunk = 1024): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.subarray(offset, offset + chunk));
      offset += chunk;
    },
  });
}

const upload = (body: Uint8Array, query = `source=${SOURCE}&tz=UTC&date=2025-06-03`) =>
  POST(
    new Request(`http://localhost/api/import?${query}`, {
      method: "POST",
      body: streamOf(body),
      duplex: "half",
    } as RequestInit),
  );

interface ImportAnswer {
  source: { id: string; name: string };
  report: {
    lines: number;
    events: number;
    stored: number;
    alreadyStored: number;
    notEvents: number;
    skipped: number;
    assumption: string;
    causes: Record<string, number>;
    origins: Record<string, number>;
  };
}

describe("POST /api/import with a mixed log", () => {
  // Every format interleaved with noise, the way a log shipper's file looks.
  const lines = LOG_LINE_CASES.flatMap((c, i) => [c.line, NOISE_LINES[i % NOISE_LINES.length]!]);
  const file = new TextEncoder().encode(`${lines.join("\n")}\n`);

  it("stores each format's denial with its origin and cause, and says what it assumed", async () => {
    const res = await upload(file);
    expect(res.status).toBe(200);
    const { source, report } = (await res.json()) as ImportAnswer;
    expect(source.name).toBe(SOURCE);
    expect(report).toMatchObject({
      lines: lines.length,
      events: LOG_LINE_CASES.length,
      stored: LOG_LINE_CASES.length,
      notEvents: LOG_LINE_CASES.length,
      skipped: 0,
    });
    expect(report.assumption).toContain("UTC");
    expect(report.causes).toMatchObject({ cors: 1, "missing-scope": 1, "client-auth": 2, "redirect-uri": 2 });
    expect(report.origins).toEqual({ log: 3, api: 1, "access-log": 5 });

    const rows = await sql<
      { origin: string; type: string; realm: string; cause: string; http_status: number | null }[]
    >`
      select origin, type, realm, cause, http_status from user_events where source_id = ${sourceId}`;
    expect(rows).toHaveLength(LOG_LINE_CASES.length);
    for (const c of LOG_LINE_CASES) {
      expect(rows, c.format).toContainEqual({
        origin: c.expect.origin,
        type: c.expect.type,
        realm: c.expect.realm,
        cause: c.expect.cause,
        http_status: c.expect.httpStatus ?? null,
      });
    }
  });

  it("stores nothing twice when the same file is imported again, except lines that carry no time", async () => {
    // A line without a timestamp is stamped with the import time, so a second import cannot recognise it.
    const undated = LOG_LINE_CASES.filter((c) => !/\d{2}:\d{2}:\d{2}|"time/.test(c.line)).length;
    expect(undated).toBe(1);
    const res = await upload(file);
    const { report } = (await res.json()) as ImportAnswer;
    expect(report).toMatchObject({ stored: undated, alreadyStored: LOG_LINE_CASES.length - undated });
  });

  it("keeps the bearer token of an access-log line out of the database", async () => {
    const [hit] = await sql<{ n: number }[]>`
      select count(*)::int as n from user_events u
      where source_id = ${sourceId} and strpos(row_to_json(u)::text, ${SIGNATURE_PART}) > 0`;
    expect(hit!.n).toBe(0);
  });
});

describe("POST /api/import refuses what is not a log", () => {
  it("answers 400 to a binary file, before storing anything", async () => {
    const png = new Uint8Array(4096);
    png.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const res = await upload(png);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toContain("not a text log");
  });

  it("answers 400 to an empty body and to an unknown time zone", async () => {
    expect((await upload(new Uint8Array(0))).status).toBe(400);
    const res = await upload(new TextEncoder().encode("x\n"), `source=${SOURCE}&tz=Mars/Olympus`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toContain("tz");
  });

  it("answers 404 naming a source that does not exist", async () => {
    const res = await upload(new TextEncoder().encode("x\n"), "source=no-such-source");
    expect(res.status).toBe(404);
  });
});
