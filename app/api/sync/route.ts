import { z } from "zod";
import { route } from "@/lib/auth/route";
import { getSql } from "@/lib/db/sql";
import { getServerPoller } from "@/lib/ingest/sync/server-poller";
import { syncOptionsFromEnv } from "@/lib/ingest/sync/sync-options";
import { syncSource } from "@/lib/ingest/sync/sync-source";
import { classifyRow } from "@/lib/ingest/write/classify-row";
import { getEnv } from "@/lib/server/env";
import { listSources } from "@/lib/sources/read-sources";

export const dynamic = "force-dynamic";

const body = z.object({ sourceId: z.string().uuid().optional() }).strict().default({});

/** Runs a sync now (all sources, or one; an empty body is all) and returns each stream's outcome. */
export const POST = route(
  { body, bodyError: 'Body must be {} or {"sourceId": "<uuid>"}.' },
  async ({ body: { sourceId } }) => {
    const poller = getServerPoller();
    const outcomes = poller
      ? await poller.triggerNow(sourceId)
      : await Promise.all(
          (await listSources(getSql(), sourceId)).map((s) =>
            syncSource(getSql(), s, { ...syncOptionsFromEnv(getEnv()), classify: classifyRow }),
          ),
        );
    return {
      outcomes: outcomes.map((o) => ({
        sourceId: o.sourceId,
        name: o.name,
        status: o.status,
        message: o.message ?? null,
        mode: o.mode ?? null,
        streams: o.streams.map((s) => ({
          realm: s.realm,
          kind: s.kind,
          status: s.status,
          message: s.message ?? null,
          read: s.result?.read ?? 0,
          stored: s.result?.inserted ?? 0,
          pages: s.result?.pages ?? 0,
        })),
      })),
    };
  },
);
