import { z } from "zod";
import { route } from "@/lib/auth/route";
import { getSql } from "@/lib/db/sql";
import { parseAdminEventFilter } from "@/lib/queries/events/admin-event-filter";
import { adminEventScope } from "@/lib/queries/events/list-admin-events";
import { userEventScope } from "@/lib/queries/events/list-user-events";
import { parseUserEventFilter } from "@/lib/queries/events/user-event-filter";
import {
  EXPORT_CONTENT_TYPES,
  EXPORT_FORMATS,
  exportAdminEvents,
  exportUserEvents,
} from "@/lib/screens/export/export-events";
import { one } from "@/lib/server/query-params";
import { logUnexpected } from "@/lib/server/respond";

export const dynamic = "force-dynamic";

const exportSchema = z.object({
  kind: one(z.enum(["user", "admin"]).optional()).transform((k) => k ?? "user"),
  format: one(z.enum(EXPORT_FORMATS).optional()).transform((f) => f ?? "csv"),
});

/**
 * GET /api/events/export?kind=user|admin&format=csv|jsonl&<the explorer's filters>
 * The whole filtered set as a download, streamed page by page: the response starts at once and memory stays at
 * one page whatever the size. Filters are checked before the first byte, so a bad one is still a JSON 400.
 */
export const GET = route({}, async ({ viewer, query }) => {
  const { kind, format } = exportSchema.parse(query);
  const sql = getSql();
  const now = Date.now();
  const chunks =
    kind === "user"
      ? exportUserEvents(
          sql,
          viewer.role,
          await userEventScope(sql, parseUserEventFilter(query, now)),
          format,
        )
      : exportAdminEvents(
          sql,
          viewer.role,
          await adminEventScope(sql, parseAdminEventFilter(query, now)),
          format,
        );
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      } catch (err) {
        logUnexpected("export failed mid-stream", err);
        controller.error(err);
      }
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
  const stamp = new Date(now).toISOString().replace(/[:.]/g, "-");
  return new Response(body, {
    headers: {
      "content-type": EXPORT_CONTENT_TYPES[format],
      "content-disposition": `attachment; filename="realmwatch-${kind}-events-${stamp}.${format}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
});
