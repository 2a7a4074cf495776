/**
 * What an hourly pattern refresh reads again (lib/patterns/refresh-patterns.ts):
 * - the series with a failure in the last RECENT_MS, or with a pattern not resolved yet. A series quiet for longer
 *   can change nothing: a run that is not a pattern ends after 16 quiet hours, a pattern resolves after 24, and a
 *   resolved one changes again only when failures return (which makes its series recent);
 * - each of them replayed from REPLAY_MS before its earliest pattern that may still change (one seen in the last
 *   REPLAY_MS or not resolved), and at least 2 x REPLAY_MS back: an incident ends after at most 7 days without a
 *   failure, and the usual share of an ambient cause is learnt from the 7 days before.
 * Events written older than RECENT_MS (a first sync, a catch-up after downtime, a backfill, an old log) can change
 * what is not read again: the writer sets HISTORY_CHANGED_KEY and the next refresh reads every series, as it does on
 * its first run and once every FULL_EVERY_MS.
 */
export const RECENT_MS = 26 * 3_600_000;
export const REPLAY_MS = 8 * 24 * 3_600_000;
export const FULL_EVERY_MS = 24 * 3_600_000;
export const HISTORY_CHANGED_KEY = "detection.history-changed";
export const FULL_AT_KEY = "detection.full-at";
