import { z } from "zod";

/**
 * How long raw events are kept (REALMWATCH_RETENTION_DAYS, default 90) and admin events (their own setting,
 * default 365, since they explain changes long after the denials they caused). Rollups and patterns are not
 * deleted: they are small and are what the charts read. Privacy options apply at ingest.
 */
const flag = z.union([
  z.boolean(),
  z.enum(["1", "0", "true", "false"]).transform((v) => v === "1" || v === "true"),
]);

const schema = z.object({
  REALMWATCH_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  REALMWATCH_ADMIN_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(365),
  REALMWATCH_RETENTION_BATCH: z.coerce.number().int().min(100).max(100_000).default(5000),
  REALMWATCH_TRUNCATE_IP: flag.default(false),
  REALMWATCH_HASH_USERNAMES: flag.default(false),
});

export interface RetentionConfig {
  userEventDays: number;
  adminEventDays: number;
  batchSize: number;
  truncateIp: boolean;
  hashUsernames: boolean;
}

export function readRetentionConfig(env: Record<string, unknown> = process.env): RetentionConfig {
  const given = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const e = schema.parse(given);
  return {
    userEventDays: e.REALMWATCH_RETENTION_DAYS,
    adminEventDays: e.REALMWATCH_ADMIN_RETENTION_DAYS,
    batchSize: e.REALMWATCH_RETENTION_BATCH,
    truncateIp: e.REALMWATCH_TRUNCATE_IP,
    hashUsernames: e.REALMWATCH_HASH_USERNAMES,
  };
}
