/**
 * npm run bench -- overlap [--rate 1000] [--batch 5000]
 * The same events arriving by two ways: a realm saving its events (read through the Admin API or pushed) whose
 * server log is also shipped or imported. Writes a minute of log rows at --rate lines/s, then batches of
 * --batch API events over the same seconds (every other one repeating a log row, which it replaces); then the
 * other way round, a minute of API events and batches of 1,000 log lines, half of them repeating one (those are
 * recognised and dropped). Reports each batch's time (median and max over three) and checks what is left: each
 * repeated event stored once. Both matchings bound each row to its own seconds; what this measures is that they
 * do not read the whole of those seconds for every row. The database: DATABASE_URL (local only: it is wiped) or
 * an embedded PostgreSQL in .data/bench.
 */
import type postgres from "postgres";
import { dropRowsSeenByApi, writeUserEvents } from "@/lib/ingest/write/write-events";
import { isRejected, toUserEventRow, type UserEventRow } from "@/lib/keycloak/event-rows";
import { openBenchDatabase } from "./bench-db";

const SOURCE_ID = "00000000-0000-4000-8000-00000000aa01";
// A fixed day: a run does not depend on the wall clock.
const T0 = Date.parse("2026-11-01T10:00:00Z");

function row(ms: number, origin: "api" | "log", id: string, user: string): UserEventRow {
  const r = toUserEventRow(
    {
      id,
      time: T0 + ms,
      type: "LOGIN_ERROR",
      error: "invalid_user_credentials",
      userId: user,
      clientId: `client-${ms % 50}`,
      ipAddress: `10.0.${ms % 200}.1`,
    },
    { sourceId: SOURCE_ID, realm: "acme", origin },
  );
  if (isRejected(r)) throw new Error(r.rejected);
  return r;
}

const userOf = (ms: number) => `user-${ms % 5000}`;

async function minuteOf(sql: postgres.Sql, origin: "api" | "log", rate: number, offset: number) {
  const rows: UserEventRow[] = [];
  for (let k = 0; k < 60 * rate; k++) {
    const ms = offset + Math.floor((k * 1000) / rate);
    rows.push(row(ms, origin, `${origin === "log" ? "fp:" : ""}${origin}-${offset}-${k}`, userOf(ms)));
  }
  for (let i = 0; i < rows.length; i += 5000) await writeUserEvents(sql, rows.slice(i, i + 5000));
  await sql`analyze user_events`;
}

const stats = (ms: number[]) => {
  const s = [...ms].sort((a, b) => a - b);
  return { medianMs: Math.round(s[Math.floor(s.length / 2)]!), maxMs: Math.round(s[s.length - 1]!) };
};

export async function run(args: string[]): Promise<Record<string, unknown>> {
  const opt = (name: string, fallback: number) => {
    const i = args.indexOf(`--${name}`);
    const v = i >= 0 ? Number(args[i + 1]) : fallback;
    if (!Number.isInteger(v) || v < 1) throw new Error(`--${name} must be a positive integer`);
    return v;
  };
  const rate = opt("rate", 1000);
  const batch = opt("batch", 5000);
  const log = (m: string) => process.stderr.write(`[bench overlap] ${m}\n`);
  const { db, sql, serverVersion } = await openBenchDatabase();
  try {
    await sql`insert into sources (id, name, kind, updated_at) values (${SOURCE_ID}, 'bench', 'import', now())`;

    log(`a minute of log rows at ${rate}/s, then API batches of ${batch} over the same seconds`);
    await minuteOf(sql, "log", rate, 0);
    const apiTimes: number[] = [];
    let replaced = 0;
    for (let r = 0; r < 3; r++) {
      const api = Array.from({ length: batch }, (_, j) => {
        const ms = 10_000 * (r + 1) + Math.floor((j * 1000) / rate);
        // Every other one repeats the log row of its millisecond; the others are another user's event.
        return row(ms, "api", `api-${r}-${j}`, j % 2 ? userOf(ms) : `other-${r}-${j}`);
      });
      const before = await count(sql, "log");
      const t = performance.now();
      await writeUserEvents(sql, api, { supersedeLogRows: true });
      apiTimes.push(performance.now() - t);
      replaced += before - (await count(sql, "log"));
    }

    log(`a minute of API events at ${rate}/s, then batches of 1,000 log lines over the same seconds`);
    await minuteOf(sql, "api", rate, 120_000);
    const logTimes: number[] = [];
    let dropped = 0;
    for (let r = 0; r < 3; r++) {
      const lines = Array.from({ length: 1000 }, (_, j) => {
        const ms = 120_000 + 15_000 * r + Math.floor((j * 1000) / rate);
        return row(ms, "log", `fp:line-${r}-${j}`, j % 2 ? userOf(ms) : `other-${r}-${j}`);
      });
      const t = performance.now();
      const kept = await dropRowsSeenByApi(sql, lines);
      logTimes.push(performance.now() - t);
      dropped += lines.length - kept.length;
    }
    const expected = Math.floor(batch / 2) * 3;
    return {
      rate,
      apiBatch: { rows: batch, ...stats(apiTimes), logRowsReplaced: replaced, expected },
      logBatch: { rows: 1000, ...stats(logTimes), linesDropped: dropped, expected: 1500 },
      correct: replaced === expected && dropped === 1500,
      postgres: serverVersion,
    };
  } finally {
    await sql.end();
    await db.stop();
  }
}

async function count(sql: postgres.Sql, origin: string): Promise<number> {
  const [c] = await sql<{ n: number }[]>`
    select count(*)::int as n from user_events where source_id = ${SOURCE_ID} and origin = ${origin}`;
  return c?.n ?? 0;
}
