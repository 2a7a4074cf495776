import { z } from "zod";
import { one, textPart } from "@/lib/server/query-params";
import { timeZonePart } from "@/lib/time/time-params";

/** The query string of POST /api/import: where the lines go and how to read their timestamps. */
export const importQuery = z.object({
  source: one(textPart.optional()),
  realm: one(textPart.optional()),
  tz: timeZonePart,
  date: one(
    z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, { message: "must be a date such as 2026-03-14" })
      .optional(),
  ),
});

export type ImportQuery = z.infer<typeof importQuery>;
