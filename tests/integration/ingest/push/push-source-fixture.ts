import type postgres from "postgres";
import { type CreatePushSourceInput, createPushSource } from "@/lib/sources/push-source";

/** A push source of a test file's own, with its secrets. */
export interface TestPushSource {
  sourceId: string;
  secret: string;
  token: string;
}

const STORED = ["user_events", "admin_events", "rollup_minute", "rollup_hour", "rollup_day", "push_minutes"];

/** A fresh push source named `name` (one an earlier run left behind is removed first). */
export async function createTestPushSource(
  sql: postgres.Sql,
  name: string,
  settings: Omit<CreatePushSourceInput, "name"> = {},
): Promise<TestPushSource> {
  await sql`delete from sources where name = ${name}`;
  const created = await createPushSource(sql, { name, ...settings });
  return {
    sourceId: created.settings.sourceId,
    secret: created.secrets.webhookSecret,
    token: created.secrets.pushToken,
  };
}

/** Empties what was stored for the source: events, rollups and push counts. */
export async function clearTestPushSource(sql: postgres.Sql, sourceId: string): Promise<void> {
  for (const table of STORED) await sql`delete from ${sql(table)} where source_id = ${sourceId}`;
}

/** Removes the source and everything stored for it. */
export async function removeTestPushSource(sql: postgres.Sql, sourceId: string): Promise<void> {
  await clearTestPushSource(sql, sourceId);
  await sql`delete from sources where id = ${sourceId}`;
}
