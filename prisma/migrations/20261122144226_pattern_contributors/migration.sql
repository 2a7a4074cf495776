-- AlterTable
ALTER TABLE "patterns" ADD COLUMN     "contributors" JSONB,
ADD COLUMN     "sample_event_times" TIMESTAMPTZ(3)[] DEFAULT ARRAY[]::TIMESTAMPTZ(3)[];

-- CreateIndex
CREATE INDEX "rollup_hour_source_id_realm_cause_bucket_idx" ON "rollup_hour"("source_id", "realm", "cause", "bucket");

-- Backfill: the times of stored patterns' sample events, and their contributors as refreshPatterns writes them
-- (lib/analytics/queries/pattern-contributors.ts): failures per cause, client and error (rollups) and per user and
-- IP address (events) in the pattern's window and in the 168 hours before it, for the values seen in the window.
UPDATE "patterns" AS p SET "sample_event_times" = ARRAY(
    SELECT e."time" FROM unnest(p."sample_event_ids") WITH ORDINALITY AS s(id, n)
    LEFT JOIN "user_events" AS e ON e."source_id" = p."source_id" AND e."realm" = p."realm" AND e."id" = s.id
        AND e."time" >= p."first_seen" AND e."time" < greatest(p."last_seen", p."first_seen" + interval '1 millisecond')
    ORDER BY s.n
);

UPDATE "patterns" AS p SET "contributors" = coalesce((
    SELECT jsonb_agg(jsonb_build_array(v.dimension, v.value, v.spike, v.baseline) ORDER BY v.dimension, v.value)
    FROM (
        SELECT c.dimension, c.value,
               coalesce(sum(c.failures) FILTER (WHERE c.in_spike), 0)::int AS spike,
               coalesce(sum(c.failures) FILTER (WHERE NOT c.in_spike), 0)::int AS baseline
        FROM (
            SELECT d.dimension, d.value, r."bucket" >= p."first_seen" AS in_spike, r."failures"
            FROM "rollup_minute" AS r
            CROSS JOIN LATERAL (VALUES ('cause', CASE WHEN r."cause" = '' THEN 'unknown' ELSE r."cause" END),
                                       ('client', r."client_id"), ('error', r."error")) AS d(dimension, value)
            WHERE r."source_id" = p."source_id" AND r."realm" = p."realm"
                AND r."bucket" >= date_trunc('minute', p."first_seen" - interval '168 hours')
                AND r."bucket" < date_trunc('minute', greatest(p."last_seen", p."first_seen" + interval '1 minute') + interval '59.999 seconds')
                AND (r."cause" = p."cause" OR (p."cause" = 'unknown' AND r."cause" = ''))
                AND (p."scope_kind" <> 'client' OR r."client_id" = p."scope_value")
            UNION ALL
            SELECT d.dimension, d.value, e."time" >= p."first_seen", 1
            FROM "user_events" AS e
            CROSS JOIN LATERAL (VALUES ('user', e."user_id"), ('ip', e."ip_address")) AS d(dimension, value)
            WHERE e."source_id" = p."source_id" AND e."realm" = p."realm" AND e."is_failure"
                AND e."time" >= p."first_seen" - interval '168 hours'
                AND e."time" < greatest(p."last_seen", p."first_seen" + interval '1 minute')
                AND (e."cause" = p."cause" OR (p."cause" = 'unknown' AND e."cause" IS NULL))
                AND (p."scope_kind" <> 'client' OR e."client_id" = p."scope_value")
                AND (p."scope_kind" <> 'user' OR e."user_id" = p."scope_value")
                AND d.value IS NOT NULL
        ) AS c
        GROUP BY c.dimension, c.value
        HAVING sum(c.failures) FILTER (WHERE c.in_spike) > 0
    ) AS v), '[]');
