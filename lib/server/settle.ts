import type { AppError } from "@/lib/server/errors";
import { expectedError } from "./respond";

export type Settled<T> = { ok: true; value: T } | { ok: false; error: AppError };

/**
 * For pages: the value, or the expected failure to show in a banner (a bad filter, the database down). Anything
 * else is a bug and is thrown on to the route's error boundary.
 */
export async function settle<T>(work: Promise<T>): Promise<Settled<T>> {
  try {
    return { ok: true, value: await work };
  } catch (err) {
    const error = expectedError(err);
    if (!error) throw err;
    return { ok: false, error };
  }
}
