/**
 * What an hourly pattern refresh reads again: the series with a failure in the last RECENT_MS, each with its
 * whole history. An incident ends after at most 7 days without a failure, so a series quiet for longer has final
 * patterns. Events written older than that change the past: the writer sets HISTORY_CHANGED_KEY in app_state and
 * the next refresh reads every series again, as it does once a day and on its first run (FULL_EVERY_MS).
 */
export const RECENT_MS = 8 * 24 * 3_600_000;
export const FULL_EVERY_MS = 24 * 3_600_000;
export const HISTORY_CHANGED_KEY = "detection.history-changed";
export const FULL_AT_KEY = "detection.full-at";
