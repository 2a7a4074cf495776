import type postgres from "postgres";
import { type ImportReport, importLog } from "@/lib/ingest/import/import-log";
import { followFile } from "./follow-file";

/**
 * `npm run import -- --follow <file>`: the log import, fed by a file being written (follow-file.ts). Each batch
 * of new lines is imported (the same parsers, write path and fingerprints as any import) before the position
 * is saved.
 */
export interface FollowImportOptions {
  file: string;
  stateFile: string;
  sourceId: string;
  defaultRealm?: string;
  timeZone?: string;
  pollMs?: number;
  signal?: AbortSignal;
  onBatch?: (batch: ImportReport, totals: FollowTotals) => void;
}

export type FollowTotals = Pick<ImportReport, "lines" | "events" | "stored" | "alreadyStored" | "skipped">;

export async function followImport(sql: postgres.Sql, opts: FollowImportOptions): Promise<FollowTotals> {
  const totals: FollowTotals = { lines: 0, events: 0, stored: 0, alreadyStored: 0, skipped: 0 };
  await followFile({
    file: opts.file,
    stateFile: opts.stateFile,
    pollMs: opts.pollMs,
    signal: opts.signal,
    onSkip: () => {
      totals.skipped++;
    },
    onLines: async (lines) => {
      const report = await importLog(
        sql,
        (async function* () {
          for (const line of lines) yield `${line}\n`;
        })(),
        { sourceId: opts.sourceId, defaultRealm: opts.defaultRealm, timeZone: opts.timeZone },
      );
      totals.lines += report.lines;
      totals.events += report.events;
      totals.stored += report.stored;
      totals.alreadyStored += report.alreadyStored;
      totals.skipped += report.skipped;
      opts.onBatch?.(report, totals);
    },
  });
  return totals;
}
