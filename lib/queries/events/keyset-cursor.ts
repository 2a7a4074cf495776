import { z } from "zod";
import { AppError } from "@/lib/server/errors";

/**
 * Keyset paging over (time desc, id desc, source_id desc, realm desc): the full key is unique, so a page
 * boundary inside a run of equal times neither skips nor repeats a row, whatever is inserted meanwhile.
 * (Keycloak's own API orders by time alone with offset paging, which does both: keycloak#18655, #45989.)
 * A cursor is the key of the last row shown, opaque to the browser.
 */
export interface EventKey {
  time: number;
  id: string;
  sourceId: string;
  realm: string;
}

const VERSION = 1;
const cursorSchema = z.tuple([
  z.literal(VERSION),
  z.number().int().nonnegative(),
  z.string().min(1).max(512),
  z.uuid(),
  z.string().min(1).max(512),
]);

export function encodeCursor(key: EventKey): string {
  return Buffer.from(JSON.stringify([VERSION, key.time, key.id, key.sourceId, key.realm])).toString(
    "base64url",
  );
}

export function decodeCursor(text: string): EventKey {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
  } catch {
    raw = undefined;
  }
  const parsed = cursorSchema.safeParse(raw);
  if (!parsed.success) {
    throw new AppError(
      "bad_request",
      "The page cursor is not valid (it may be from an older version): start again from the first page.",
    );
  }
  const [, time, id, sourceId, realm] = parsed.data;
  return { time, id, sourceId, realm };
}

/** Which way a page goes from its cursor: `after` = older rows (next page), `before` = newer rows. */
export type PageDirection = "after" | "before";
