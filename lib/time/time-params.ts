import { z } from "zod";
import { one } from "@/lib/server/query-params";
import { BUCKETS } from "@/lib/time/choose-bucket";
import { RANGE_PRESETS, type RangePreset } from "@/lib/time/time-range";
import { isTimeZone } from "@/lib/time/zoned-time";

/** The query-string parts of time: the zone, the bucket, and a range as a preset or a custom from/to. */
export const timeZonePart = one(
  z
    .string()
    .refine(isTimeZone, { message: "must be an IANA time zone such as Europe/Berlin or UTC" })
    .optional(),
).transform((tz) => tz ?? "UTC");
export const bucketPart = one(z.enum(BUCKETS).optional());

const PRESET_IDS = Object.keys(RANGE_PRESETS) as [RangePreset, ...RangePreset[]];

/** A preset (`range=7d`) or a custom `from`/`to` as typed; lib/time/time-range.ts resolves them. */
export const rangeParts = {
  range: one(z.enum(PRESET_IDS).optional()),
  from: one(z.string().trim().max(40).optional()),
  to: one(z.string().trim().max(40).optional()),
};
