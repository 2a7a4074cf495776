import { CAUSES, isCauseId } from "@/lib/classify/causes";

/** "Missing scope" for "missing-scope"; an id from a newer catalogue is shown as it is. */
export function causeTitle(cause: string): string {
  return isCauseId(cause) ? CAUSES[cause].title : cause;
}
