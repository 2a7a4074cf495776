import type postgres from "postgres";
import { isCauseId } from "@/lib/classify/causes";
import { type CheckTarget, checkContextOf, usernameFor } from "@/lib/diagnose/pattern-check-context";
import { summarizeValues } from "@/lib/queries/patterns/pattern-evidence";
import { AppError } from "@/lib/server/errors";

interface EventRow {
  source_id: string;
  realm: string;
  cause: string | null;
  client_id: string | null;
  user_id: string | null;
  type: string;
  error: string | null;
  details: Record<string, unknown> | null;
  http_method: string | null;
  http_path: string | null;
  http_status: number | null;
}

/** One failure's values in the form a pattern keeps them (summarizeValues expands `required` and `token_claims`). */
export function eventValues(row: EventRow) {
  const rows: { k: string; v: string; n: number }[] = [];
  const put = (k: string, v: unknown) => {
    if (typeof v === "string" && v !== "") rows.push({ k, v, n: 1 });
  };
  for (const [k, v] of Object.entries(row.details ?? {})) put(k, v);
  put("type", row.type);
  put("error", row.error);
  if (row.http_method && row.http_path) put("endpoint", `${row.http_method} ${row.http_path}`);
  if (row.http_status !== null) put("status", String(row.http_status));
  return summarizeValues(rows);
}

/**
 * A stored failure's source, cause and check context, built like a pattern's from what that one failure
 * carried. `sourceId` narrows the search when two sources hold the same event id; 404 for an unknown id,
 * 400 for an event that is not a classified failure or whose id is ambiguous.
 */
export async function loadEventCheckContext(
  sql: postgres.Sql,
  eventId: string,
  sourceId?: string,
): Promise<CheckTarget> {
  const rows = await sql<EventRow[]>`
    select source_id, realm, cause, client_id, user_id, type, error, details, http_method, http_path, http_status
    from user_events
    where id = ${eventId} ${sourceId ? sql`and source_id = ${sourceId}::uuid` : sql``}
    limit 2`;
  const [row] = rows;
  if (!row) throw new AppError("not_found", "No such event: it may have expired under the retention policy.");
  if (rows.length > 1) {
    throw new AppError("bad_request", `Several sources hold an event ${eventId}: give its sourceId.`);
  }
  if (!row.cause || !isCauseId(row.cause)) {
    throw new AppError(
      "bad_request",
      `Event ${eventId} is not a classified failure: there is no cause to check.`,
    );
  }
  const values = eventValues(row);
  const context = checkContextOf({
    realm: row.realm,
    clientId: row.client_id || null,
    userId: row.user_id,
    username: await usernameFor(sql, { sourceId: row.source_id, realm: row.realm, userId: row.user_id }),
    values,
    samples: row.details ? [row.details] : [],
  });
  return { sourceId: row.source_id, cause: row.cause, context, values, failures: 1 };
}
