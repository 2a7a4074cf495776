/**
 * The largest webhook body: one event with a large admin representation (stored up to 256 KiB) and room to spare;
 * the request guard refuses a larger declared Content-Length before the route runs (lib/server/request-limits.ts).
 */
export const MAX_PUSH_BYTES = 1024 * 1024;
